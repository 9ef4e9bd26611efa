package org.poolbench.charts;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.poolbench.analysis.Comparison;
import org.poolbench.analysis.Comparison.Change;
import org.poolbench.analysis.Comparison.Verdict;

/** {@code compare}: every matched point's time ratio B / A, sorted, on a log axis, coloured by verdict. */
final class CompareChart {

    private CompareChart() {
    }

    static Figure draw(Comparison v) {
        List<Change> sorted = v.changes().stream().sorted(Comparator.comparingDouble(Change::ratio)).toList();
        XYChart c = Plot.chart("Run " + v.labelB() + " vs run " + v.labelA() + ": time ratio per point",
                "points, sorted by ratio (" + sorted.size() + " matched)", "time B / time A (log scale; < 1: B faster)");
        var st = c.getStyler();
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        st.setYAxisLogarithmic(true);
        st.setMarkerSize(7);
        st.setxAxisTickLabelsFormattingFunction(x -> " ");
        double lo = 0.5;
        double hi = 2;
        for (Verdict verdict : Verdict.values()) {
            List<double[]> pts = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) {
                Change ch = sorted.get(i);
                if (ch.verdict() == verdict) {
                    double up = Double.isInfinite(ch.high()) ? ch.ratio() : ch.high() - ch.ratio();
                    double down = ch.ratio() - ch.low();
                    // XChart draws symmetric bars; the larger half shows the whole uncertainty, kept above zero.
                    pts.add(new double[] {i + 1, ch.ratio(), Plot.logSafe(ch.ratio(), Math.max(up, down))});
                    lo = Math.min(lo, ch.ratio() / 2);
                    hi = Math.max(hi, ch.ratio() * 2);
                }
            }
            if (pts.isEmpty()) {
                continue;
            }
            XYSeries s = c.addSeries(verdict + " (" + pts.size() + ")", pts.stream().mapToDouble(p -> p[0]).toArray(),
                    pts.stream().mapToDouble(p -> p[1]).toArray(), pts.stream().mapToDouble(p -> p[2]).toArray());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            Color color = switch (verdict) {
                case FASTER -> new Color(0x009E73);
                case SLOWER -> new Color(0xD55E00);
                case UNKNOWN -> new Color(0xBBBBBB);
                case NO_CHANGE -> new Color(0x888888);
            };
            Marker marker = switch (verdict) {
                case FASTER -> SeriesMarkers.TRIANGLE_DOWN;
                case SLOWER -> SeriesMarkers.TRIANGLE_UP;
                case UNKNOWN -> SeriesMarkers.DIAMOND;
                case NO_CHANGE -> SeriesMarkers.CIRCLE;
            };
            s.setMarkerColor(color);
            s.setLineColor(color);
            s.setMarker(marker);
        }
        int n = Math.max(1, sorted.size());
        Plot.reference(c, "no change (ratio 1)", new double[] {0.5, n + 0.5}, new double[] {1, 1});
        if (v.threshold() > 0) {
            Plot.reference(c, "noise threshold ± " + Math.round(v.threshold() * 100) + " %",
                    new double[] {0.5, n + 0.5, Double.NaN, 0.5, n + 0.5},
                    new double[] {1 - v.threshold(), 1 - v.threshold(), Double.NaN, 1 + v.threshold(),
                            1 + v.threshold()}).setLineStyle(Plot.IDEAL_LINE);
        }
        st.setXAxisMin(0.0).setXAxisMax(n + 1.0);
        st.setYAxisMin(Plot.decadeBelow(lo)).setYAxisMax(Plot.decadeAbove(hi));
        return new Figure(Comparison.FIGURE, c, "A = run " + v.labelA() + ", B = run " + v.labelB() + "\n" + v.lesson());
    }
}
