package org.poolbench.charts;

import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.XYStyler;
import org.poolbench.analysis.Format;
import org.poolbench.analysis.Point;
import org.poolbench.analysis.ResourceView;
import org.poolbench.analysis.Series;

/** {@code resource-memory}: peak resident memory against workers (a log x axis when the range is wide). */
public final class ResourceChart {

    private ResourceChart() {
    }

    /** The figures of a {@link ResourceView}: its renderer in the family registry. */
    public static List<Figure> figures(ResourceView v) {
        return List.of(draw(v));
    }

    static Figure draw(ResourceView v) {
        double minW = v.series().stream().flatMap(s -> s.points().stream()).mapToDouble(Point::x).min().orElse(1);
        double maxW = v.series().stream().flatMap(s -> s.points().stream()).mapToDouble(Point::x).max().orElse(1);
        boolean log = maxW >= 8 * Math.max(1, minW);
        XYChart c = Plot.chart("Memory per backend", "workers" + (log ? " (log scale)" : ""),
                "peak resident memory (" + v.unit() + ")");
        double hi = 0;
        for (Series s : v.series()) {
            Plot.add(c, s, false);
            hi = Math.max(hi, s.points().stream().mapToDouble(Point::y).max().orElse(0));
        }
        XYStyler st = c.getStyler();
        st.setYAxisMin(0.0).setYAxisMax(hi * 1.1);
        st.setyAxisTickLabelsFormattingFunction(Format::number);
        if (log) {
            // XChart does not label a log2-transformed axis whose points are not one step apart: use its log axis.
            st.setXAxisLogarithmic(true);
            st.setxAxisTickLabelsFormattingFunction(Format::number);
        } else {
            st.setxAxisTickLabelsFormattingFunction(Plot::integerOnly);
        }
        return new Figure(ResourceView.FIGURE, c, v.caption());
    }
}
