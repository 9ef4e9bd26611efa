package org.poolbench.charts;

import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.poolbench.analysis.Format;
import org.poolbench.analysis.IoView;
import org.poolbench.analysis.Point;
import org.poolbench.analysis.Series;

/**
 * {@code io-concurrency}: files/s against downloads in flight, log–log, with the ideal (latency-bound) line and the
 * zero-latency ceiling. The x axis is XChart's own log axis: a formatting function on a log2-transformed axis lost
 * every tick label.
 */
public final class IoChart {

    private IoChart() {
    }

    /** The figures of a {@link IoView}: its renderer in the family registry. */
    public static List<Figure> figures(IoView v) {
        return v.panels().stream().map(IoChart::draw).toList();
    }

    static Figure draw(IoView.Panel v) {
        XYChart c = Plot.chart("Download throughput vs concurrency", "concurrency: downloads in flight (workers, log scale)",
                "throughput (files/s, log scale)");
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Series s : v.series()) {
            Plot.add(c, s, true);
            for (Point p : s.points()) {
                lo = Math.min(lo, p.y());
                hi = Math.max(hi, p.y());
            }
        }
        if (!v.ideal().isEmpty()) {
            for (Point p : v.ideal()) {
                hi = Math.max(hi, p.y());
                lo = Math.min(lo, p.y());
            }
            Plot.reference(c, "ideal: tasks / (⌈tasks / c⌉ × latency)",
                    v.ideal().stream().mapToDouble(Point::x).toArray(), v.ideal().stream().mapToDouble(Point::y).toArray());
        }
        int first = v.concurrency()[0];
        int last = v.concurrency()[1];
        if (v.ceiling() != null) {
            double y = v.ceiling();
            XYSeries s = Plot.reference(c, "ceiling: no latency (c = " + v.ceilingAt() + ")",
                    new double[] {first, last}, new double[] {y, y});
            s.setLineStyle(Plot.IDEAL_LINE);
            hi = Math.max(hi, y);
        }
        XYStyler st = c.getStyler();
        st.setYAxisLogarithmic(true);
        st.setYAxisMin(Plot.decadeBelow(lo)).setYAxisMax(Plot.decadeAbove(hi * 1.5));
        st.setXAxisLogarithmic(true);
        st.setXAxisMin(first / 1.5).setXAxisMax(last * 1.5);
        st.setyAxisTickLabelsFormattingFunction(Format::number);
        return new Figure(v.name(), c, v.caption());
    }
}
