package org.poolbench.charts;

import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.poolbench.analysis.Format;
import org.poolbench.analysis.TransportView;

/**
 * {@code transport}: for each figure of the transport family, the pool's time over shared memory divided by its time
 * over pipes (below the line at 1, shared memory is faster), error bars from both points' intervals.
 */
public final class TransportChart {

    private TransportChart() {
    }

    /** The figures of a {@link TransportView}: its renderer in the family registry. */
    public static List<Figure> figures(TransportView v) {
        return v.figures().isEmpty() ? List.of() : List.of(draw(v));
    }

    static Figure draw(TransportView v) {
        XYChart c = Plot.chart("The process pool: shared memory against pipes", "",
                "time over shared memory / time over pipes");
        XYSeries s = Plot.add(c, v.ratios(), false);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        int n = v.labels().size();
        Plot.reference(c, "same as pipes", new double[] {0.5, n + 0.5}, new double[] {1, 1});
        double hi = v.ratios().points().stream().mapToDouble(p -> p.y() + p.error()).max().orElse(1);
        XYStyler st = c.getStyler();
        st.setXAxisMin(0.5).setXAxisMax(n + 0.5).setYAxisMin(0.0).setYAxisMax(Math.max(1.2, hi * 1.1));
        st.setyAxisTickLabelsFormattingFunction(Format::number);
        // one labelled point per figure: XChart places an axis' ticks where it likes, so the names are annotations
        st.setXAxisTicksVisible(false);
        double top = Math.max(1.2, hi * 1.1);
        for (int i = 0; i < n; i++) {
            c.addAnnotation(new AnnotationText(v.labels().get(i), i + 1, top * 0.04, false));
        }
        String caption = v.lesson() + " Error bars: both points' 99.9 % intervals, combined.";
        return new Figure(TransportView.FIGURE, c, caption.strip());
    }
}
