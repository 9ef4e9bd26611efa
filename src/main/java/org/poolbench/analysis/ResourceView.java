package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.poolbench.results.ResultRow;

/**
 * Memory per backend: peak resident memory (parent and all its worker processes) against workers.
 *
 * @param series per backend: x = workers, y = the score in {@code unit}
 * @param unit   the unit most rows have (MB)
 */
public record ResourceView(List<Series> series, String unit, String caption, String lesson, Table table)
        implements View {

    /** The figure's file name. */
    public static final String FIGURE = "resource-memory";

    @Override
    public String title() {
        return "Memory";
    }

    @Override
    public List<String> figures() {
        return List.of(FIGURE);
    }

    static ResourceView of(List<ResultRow> rows, Map<String, String> env, long skipped) {
        if (rows.isEmpty()) {
            return null;
        }
        String unit = Objects.toString(Rows.mostCommon(rows, ResultRow::unit), "MB");
        Map<String, TreeMap<Integer, ResultRow>> byBackend = new TreeMap<>(BackendOrder.SERIES);
        rows.forEach(r -> byBackend.computeIfAbsent(r.backend(), b -> new TreeMap<>())
                .putIfAbsent(r.workers() == null ? 1 : r.workers(), r));
        List<Series> series = new ArrayList<>();
        byBackend.forEach((backend, byWorkers) -> {
            List<Point> points = new ArrayList<>();
            byWorkers.forEach((w, r) -> points.add(new Point(w, r.score(), r.scoreError() == null ? 0 : r.scoreError())));
            series.add(new Series(backend, backend, points));
        });
        String caption = Caption.of(env, rows, "Parent and all worker processes together.", skipped);

        Map<String, ResultRow> largest = new TreeMap<>(BackendOrder.SERIES);
        rows.forEach(r -> largest.merge(r.backend(), r, (a, b) ->
                Objects.requireNonNullElse(b.workers(), 0) > Objects.requireNonNullElse(a.workers(), 0) ? b : a));
        String lesson = largest.values().stream().map(r -> r.backend() + " " + Format.number(r.score()) + " " + r.unit()
                        + (r.workers() == null ? "" : " at " + r.workers() + " workers"))
                .collect(Collectors.joining(", "));
        ResultRow threads = largest.get("thread-pool");
        ResultRow processes = largest.get("process-pool");
        if (threads != null && processes != null && processes.workers() != null && processes.workers() > 0
                && Objects.equals(threads.unit(), processes.unit())) {
            lesson += ". A worker JVM costs about "
                    + Format.number((processes.score() - threads.score()) / processes.workers())
                    + " " + processes.unit() + " more than a thread (process-pool minus thread-pool, per worker)";
        }
        Table table = new Table(List.of("backend", "workers", "peak memory"), rows.stream()
                .map(r -> List.of(Objects.toString(r.backend(), ""), Objects.toString(r.workers(), ""),
                        Format.number(r.score()) + " " + Objects.toString(r.unit(), ""))).toList());
        return new ResourceView(series, unit, caption, lesson.isEmpty() ? "" : "Peak memory: " + lesson + ".", table);
    }
}
