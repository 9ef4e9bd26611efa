package org.poolbench.charts;

import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.XYStyler;
import org.poolbench.analysis.ClusterView;
import org.poolbench.analysis.Format;
import org.poolbench.analysis.Point;
import org.poolbench.analysis.Series;

/** {@code cluster-scaling-<workload>}: speedup against members (cluster) and workers (process pool), one core each. */
public final class ClusterChart {

    private ClusterChart() {
    }

    /** The figures of a {@link ClusterView}: its renderer in the family registry. */
    public static List<Figure> figures(ClusterView v) {
        return v.scaling().entrySet().stream().map(e -> draw(v, e.getKey(), e.getValue())).toList();
    }

    static Figure draw(ClusterView v, String workload, List<Series> series) {
        XYChart c = Plot.chart("Scaling per member: " + workload, "members / workers (one core each)",
                "speedup over sequential (×)");
        double maxY = v.maxWorkers();
        for (Series s : series) {
            Plot.add(c, s, false);
            for (Point p : s.points()) {
                maxY = Math.max(maxY, p.y() + Math.min(p.error(), p.y() * 0.5));
            }
        }
        Plot.reference(c, "ideal (speedup = members)", new double[] {1, v.maxWorkers()},
                new double[] {1, v.maxWorkers()});
        XYStyler st = c.getStyler();
        st.setXAxisMin(0.0).setXAxisMax(v.maxWorkers() + 0.5).setYAxisMin(0.0).setYAxisMax(Math.ceil(maxY + 0.5));
        st.setxAxisTickLabelsFormattingFunction(Plot::integerOnly);
        st.setyAxisTickLabelsFormattingFunction(Format::number);
        return new Figure(ClusterView.figure(workload), c, v.caption());
    }
}
