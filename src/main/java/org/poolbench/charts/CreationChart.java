package org.poolbench.charts;

import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.poolbench.analysis.CreationView;
import org.poolbench.analysis.Format;
import org.poolbench.analysis.Series;

/** {@code creation-overhead}: one point per thing created, cheapest first, time on a log axis. */
public final class CreationChart {

    private CreationChart() {
    }

    /** The figures of a {@link CreationView}: its renderer in the family registry. */
    public static List<Figure> figures(CreationView v) {
        return List.of(draw(v));
    }

    static Figure draw(CreationView v) {
        XYChart c = Plot.chart("Cost of creating a thread, a process, a pool", "what is created (and used once, then ended)",
                "time (log scale)");
        for (CreationView.Created p : v.points()) {
            c.addAnnotation(new AnnotationText(Format.duration(p.micros()), p.x(), p.micros() * 2.4, false));
        }
        for (Series s : v.series()) {
            Plot.add(c, s, true).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        XYStyler st = c.getStyler();
        st.setLegendVisible(v.series().size() > 1 || !v.series().get(0).backend().isEmpty());
        st.setYAxisLogarithmic(true);
        int n = v.points().size();
        double min = v.points().stream().mapToDouble(CreationView.Created::micros).min().orElse(1);
        double max = v.points().stream().mapToDouble(CreationView.Created::micros).max().orElse(1);
        int rows = n > 12 ? 3 : n > 6 ? 2 : 1; // rows of names, staggered so that neighbours do not overlap
        double bottom = Math.pow(10, Math.floor(Math.log10(min * 0.5)) - (rows > 2 ? 2 : 1)); // room for the names
        st.setYAxisMin(bottom);
        st.setYAxisMax(Plot.decadeAbove(max * 6));
        st.setXAxisMin(0.4).setXAxisMax(n + 0.6);
        // XChart drops long custom tick labels it cannot fit, so the names are drawn inside the plot, staggered.
        st.setxAxisTickLabelsFormattingFunction(x -> " ");
        for (CreationView.Created p : v.points()) {
            double y = bottom * 2.2 * Math.pow(rows > 2 ? 3.2 : 2.05, (int) Math.round(p.x()) % rows);
            c.addAnnotation(new AnnotationText(p.label(), p.x(), y, false));
        }
        st.setyAxisTickLabelsFormattingFunction(Format::duration);
        return new Figure(CreationView.FIGURE, c, v.caption());
    }
}
