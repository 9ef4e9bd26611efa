package org.poolbench.charts;

import java.util.List;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.poolbench.analysis.Format;
import org.poolbench.analysis.GranularityView;
import org.poolbench.analysis.Point;
import org.poolbench.analysis.Series;

/**
 * {@code granularity}: wall time per task against work per task, log–log, with y = x (sequential, no overhead),
 * y = x / cores (ideal) and the process pool's crossover as a vertical line.
 */
public final class GranularityChart {

    private GranularityChart() {
    }

    /** The figures of a {@link GranularityView}: its renderer in the family registry. */
    public static List<Figure> figures(GranularityView v) {
        return v.figures().isEmpty() ? List.of() : List.of(draw(v));
    }

    static Figure draw(GranularityView v) {
        XYChart c = Plot.chart("Task granularity: when does a process pool pay off? (" + v.workload() + ")",
                "work per task (sequential time of one task, log scale)", "wall time per task (log scale)");
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Series s : v.series()) {
            Plot.add(c, s, true);
            for (Point p : s.points()) {
                lo = Math.min(lo, Math.min(p.x(), p.y()));
                hi = Math.max(hi, Math.max(p.x(), p.y()));
            }
        }
        double[] ends = v.workRange();
        Plot.reference(c, "sequential, no overhead (y = x)", ends, ends);
        if (v.cores() > 1) {
            XYSeries ideal = Plot.reference(c, "ideal on " + v.cores() + " cores (y = x / " + v.cores() + ")", ends,
                    new double[] {ends[0] / v.cores(), ends[1] / v.cores()});
            ideal.setLineStyle(Plot.IDEAL_LINE);
            lo = Math.min(lo, ends[0] / v.cores());
        }
        if (v.crossover() != null) {
            double x = v.crossover().workPerTask();
            c.addAnnotation(new AnnotationLine(x, true, false));
            c.addAnnotation(new AnnotationText("process-pool faster from ≈ " + Format.duration(x) + " per task (n = "
                    + v.crossover().taskSize() + ")", x, hi * 3, false));
        }
        XYStyler st = c.getStyler();
        st.setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        st.setYAxisMin(Plot.decadeBelow(lo)).setYAxisMax(Plot.decadeAbove(hi * 4));
        if (ends[0] >= ends[1]) { // one task size (smoke): XChart would give the axis no width, and the point, the
            // crossover line and its label would land in different places
            st.setXAxisMin(ends[0] / 3).setXAxisMax(ends[0] * 3);
        }
        st.setxAxisTickLabelsFormattingFunction(Format::duration);
        st.setyAxisTickLabelsFormattingFunction(Format::duration);
        return new Figure(GranularityView.FIGURE, c, v.caption());
    }
}
