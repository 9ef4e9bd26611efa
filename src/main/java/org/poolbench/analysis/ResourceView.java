package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.poolbench.results.ResultRow;

/**
 * Memory: what a backend's JVMs hold resident (VmRSS, MB), at rest and under each workload, and what one worker JVM
 * costs against one more thread. The figure shows the total peak (parent and all its workers) against workers for
 * the workload most backends were probed with.
 *
 * @param workload the workload of the figure
 * @param series   per backend: x = workers, y = total peak resident memory
 * @param unit     the unit most rows have (MB)
 */
public record ResourceView(String workload, List<Series> series, String unit, String caption, String lesson,
                           Table table) implements View {

    /** The figure's file name. */
    public static final String FIGURE = "resource-memory";

    /** The total (parent and workers) peak: the benchmark name of the rows the figure draws. */
    static final String PEAK = "peakRss";

    @Override
    public String title() {
        return "Memory";
    }

    @Override
    public List<String> figures() {
        return List.of(FIGURE);
    }

    /** The resource family's view, if its rows give one. */
    public static List<View> views(FamilyRows in) {
        return Viewer.some(of(in.own(), in.env(), in.skipped()));
    }

    static ResourceView of(List<ResultRow> rows, Map<String, String> env, long skipped) {
        List<ResultRow> peaks = rows.stream().filter(r -> PEAK.equals(r.benchmark())).toList();
        if (peaks.isEmpty()) {
            return null;
        }
        String unit = Objects.toString(Rows.mostCommon(rows, ResultRow::unit), "MB");
        String workload = Rows.mostCommon(peaks, ResultRow::workload);
        List<ResultRow> drawn = peaks.stream().filter(r -> Objects.equals(workload, r.workload())).toList();
        Map<String, TreeMap<Integer, ResultRow>> byBackend = new TreeMap<>(BackendOrder.SERIES);
        drawn.forEach(r -> byBackend.computeIfAbsent(r.backend(), b -> new TreeMap<>())
                .putIfAbsent(r.workers() == null ? 1 : r.workers(), r));
        List<Series> series = new ArrayList<>();
        byBackend.forEach((backend, byWorkers) -> {
            List<Point> points = new ArrayList<>();
            byWorkers.forEach((w, r) -> points.add(new Point(w, r.score(), r.scoreError() == null ? 0 : r.scoreError())));
            series.add(new Series(backend, backend, points));
        });
        String caption = Caption.of(env, drawn, "Peak resident memory of the JVM and all its worker processes"
                + (workload == null ? "" : " while running " + workload + " jobs") + ".", skipped);
        return new ResourceView(workload, series, unit, caption, lesson(rows, env, unit), table(rows));
    }

    /** A row's score, by benchmark, for one workload and backend. */
    private static Optional<ResultRow> find(List<ResultRow> rows, String benchmark, String workload, String backend) {
        return rows.stream().filter(r -> benchmark.equals(r.benchmark()) && Objects.equals(workload, r.workload())
                && backend.equals(r.backend())).max(Comparator.comparing(r -> Objects.requireNonNullElse(r.workers(), 0)));
    }

    private static String lesson(List<ResultRow> rows, Map<String, String> env, String unit) {
        List<String> parts = new ArrayList<>();
        Optional<ResultRow> idleWorker = rows.stream().filter(r -> "workerIdleRss".equals(r.benchmark())
                && "process-pool".equals(r.backend())).findFirst();
        idleWorker.ifPresent(r -> parts.add("At rest a worker JVM holds " + Format.number(r.score()) + " " + unit
                + " resident"));
        for (String workload : Rows.distinct(rows, ResultRow::workload)) {
            Optional<ResultRow> pool = find(rows, PEAK, workload, "process-pool");
            Optional<ResultRow> poolParent = find(rows, "parentPeakRss", workload, "process-pool");
            Optional<ResultRow> threads = find(rows, "parentPeakRss", workload, "thread-pool");
            Optional<ResultRow> seq = find(rows, "parentPeakRss", workload, "sequential");
            if (pool.isEmpty() || poolParent.isEmpty() || threads.isEmpty() || seq.isEmpty()
                    || pool.get().workers() == null || threads.get().workers() == null) {
                continue;
            }
            double perWorker = (pool.get().score() - poolParent.get().score()) / pool.get().workers();
            double perThread = (threads.get().score() - seq.get().score()) / threads.get().workers();
            parts.add("under " + workload + ", each worker JVM adds " + Format.number(perWorker) + " " + unit
                    + " at its peak, one more thread " + Format.number(perThread) + " " + unit
                    + " (thread-pool's JVM over sequential's, per thread)");
        }
        if (parts.isEmpty()) {
            ResultRow largest = rows.stream().filter(r -> PEAK.equals(r.benchmark()))
                    .max(Comparator.comparingDouble(ResultRow::score)).orElseThrow();
            return "Peak memory: up to " + Format.number(largest.score()) + " " + unit + " (" + largest.backend() + ").";
        }
        String heaps = env.get("worker_jvm_settings") == null ? ""
                : " Heaps are fixed: benchmark JVMs " + Objects.toString(env.get("jvm_settings"), "?") + "; workers "
                + env.get("worker_jvm_settings") + ".";
        return String.join("; ", parts) + "." + heaps;
    }

    private static Table table(List<ResultRow> rows) {
        List<String> columns = List.of("parentIdleRss", "parentPeakRss", "workerIdleRss", "workerPeakRss", PEAK);
        Map<List<Object>, Map<String, ResultRow>> byPoint = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing((ResultRow r) -> Objects.toString(r.workload(), ""))
                        .thenComparing(r -> BackendOrder.order(r.backend())))
                .forEach(r -> byPoint.computeIfAbsent(java.util.Arrays.asList(r.workload(), r.backend(), r.workers()),
                        k -> new LinkedHashMap<>()).putIfAbsent(r.benchmark(), r));
        List<List<String>> lines = new ArrayList<>();
        byPoint.forEach((k, cells) -> {
            List<String> line = new ArrayList<>(List.of(Objects.toString(k.get(0), ""), Objects.toString(k.get(1), ""),
                    Objects.toString(k.get(2), "")));
            columns.forEach(c -> line.add(cells.containsKey(c) ? Format.number(cells.get(c).score()) : ""));
            lines.add(line);
        });
        return new Table(List.of("workload", "backend", "workers", "parent at rest (MB)", "parent peak (MB)",
                "worker at rest (MB)", "worker peak (MB)", "total peak (MB)"), lines);
    }
}
