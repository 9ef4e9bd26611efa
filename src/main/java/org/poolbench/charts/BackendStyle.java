package org.poolbench.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.util.List;

import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One look per backend, the same in every chart: colour (Okabe–Ito, safe for colour-blind readers), marker (so that
 * greyscale prints stay readable) and line. CPython baselines ({@code py-…}) share the hue of their JVM counterpart
 * but are drawn dashed with a different marker.
 *
 * @param backend the backend name as in {@code results.csv}
 * @param color   line and marker colour
 * @param marker  marker shape
 * @param dashed  true for the CPython baselines
 */
public record BackendStyle(String backend, Color color, Marker marker, boolean dashed) {

    private static final Color BLACK = new Color(0x000000);
    private static final Color BLUE = new Color(0x0072B2);
    private static final Color SKY = new Color(0x56B4E9);
    private static final Color GREEN = new Color(0x009E73);
    private static final Color ORANGE = new Color(0xE69F00);
    private static final Color VERMILLION = new Color(0xD55E00);
    private static final Color PURPLE = new Color(0xCC79A7);
    private static final Color GREY = new Color(0x666666);
    private static final Color BROWN = new Color(0x8C6D31);

    /** Every known backend's look (their order is {@code analysis.BackendOrder}'s). */
    public static final List<BackendStyle> ALL = List.of(
            new BackendStyle("sequential", BLACK, SeriesMarkers.CIRCLE, false),
            new BackendStyle("thread-pool", BLUE, SeriesMarkers.SQUARE, false),
            new BackendStyle("fork-join", SKY, SeriesMarkers.TRAPEZOID, false),
            new BackendStyle("virtual-threads", GREEN, SeriesMarkers.TRIANGLE_UP, false),
            new BackendStyle("thread-per-task", ORANGE, SeriesMarkers.TRIANGLE_DOWN, false),
            new BackendStyle("process-pool", VERMILLION, SeriesMarkers.DIAMOND, false),
            new BackendStyle("process-pool-shm", BROWN, SeriesMarkers.OVAL, false),
            new BackendStyle("process-per-task", PURPLE, SeriesMarkers.CROSS, false),
            new BackendStyle("cluster", BROWN, SeriesMarkers.RECTANGLE, false),
            new BackendStyle("py-sequential", GREY, SeriesMarkers.OVAL, true),
            new BackendStyle("py-thread-pool", BLUE, SeriesMarkers.PLUS, true),
            new BackendStyle("py-process-pool", VERMILLION, SeriesMarkers.RECTANGLE, true),
            new BackendStyle("py-process-pool[spawn]", ORANGE, SeriesMarkers.RECTANGLE, true),
            new BackendStyle("py-process-pool[forkserver]", BROWN, SeriesMarkers.RECTANGLE, true),
            new BackendStyle("py-process-pool-executor", PURPLE, SeriesMarkers.TRIANGLE_DOWN, true),
            new BackendStyle("py-process-per-task", PURPLE, SeriesMarkers.CROSS, true));

    /** Points that belong to no backend. */
    static final BackendStyle NEUTRAL = new BackendStyle("", new Color(0x222222), SeriesMarkers.DIAMOND, false);

    /** Solid line of a backend's series. */
    static final BasicStroke SOLID = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
    /** Dashed line of the CPython baselines. */
    static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {9f, 5f}, 0f);
    /** Dotted line of oversubscribed series (more workers than cores). */
    static final BasicStroke DOTTED = new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
            new float[] {2f, 4f}, 0f);

    /** The style of {@code backend}; unknown backends get a grey plus, so they still draw. */
    public static BackendStyle of(String backend) {
        for (BackendStyle s : ALL) {
            if (s.backend.equals(backend)) {
                return s;
            }
        }
        return new BackendStyle(backend, GREY, SeriesMarkers.PLUS, false);
    }

    /** The line this backend is drawn with. */
    BasicStroke stroke() {
        return dashed ? DASHED : SOLID;
    }

    /** The same shape with a white centre, for points that are variants of the backend's main series. */
    Marker hollowMarker() {
        return new Marker() {
            @Override
            public void paint(Graphics2D g, double x, double y, int size) {
                Color c = g.getColor();
                marker.paint(g, x, y, size + 2);
                g.setColor(Color.WHITE);
                marker.paint(g, x, y, Math.max(2, size - 4));
                g.setColor(c);
            }
        };
    }
}
