package io.ddbstreamscaler.bench.keda;

import io.ddbstreamscaler.bench.keda.ReplicaRecorder.Point;
import io.ddbstreamscaler.bench.keda.TwinsRun.CaseOutcome;
import io.ddbstreamscaler.bench.keda.TwinsRun.StepMark;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The twins' replica counts over time as a PNG, one panel per case: KEDA+HPA's twin and the agent's twin as step
 * lines on the same axes, each step's change as a dotted line with its number. Drawn with the JDK alone (Java2D,
 * ImageIO, headless), so the bench needs no plotting library.
 */
public final class ReplicaPlot {

    static final Color KEDA = new Color(0xE0, 0x6C, 0x00);
    static final Color AGENT = new Color(0x1F, 0x5F, 0xBF);
    private static final int PANEL_W = 460;
    private static final int PANEL_H = 230;
    private static final int COLUMNS = 3;
    private static final int HEADER = 56;
    private static final int LEFT = 38;
    private static final int RIGHT = 12;
    private static final int TOP = 26;
    private static final int BOTTOM = 30;

    private ReplicaPlot() {
    }

    public static void write(List<CaseOutcome> outcomes, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int rows = (outcomes.size() + COLUMNS - 1) / COLUMNS;
        BufferedImage image = new BufferedImage(COLUMNS * PANEL_W, HEADER + rows * PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, 12, 22);
            legend(g, 12, 42);
            for (int i = 0; i < outcomes.size(); i++) {
                panel(g, outcomes.get(i), (i % COLUMNS) * PANEL_W, HEADER + (i / COLUMNS) * PANEL_H);
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    private static void legend(Graphics2D g, int x, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        line(g, KEDA, new BasicStroke(3f), x, y - 4, x + 28, y - 4);
        g.setColor(Color.BLACK);
        g.drawString("KEDA v2.20.2 aws-dynamodb-streams + HPA", x + 34, y);
        line(g, AGENT, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f),
                x + 330, y - 4, x + 358, y - 4);
        g.setColor(Color.BLACK);
        g.drawString("ddbstream-scaler agent", x + 364, y);
        g.setColor(Color.GRAY);
        g.drawString("dotted: a step's change (split, expiry, outage, pause); x: seconds since the case began", x + 560, y);
    }

    private static void panel(Graphics2D g, CaseOutcome o, int x0, int y0) {
        Instant start = o.start();
        double seconds = Math.max(30, Duration.between(start, o.end()).toMillis() / 1000.0);
        int max = Math.max(2, o.agent().stream().mapToInt(Point::replicas).max().orElse(1));
        max = Math.max(max, o.keda().stream().mapToInt(Point::replicas).max().orElse(1));
        int plotX = x0 + LEFT;
        int plotY = y0 + TOP;
        int w = PANEL_W - LEFT - RIGHT;
        int h = PANEL_H - TOP - BOTTOM;

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.setColor(o.failure() == null ? Color.BLACK : Color.RED);
        g.drawString(o.twinCase().name() + (o.twinCase().difference() == null ? "" : " (a named difference)")
                + (o.failure() == null ? "" : " FAILED"), plotX, y0 + 16);
        g.setColor(new Color(0xF4, 0xF4, 0xF4));
        g.fillRect(plotX, plotY, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int r = 0; r <= max; r += Math.max(1, max / 5)) {
            int y = plotY + h - (int) Math.round((double) r / max * h);
            g.setColor(new Color(0xDD, 0xDD, 0xDD));
            g.drawLine(plotX, y, plotX + w, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(Integer.toString(r), x0 + 8, y + 4);
        }
        for (int s = 0; s <= seconds; s += tick(seconds)) {
            int x = plotX + (int) Math.round(s / seconds * w);
            g.setColor(Color.DARK_GRAY);
            g.drawString(Integer.toString(s), x - 6, plotY + h + 14);
        }
        int n = 0;
        for (StepMark m : o.marks()) {
            n++;
            if (m.op() instanceof TwinCase.Op.Start) {
                continue;
            }
            int x = plotX + (int) Math.round(Duration.between(start, m.at()).toMillis() / 1000.0 / seconds * w);
            line(g, Color.GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {2f, 3f}, 0f), x, plotY, x, plotY + h);
            g.setColor(Color.GRAY);
            g.drawString(Integer.toString(n), x + 2, plotY + 10);
        }
        steps(g, o.keda(), start, seconds, max, plotX, plotY, w, h, KEDA, new BasicStroke(3f));
        steps(g, o.agent(), start, seconds, max, plotX, plotY, w, h, AGENT,
                new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    }

    /** A step line: each count holds until the next was seen; the first one from the panel's left edge. */
    private static void steps(Graphics2D g, List<Point> points, Instant start, double seconds, int max, int px, int py,
                              int w, int h, Color color, BasicStroke stroke) {
        if (points.isEmpty()) {
            return;
        }
        g.setColor(color);
        g.setStroke(stroke);
        int prevX = px;
        int prevY = py + h - (int) Math.round((double) points.get(0).replicas() / max * h);
        for (Point p : points.subList(1, points.size())) {
            double t = Math.max(0, Duration.between(start, p.at()).toMillis() / 1000.0);
            int x = px + (int) Math.round(Math.min(t, seconds) / seconds * w);
            int y = py + h - (int) Math.round((double) p.replicas() / max * h);
            g.drawLine(prevX, prevY, x, prevY);
            g.drawLine(x, prevY, x, y);
            prevX = x;
            prevY = y;
        }
        g.drawLine(prevX, prevY, px + w, prevY);
        g.setStroke(new BasicStroke(1f));
    }

    private static void line(Graphics2D g, Color c, BasicStroke stroke, int x1, int y1, int x2, int y2) {
        g.setColor(c);
        g.setStroke(stroke);
        g.drawLine(x1, y1, x2, y2);
        g.setStroke(new BasicStroke(1f));
    }

    private static int tick(double seconds) {
        return seconds <= 60 ? 10 : seconds <= 180 ? 30 : seconds <= 400 ? 60 : 120;
    }
}
