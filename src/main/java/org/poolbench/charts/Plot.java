package org.poolbench.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.poolbench.analysis.Point;
import org.poolbench.analysis.Series;

/** The look every chart shares: one XChart set-up, series in their backend's style, reference lines. */
final class Plot {

    static final String FONT = Font.SANS_SERIF;
    private static final Color REFERENCE = new Color(0x888888);
    static final BasicStroke IDEAL_LINE = new BasicStroke(1.5f, BasicStroke.CAP_ROUND,
            BasicStroke.JOIN_ROUND, 10f, new float[] {1.5f, 3.5f}, 0f);
    private static final BasicStroke REFERENCE_LINE = new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
            BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);

    private Plot() {
    }

    /** An empty chart with poolbench's look, sized to leave room for the caption. */
    static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(Figure.WIDTH).height(Figure.HEIGHT - Figure.CAPTION_HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x999999));
        s.setPlotGridLinesColor(new Color(0xE3E3E3));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendBackgroundColor(Color.WHITE);
        s.setLegendSeriesLineLength(36);
        s.setChartTitleFont(new Font(FONT, Font.BOLD, 17));
        s.setAxisTitleFont(new Font(FONT, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 12));
        s.setLegendFont(new Font(FONT, Font.PLAIN, 12));
        s.setAnnotationTextFont(new Font(FONT, Font.PLAIN, 11));
        s.setAnnotationTextFontColor(new Color(0x333333));
        s.setAnnotationLineColor(new Color(0x555555));
        s.setAnnotationLineStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {3f, 3f}, 0f));
        s.setMarkerSize(9);
        s.setErrorBarsColorSeriesColor(true);
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setChartPadding(12);
        return c;
    }

    /** Adds a view's series in its backend's style; on a log y axis error bars are clipped ({@link #logSafe}). */
    static XYSeries add(XYChart c, Series series, boolean logY) {
        List<Point> points = series.points();
        double[] x = points.stream().mapToDouble(Point::x).toArray();
        double[] y = points.stream().mapToDouble(Point::y).toArray();
        double[] e = points.stream().mapToDouble(p -> logY ? logSafe(p.y(), p.error()) : p.error()).toArray();
        XYSeries s = c.addSeries(series.name(), x, y, e);
        BackendStyle style = series.backend().isEmpty() ? BackendStyle.NEUTRAL : BackendStyle.of(series.backend());
        s.setLineColor(style.color());
        s.setMarkerColor(style.color());
        s.setMarker(series.variant() || series.dotted() ? style.hollowMarker() : style.marker());
        s.setLineStyle(series.dotted() ? BackendStyle.DOTTED : style.stroke());
        return s;
    }

    /** Distinct colours (Okabe–Ito and greys) for series that are not backends, such as transports or primitives. */
    private static final List<Color> PALETTE = List.of(new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0x8C6D31),
            new Color(0x999999), new Color(0xF0E442));
    private static final List<org.knowm.xchart.style.markers.Marker> MARKERS = List.of(SeriesMarkers.CIRCLE,
            SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN,
            SeriesMarkers.CROSS, SeriesMarkers.PLUS, SeriesMarkers.TRAPEZOID, SeriesMarkers.OVAL,
            SeriesMarkers.RECTANGLE);

    /**
     * Adds the {@code i}-th series of a figure whose series are not backends: a colour and marker of its own, dashed
     * for CPython ({@code py-…}) series.
     */
    static XYSeries addIndexed(XYChart c, Series series, int i, boolean logY) {
        List<Point> points = series.points();
        XYSeries s = c.addSeries(series.name(), points.stream().mapToDouble(Point::x).toArray(),
                points.stream().mapToDouble(Point::y).toArray(),
                points.stream().mapToDouble(p -> logY ? logSafe(p.y(), p.error()) : p.error()).toArray());
        Color color = PALETTE.get(i % PALETTE.size());
        s.setLineColor(color);
        s.setMarkerColor(color);
        // past the palette's ten colours the marker shifts by one per round, so no two series share both
        s.setMarker(MARKERS.get((i + i / PALETTE.size()) % MARKERS.size()));
        s.setLineStyle(series.backend().startsWith("py-") ? BackendStyle.DASHED : BackendStyle.SOLID);
        return s;
    }

    /** A grey dashed reference line (sequential, ideal) that is not data. */
    static XYSeries reference(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setLineColor(REFERENCE);
        s.setLineStyle(REFERENCE_LINE);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /** A log axis cannot show a bar below zero: keep the lower end of a bar inside the axis. */
    static double logSafe(double value, double error) {
        return Math.min(error, value * 0.9);
    }

    /** The power of ten at or below {@code v}. */
    static double decadeBelow(double v) {
        return Math.pow(10, Math.floor(Math.log10(v)));
    }

    /** The power of ten at or above {@code v}. */
    static double decadeAbove(double v) {
        return Math.pow(10, Math.ceil(Math.log10(v)));
    }

    static String integerOnly(double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9 ? Long.toString(Math.round(v)) : " ";
    }
}
