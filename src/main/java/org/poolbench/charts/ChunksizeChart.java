package org.poolbench.charts;

import java.util.List;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.XYStyler;
import org.poolbench.analysis.ChunksizeView;
import org.poolbench.analysis.Format;
import org.poolbench.analysis.Point;
import org.poolbench.analysis.Series;

/** {@code granularity-chunksize}: time per job against chunksize, log–log, sequential flat, auto chunksize marked. */
public final class ChunksizeChart {

    private ChunksizeChart() {
    }

    /** The figures of a {@link ChunksizeView}: its renderer in the family registry. */
    public static List<Figure> figures(ChunksizeView v) {
        return v.figures().isEmpty() ? List.of() : List.of(draw(v));
    }

    static Figure draw(ChunksizeView v) {
        XYChart c = Plot.chart("Chunk size: fewer, larger messages (" + v.workload() + ")",
                "chunksize (tasks per message, log scale)", "time per job (" + v.unit() + ", log scale)");
        double hi = 0;
        double minChunk = Double.MAX_VALUE;
        double maxChunk = 0;
        for (Series s : v.series()) {
            Plot.add(c, s, true);
            for (Point p : s.points()) {
                hi = Math.max(hi, p.y());
                minChunk = Math.min(minChunk, p.x());
                maxChunk = Math.max(maxChunk, p.x());
            }
        }
        if (v.sequential() != null) {
            Plot.reference(c, "sequential", new double[] {minChunk, maxChunk},
                    new double[] {v.sequential(), v.sequential()});
        }
        XYStyler st = c.getStyler();
        st.setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        st.setYAxisMin(Plot.decadeBelow(v.lowest())).setYAxisMax(Plot.decadeAbove(hi * 1.5));
        st.setxAxisTickLabelsFormattingFunction(Format::number);
        st.setyAxisTickLabelsFormattingFunction(Format::number);
        if (v.auto() > 0) {
            c.addAnnotation(new AnnotationLine(v.auto(), true, false));
            c.addAnnotation(new AnnotationText("auto = ⌈tasks / (4 × workers)⌉ = " + v.auto(), v.auto(), hi * 1.2,
                    false));
        }
        return new Figure(ChunksizeView.FIGURE, c, v.caption());
    }
}
