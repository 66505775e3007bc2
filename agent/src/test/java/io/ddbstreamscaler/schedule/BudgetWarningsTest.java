package io.ddbstreamscaler.schedule;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ddbstreamscaler.schedule.BudgetWarnings.Demand;
import io.ddbstreamscaler.stream.AwsCallBudget.Key;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * README: when the budget cannot serve the demand, "one WARN names the account, the region, the demand and the
 * budget". The lines are read as the agent's log has them (a capturing appender on its logger), not from the return
 * value alone.
 */
class BudgetWarningsTest {

    static final Key ACCOUNT = new Key("account:111122223333", "eu-west-1");
    static final Key STATIC_KEYS = new Key("key:AKIAEXAMPLEKEY000001", "us-east-1");
    static final Key AMBIENT = new Key("ambient", "ap-south-1");

    final Logger logger = (Logger) LoggerFactory.getLogger("io.ddbstreamscaler.agent");
    final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    List<String> logged(Level level) {
        return lines.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    static Stream<Arguments> overBudget() {
        return Stream.of(
                // name, key, demand (calls/s, calls a round, triggers), budget/s, the WARN line expected
                Arguments.of("an account: its id and region, never a key", ACCOUNT, new Demand(25, 250, 50), 10.0,
                        "AWS call budget of account 111122223333 in eu-west-1 cannot serve the demand: 25.0 calls/s "
                                + "asked by 50 trigger(s), budget 10.0 calls/s; each is read about every 25 s instead "
                                + "of its pollingInterval (evenly); spread the tables over more accounts or raise "
                                + "pollingInterval"),
                Arguments.of("static keys: never the access key id", STATIC_KEYS, new Demand(12.5, 30, 3), 10.0,
                        "AWS call budget of one set of static keys in us-east-1 cannot serve the demand: 12.5 calls/s "
                                + "asked by 3 trigger(s), budget 10.0 calls/s; each is read about every 3 s instead "
                                + "of its pollingInterval (evenly); spread the tables over more accounts or raise "
                                + "pollingInterval"),
                Arguments.of("the agent's own credentials", AMBIENT, new Demand(2.5, 6, 5), 2.0,
                        "AWS call budget of the agent's own credentials in ap-south-1 cannot serve the demand: 2.5 "
                                + "calls/s asked by 5 trigger(s), budget 2.0 calls/s; each is read about every 3 s "
                                + "instead of its pollingInterval (evenly); spread the tables over more accounts or "
                                + "raise pollingInterval"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overBudget")
    void oneWarnNamesThePrincipalTheRegionTheDemandAndTheBudget(String name, Key key, Demand demand, double budget,
                                                               String expected) {
        BudgetWarnings warnings = new BudgetWarnings(budget);
        Map<Key, String> said = warnings.check(Map.of(key, demand));
        assertEquals(List.of(expected), logged(Level.WARN));
        assertEquals(Map.of(key, expected), said, "the returned message is the logged one");
    }

    static Stream<Arguments> sequences() {
        return Stream.of(
                // name, budget/s, calls/s asked in successive checks, WARN lines after all, INFO lines after all
                Arguments.of("within the budget, up to exactly it: nothing said", 10.0, List.of(10.0, 9.0), 0, 0),
                Arguments.of("over the budget: said once, not on every check", 10.0, List.of(10.5, 10.5, 11.0), 1, 0),
                Arguments.of("grown by exactly a fifth: not said again", 10.0, List.of(12.5, 15.0), 1, 0),
                Arguments.of("grown by more than a fifth: said again", 10.0, List.of(12.5, 15.1), 2, 0),
                Arguments.of("each growth by more than a fifth of the last warning", 10.0,
                        List.of(11.0, 13.3, 15.9, 16.0), 3, 0),
                Arguments.of("back to exactly the budget: it fits again", 10.0, List.of(11.0, 10.0), 1, 1),
                Arguments.of("back within: said once, then warned again when over", 10.0,
                        List.of(11.0, 10.0, 9.0, 11.0), 2, 1),
                Arguments.of("no budget (0): never said", 0.0, List.of(1000.0), 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void saysOnceThenOnGrowthAndOnceWhenItFitsAgain(String name, double budget, List<Double> asked, int warns,
                                                     int infos) {
        BudgetWarnings warnings = new BudgetWarnings(budget);
        for (double callsPerSecond : asked) {
            warnings.check(Map.of(ACCOUNT, new Demand(callsPerSecond, 10, 1)));
        }
        assertEquals(warns, logged(Level.WARN).size(), () -> "WARN lines: " + logged(Level.WARN));
        assertEquals(infos, logged(Level.INFO).size(), () -> "INFO lines: " + logged(Level.INFO));
    }

    @Test
    void theLineThatItFitsAgainNamesTheDemandAndTheBudget() {
        BudgetWarnings warnings = new BudgetWarnings(10);
        warnings.check(Map.of(ACCOUNT, new Demand(11, 110, 11)));
        warnings.check(Map.of(ACCOUNT, new Demand(8, 80, 8)));
        assertEquals(List.of("AWS call budget of account 111122223333 in eu-west-1 serves the demand again: 8.0 calls/s "
                + "of 10.0"), logged(Level.INFO));
    }

    @Test
    void eachKeyIsJudgedOnItsOwn() {
        BudgetWarnings warnings = new BudgetWarnings(10);
        Map<Key, String> said = warnings.check(Map.of(ACCOUNT, new Demand(20, 20, 2), STATIC_KEYS, new Demand(5, 5, 1)));
        assertEquals(List.of(ACCOUNT), List.copyOf(said.keySet()));
        assertEquals(1, logged(Level.WARN).size());
    }

    @Test
    void demandsAddUp() {
        assertEquals(new Demand(3.5, 7, 3), new Demand(1, 2, 1).plus(new Demand(2.5, 5, 2)));
    }
}
