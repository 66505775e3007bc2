package io.ddbstreamscaler.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** status: a trigger reading a KCL lease table shows a fourth number, the shards its consumer finished. */
class StatusTableLeasesTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                // name, the trigger in /observe/status, SHARDS cell
                Arguments.of("without a lease table", "{\"shards\": {\"open\": 3, \"closed\": 2, \"total\": 5}}", "3/2/5"),
                Arguments.of("with kclLeaseTable", "{\"shards\": {\"open\": 16, \"closed\": 15, \"total\": 31,"
                        + " \"finished\": 11}, \"counted\": \"leases\"}", "16/15/31/11"),
                Arguments.of("not read yet", "{\"shards\": null}", "<unknown>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void shardsCell(String name, String trigger, String cell) throws Exception {
        String doc = "{\"scaledObjects\": [{\"namespace\": \"ns\", \"name\": \"so\", \"target\": {\"kind\": \"Deployment\","
                + " \"name\": \"d\"}, \"triggers\": [" + trigger + "]}]}";

        AgentStatus status = AgentStatus.parse(new ObjectMapper().readTree(doc));

        assertEquals(cell, StatusTable.shards(status.scaledObjects().get(0).triggers().get(0)));
    }
}
