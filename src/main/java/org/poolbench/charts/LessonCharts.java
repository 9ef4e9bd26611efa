package org.poolbench.charts;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.XYStyler;
import org.poolbench.analysis.Format;
import org.poolbench.analysis.IpcView;
import org.poolbench.analysis.Point;
import org.poolbench.analysis.Series;
import org.poolbench.analysis.SyncView;

/**
 * The teaching material's other half: {@code sync-time-per-add} and {@code sync-lost-updates} (the race against
 * contenders), {@code ipc-latency} and {@code ipc-throughput} (messages against their size, log–log),
 * {@code ipc-producers} (messages per second against the number of producers, when measured).
 */
public final class LessonCharts {

    private LessonCharts() {
    }

    public static List<Figure> sync(SyncView v) {
        XYChart time = Plot.chart("The race: time per add, threads and processes", "contenders (k)",
                "time per add (ns, log scale)");
        draw(time, v.timePerAdd(), true);
        time.getStyler().setYAxisLogarithmic(true);
        range(time, v.timePerAdd(), true);
        time.getStyler().setxAxisTickLabelsFormattingFunction(Plot::integerOnly);
        XYChart lost = Plot.chart("The race: updates lost without a lock", "contenders (k)", "updates lost (%)");
        draw(lost, v.lost(), false);
        lost.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        lost.getStyler().setxAxisTickLabelsFormattingFunction(Plot::integerOnly);
        return List.of(new Figure(SyncView.TIME_FIGURE, time, v.caption()),
                new Figure(SyncView.LOST_FIGURE, lost, v.caption()));
    }

    public static List<Figure> ipc(IpcView v) {
        XYChart latency = Plot.chart("Round trip of one message", "message size (bytes, log scale)",
                "round trip (log scale)");
        draw(latency, v.latency(), true);
        logLog(latency, v.latency());
        latency.getStyler().setyAxisTickLabelsFormattingFunction(Format::duration);
        XYChart throughput = Plot.chart("Throughput of a stream of messages", "message size (bytes, log scale)",
                "MB/s (log scale)");
        draw(throughput, v.throughput(), true);
        logLog(throughput, v.throughput());
        throughput.getStyler().setyAxisTickLabelsFormattingFunction(Format::number);
        List<Figure> figures = new ArrayList<>(List.of(new Figure(IpcView.LATENCY_FIGURE, latency, v.caption()),
                new Figure(IpcView.THROUGHPUT_FIGURE, throughput, v.caption())));
        if (!v.producers().isEmpty()) {
            XYChart producers = Plot.chart("Many producers, one consumer", "producer processes",
                    "messages per second (log scale)");
            draw(producers, v.producers(), true);
            producers.getStyler().setYAxisLogarithmic(true);
            range(producers, v.producers(), true);
            producers.getStyler().setxAxisTickLabelsFormattingFunction(Plot::integerOnly);
            producers.getStyler().setyAxisTickLabelsFormattingFunction(Format::number);
            figures.add(new Figure(IpcView.PRODUCERS_FIGURE, producers, v.caption()));
        }
        return figures;
    }

    private static void draw(XYChart c, List<Series> series, boolean logY) {
        for (int i = 0; i < series.size(); i++) {
            Plot.addIndexed(c, series.get(i), i, logY);
        }
    }

    private static void logLog(XYChart c, List<Series> series) {
        XYStyler st = c.getStyler();
        st.setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        st.setxAxisTickLabelsFormattingFunction(Format::number);
        range(c, series, true);
    }

    private static void range(XYChart c, List<Series> series, boolean log) {
        double lo = series.stream().flatMap(s -> s.points().stream()).mapToDouble(Point::y).min().orElse(1);
        double hi = series.stream().flatMap(s -> s.points().stream()).mapToDouble(Point::y).max().orElse(10);
        if (log && lo > 0) {
            c.getStyler().setYAxisMin(Plot.decadeBelow(lo)).setYAxisMax(Plot.decadeAbove(hi * 1.5));
        }
    }
}
