package io.ddbstreamscaler.bench;

import io.ddbstreamscaler.stream.kcl.LeaseItem;
import io.ddbstreamscaler.stream.kcl.LeaseSnapshot;
import io.ddbstreamscaler.stream.kcl.ListedShard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The counts the lease-aware bench compares, and its plot. */
class LeaseAwareBenchmarkTest {

    /** A parent P still being read, its two children waiting for it, and Q finished with its child R being read. */
    static final List<ListedShard> SHARDS = List.of(new ListedShard("P", null, true), new ListedShard("C1", "P", false),
            new ListedShard("C2", "P", false), new ListedShard("Q", null, true), new ListedShard("R", "Q", false));
    static final LeaseSnapshot LEASES = new LeaseSnapshot(Map.of(
            "P", new LeaseItem("P", "4900", "w1"), "Q", new LeaseItem("Q", "SHARD_END", "w1"),
            "R", new LeaseItem("R", "5100", "w2")), 0, 1);

    static Stream<Arguments> rows() {
        return Stream.of(
                // count, metric
                Arguments.of(Counting.KEDA, 5),
                Arguments.of(Counting.OPEN_ONLY, 3),
                Arguments.of(Counting.LEASE_AWARE, 4),
                Arguments.of(Counting.READABLE_ONLY, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void counts(Counting counting, int metric) {
        assertEquals(metric, counting.count(SHARDS, LEASES));
    }

    @Test
    void thePlotIsAPngOfOnePanelPerChart(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("plot.png");
        LinePlot.Series line = new LinePlot.Series("replicas", Color.BLUE, false, new double[] {0, 12, 24},
                new double[] {1, 5, 2});

        LinePlot.write(png, "title", "hour", 24, 2, List.of(new LinePlot.Panel("a", "n", List.of(line)),
                new LinePlot.Panel("b", "n", List.of(line))));

        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(LinePlot.WIDTH, image.getWidth());
        assertEquals(40 + 2 * LinePlot.PANEL_HEIGHT + 10, image.getHeight());
    }

    @Test
    void niceAxisSteps() {
        assertEquals(List.of(1.0, 2.0, 5.0, 10.0, 20.0), Stream.of(0.7, 1.5, 3.0, 6.0, 11.0).map(LinePlot::niceStep).toList());
        assertEquals(300.0, LinePlot.niceCeiling(277));
    }
}
