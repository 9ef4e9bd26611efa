package org.poolbench.charts;

import java.awt.Color;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.poolbench.analysis.Format;
import org.poolbench.analysis.Point;
import org.poolbench.analysis.ScalingView;
import org.poolbench.analysis.Series;

/** {@code scaling-<workload>}: speedup against cores, linear axes, the ideal line y = x dashed. */
public final class ScalingChart {

    private ScalingChart() {
    }

    /** The figures of a {@link ScalingView}: its renderer in the family registry. */
    public static List<Figure> figures(ScalingView v) {
        return List.of(draw(v));
    }

    static Figure draw(ScalingView v) {
        XYChart c = Plot.chart("Speedup vs cores: " + v.workload(), "cores available to the JVM",
                "speedup over sequential (×)");
        double maxY = v.maxCores();
        for (Series s : v.series()) {
            Plot.add(c, s, false);
            for (Point p : s.points()) {
                // a two-iteration error bar can be 100× the value: never let it squash the chart
                maxY = Math.max(maxY, p.y() + Math.min(p.error(), p.y() * 0.5));
            }
        }
        Plot.reference(c, "ideal (speedup = cores)", new double[] {1, v.maxCores()}, new double[] {1, v.maxCores()});
        if (!v.ceiling().isEmpty()) {
            XYSeries ceiling = Plot.add(c, new Series("machine ceiling (spin loop)", "", v.ceiling()), false);
            // a line needs two core counts; with one (smoke measures only the full count) the point must show itself
            ceiling.setMarker(v.ceiling().size() > 1 ? SeriesMarkers.NONE : SeriesMarkers.DIAMOND);
            ceiling.setMarkerColor(new Color(0x999999));
            ceiling.setLineColor(new Color(0x999999));
            for (Point p : v.ceiling()) {
                maxY = Math.max(maxY, p.y() + Math.min(p.error(), p.y() * 0.5));
            }
        }
        XYStyler st = c.getStyler();
        st.setXAxisMin(0.0).setXAxisMax(v.maxCores() + 0.5).setYAxisMin(0.0).setYAxisMax(Math.ceil(maxY + 0.5));
        st.setxAxisTickLabelsFormattingFunction(Plot::integerOnly);
        st.setyAxisTickLabelsFormattingFunction(Format::number);
        return new Figure(v.figure(), c, v.caption());
    }
}
