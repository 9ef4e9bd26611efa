package org.poolbench.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import org.poolbench.analysis.LessonOutcome;
import org.poolbench.analysis.LessonOutcome.Measure;
import org.poolbench.analysis.LessonOutcome.Side;

/**
 * A lesson's picture for the projector: 1600×900, large type, two series at most (JVM and CPython side by side).
 * A measured lesson is a bar chart of its charted figures with their 95 % intervals, each bar labelled with its
 * value (a linear axis: XChart's bar charts take no logarithmic one); a program is its two outputs side by side. Under either: each
 * side's verdict and the machine.
 */
public final class LessonChart {

    public static final int WIDTH = 1600;
    public static final int HEIGHT = 900;
    static final int FOOTER = 170;
    private static final Color JVM = new Color(0x0072B2);
    private static final Color PYTHON = new Color(0xE69F00);

    private LessonChart() {
    }

    /** Writes {@code <lesson>.png} into {@code dir} and returns it. */
    public static Path write(LessonOutcome o, String machine, Path dir) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            boolean measured = o.jvm().output().isEmpty() && (o.python() == null || o.python().output().isEmpty());
            if (measured) {
                chart(o).paint(g, WIDTH, HEIGHT - FOOTER);
            } else {
                outputs(g, o);
            }
            footer(g, o, machine);
        } finally {
            g.dispose();
        }
        Path png = dir.resolve(o.name() + ".png");
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
        return png;
    }

    /** The bar chart: categories are the charted figures' names (before their ':'), one series per platform. */
    static CategoryChart chart(LessonOutcome o) {
        List<Side> sides = new ArrayList<>(List.of(o.jvm()));
        if (o.python() != null) {
            sides.add(o.python());
        }
        List<String> categories = new ArrayList<>();
        String axis = "";
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Side s : sides) {
            for (Measure m : s.figures()) {
                if (m.chart()) {
                    String c = category(m.label());
                    if (!categories.contains(c)) {
                        categories.add(c);
                    }
                    if (axis.isEmpty()) {
                        axis = (m.label().contains(":") ? m.label().substring(m.label().indexOf(':') + 1).strip()
                                : "") + " (" + m.unit() + ")";
                    }
                    if (m.value().estimate() > 0) {
                        min = Math.min(min, m.value().estimate());
                        max = Math.max(max, m.value().estimate());
                    }
                }
            }
        }
        // XChart's bar charts refuse a logarithmic axis, so the axis stays linear: a bar dwarfed by one 50x its
        // size still carries its value as a label
        boolean log = false;
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT - FOOTER).title(o.claim())
                .xAxisTitle("").yAxisTitle(axis + (log ? ", log scale" : "")).build();
        Styler.ChartTheme theme = Styler.ChartTheme.XChart;
        chart.getStyler().setTheme(theme.newInstance(theme));
        chart.getStyler().setChartTitleFont(new Font(Plot.FONT, Font.BOLD, 34));
        chart.getStyler().setAxisTitleFont(new Font(Plot.FONT, Font.PLAIN, 28));
        chart.getStyler().setAxisTickLabelsFont(new Font(Plot.FONT, Font.PLAIN, 28));
        chart.getStyler().setLegendFont(new Font(Plot.FONT, Font.PLAIN, 28));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setErrorBarsColor(Color.BLACK);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFont(new Font(Plot.FONT, Font.BOLD, 26));
        chart.getStyler().setDecimalPattern("#,##0.###");
        chart.getStyler().setLabelsPosition(0.9);
        chart.getStyler().setSeriesColors(sides.size() == 1 ? new Color[] {JVM} : new Color[] {JVM, PYTHON});
        chart.getStyler().setChartPadding(24);
        for (Side s : sides) {
            Map<String, Measure> byCategory = new LinkedHashMap<>();
            for (Measure m : s.figures()) {
                if (m.chart()) {
                    byCategory.put(category(m.label()), m);
                }
            }
            List<Double> y = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (String c : categories) {
                Measure m = byCategory.get(c);
                double v = m == null ? (log ? min / 10 : 0) : m.value().estimate();
                y.add(v);
                double e = m == null || !m.value().known() ? 0
                        : Math.max(m.value().high() - v, v - m.value().low());
                err.add(log ? 0 : e);
            }
            if (log) {
                chart.addSeries(s.platform(), categories, y);
            } else {
                chart.addSeries(s.platform(), categories, y, err);
            }
        }
        return chart;
    }

    private static String category(String label) {
        int colon = label.indexOf(':');
        return colon < 0 ? label : label.substring(0, colon);
    }

    /** A program's two outputs side by side, in large monospace type. */
    private static void outputs(Graphics2D g, LessonOutcome o) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Plot.FONT, Font.BOLD, 34));
        g.drawString(o.claim(), 30, 55);
        List<Side> sides = new ArrayList<>(List.of(o.jvm()));
        if (o.python() != null) {
            sides.add(o.python());
        }
        int column = (WIDTH - 60) / 2;
        for (int i = 0; i < sides.size(); i++) {
            int x = 30 + i * column;
            g.setColor(i == 0 ? JVM : PYTHON);
            g.setFont(new Font(Plot.FONT, Font.BOLD, 30));
            g.drawString(sides.get(i).platform(), x, 110);
            g.setColor(Color.BLACK);
            List<String> lines = sides.get(i).output();
            int size = lines.size() > 14 ? 18 : 24;
            g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, size));
            FontMetrics fm = g.getFontMetrics();
            int y = 150;
            for (String line : lines) {
                String shown = line;
                while (shown.length() > 3 && fm.stringWidth(shown) > column - 20) {
                    shown = shown.substring(0, shown.length() - 2);
                }
                g.drawString(shown.equals(line) ? line : shown + "…", x, y);
                y += fm.getHeight();
                if (y > HEIGHT - FOOTER - 10) {
                    break;
                }
            }
        }
        if (o.python() == null) {
            g.setColor(Color.GRAY);
            g.setFont(new Font(Plot.FONT, Font.ITALIC, 24));
            g.drawString("CPython: " + o.pythonNote(), 30 + column, 150);
        }
    }

    /** Each side's verdict (or what to notice) and the machine, wrapped. */
    private static void footer(Graphics2D g, LessonOutcome o, String machine) {
        g.setColor(new Color(0x222222));
        g.setFont(new Font(Plot.FONT, Font.PLAIN, 26));
        FontMetrics fm = g.getFontMetrics();
        int y = HEIGHT - FOOTER + fm.getAscent() + 4;
        List<String> paragraphs = new ArrayList<>();
        if (!o.notice().isEmpty()) {
            paragraphs.add("Notice: " + o.notice());
        } else {
            paragraphs.add("JVM: " + o.jvm().verdict());
            paragraphs.set(0, paragraphs.get(0) + (o.python() != null ? "   CPython: " + o.python().verdict()
                    : "   CPython: " + o.pythonNote()));
        }
        paragraphs.add(machine);
        for (String paragraph : paragraphs) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ")) {
                if (!line.isEmpty() && fm.stringWidth(line + " " + word) > WIDTH - 60) {
                    g.drawString(line.toString(), 30, y);
                    y += fm.getHeight();
                    line.setLength(0);
                }
                line.append(line.isEmpty() ? "" : " ").append(word);
            }
            g.drawString(line.toString(), 30, y);
            y += fm.getHeight();
        }
    }
}
