package io.ddbstreamscaler.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PNG line chart drawn with the JDK alone (Java 2D and ImageIO, headless): panels stacked over one x axis, each with
 * its series and legend. Small on purpose: the bench needs no plotting library.
 */
final class LinePlot {

    /** One line: its name, colour, dashed or not, and its points (x, y). */
    record Series(String name, Color color, boolean dashed, double[] x, double[] y) {
    }

    /** One chart of the stack. */
    record Panel(String title, String yLabel, List<Series> series) {
    }

    static final int WIDTH = 1100;
    static final int PANEL_HEIGHT = 330;
    private static final int LEFT = 70;
    private static final int RIGHT = 250;
    private static final int TOP = 40;
    private static final int BOTTOM = 45;

    private LinePlot() {
    }

    /**
     * @param xLabel  under the x axis
     * @param xMax    the x axis runs from 0 to this
     * @param xTicks  a tick and a label every this much
     */
    static void write(Path file, String title, String xLabel, double xMax, double xTicks, List<Panel> panels)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        int height = TOP + panels.size() * PANEL_HEIGHT + 10;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 24);
        for (int i = 0; i < panels.size(); i++) {
            panel(g, panels.get(i), TOP + i * PANEL_HEIGHT, xLabel, xMax, xTicks);
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static void panel(Graphics2D g, Panel p, int top, String xLabel, double xMax, double xTicks) {
        int x0 = LEFT;
        int x1 = WIDTH - RIGHT;
        int y0 = top + PANEL_HEIGHT - BOTTOM;
        int y1 = top + 25;
        double yMax = niceCeiling(p.series().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y())).max().orElse(1));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(Color.BLACK);
        g.drawString(p.title(), x0, top + 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        // grid and ticks
        double yStep = niceStep(yMax / 5);
        for (double y = 0; y <= yMax + 1e-9; y += yStep) {
            int py = (int) Math.round(y0 - (y0 - y1) * (y / yMax));
            g.setColor(new Color(230, 230, 230));
            g.drawLine(x0, py, x1, py);
            g.setColor(Color.DARK_GRAY);
            String label = y == Math.rint(y) ? Long.toString((long) y) : String.format("%.1f", y);
            g.drawString(label, x0 - 8 - g.getFontMetrics().stringWidth(label), py + 4);
        }
        for (double x = 0; x <= xMax + 1e-9; x += xTicks) {
            int px = (int) Math.round(x0 + (x1 - x0) * (x / xMax));
            g.setColor(new Color(235, 235, 235));
            g.drawLine(px, y0, px, y1);
            g.setColor(Color.DARK_GRAY);
            String label = Long.toString((long) x);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, y0 + 15);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x0, y1, x1 - x0, y0 - y1);
        g.drawString(xLabel, (x0 + x1) / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, y0 + 32);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(p.yLabel(), -(y0 + y1) / 2 - g.getFontMetrics().stringWidth(p.yLabel()) / 2, 18);
        rotated.dispose();
        // series
        int legendY = y1 + 12;
        for (Series s : p.series()) {
            Path2D.Double path = new Path2D.Double();
            for (int i = 0; i < s.x().length; i++) {
                double px = x0 + (x1 - x0) * (s.x()[i] / xMax);
                double py = y0 - (y0 - y1) * (s.y()[i] / yMax);
                if (i == 0) {
                    path.moveTo(px, py);
                } else {
                    path.lineTo(px, py);
                }
            }
            g.setColor(s.color());
            g.setStroke(s.dashed() ? new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                    new float[] {6, 4}, 0) : new BasicStroke(2f));
            g.draw(path);
            g.drawLine(x1 + 12, legendY - 4, x1 + 36, legendY - 4);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            for (String line : wrap(s.name(), 26)) {
                g.drawString(line, x1 + 42, legendY);
                legendY += 14;
            }
            legendY += 6;
        }
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    static double niceCeiling(double v) {
        double step = niceStep(Math.max(v, 1) / 5);
        return Math.ceil(Math.max(v, 1) / step) * step;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }
}
