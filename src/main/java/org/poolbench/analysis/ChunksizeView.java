package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.poolbench.results.ResultRow;

/**
 * The chunk-size sweep: time per job against chunksize (tasks per message), for the (workload, task size, tasks)
 * with the widest sweep; sequential as a flat reference; the automatic chunksize marked where the sweep reaches it.
 *
 * @param workload   the workload of the drawn sweep ({@code null}: no sweep to draw, table only)
 * @param unit       the time unit of y: µs, ms or s, whichever suits the slowest job
 * @param series     per backend: x = chunksize, y = time per job in {@code unit}
 * @param sequential the sequential time per job of the same job in {@code unit}, or {@code null}
 * @param lowest     the lowest time per job of any sequential row of the workload, or of the series
 * @param auto       the automatic chunksize {@code ⌈tasks / (4 × workers)⌉} where the sweep reaches it, else 0
 */
public record ChunksizeView(String workload, String unit, List<Series> series, Double sequential, double lowest, int auto,
                           String caption, String lesson, Table table) implements View {

    /** The figure's file name. */
    public static final String FIGURE = "granularity-chunksize";

    @Override
    public String title() {
        return "Chunk size";
    }

    @Override
    public List<String> figures() {
        return workload == null ? List.of() : List.of(FIGURE);
    }

    /** The granularity family's chunk-size sweep, if its rows give one. */
    public static List<View> views(FamilyRows in) {
        return Viewer.some(of(in.own(), in.env(), in.skipped()));
    }

    static ChunksizeView of(List<ResultRow> family, Map<String, String> env, long skipped) {
        List<ResultRow> timed = family.stream().filter(r -> Rows.micros(r) != null).toList();
        List<ResultRow> chunked = timed.stream().filter(r -> !Rows.isSequential(r.backend())
                && r.chunksize() != null && r.chunksize() > 0).toList();
        if (chunked.stream().map(ResultRow::chunksize).distinct().count() < 2) {
            return null;
        }
        // The report's lesson: the fastest chunksize per backend, over every sweep.
        Map<String, ResultRow> best = new TreeMap<>(BackendOrder.SERIES);
        chunked.forEach(r -> best.merge(r.backend(), r, (a, b) -> Rows.micros(b) < Rows.micros(a) ? b : a));
        String lesson = "Fastest chunksize: " + best.values().stream().map(r -> r.backend() + " " + r.chunksize()
                + " (" + Format.duration(Rows.micros(r)) + " per job)").collect(Collectors.joining(", ")) + ".";
        Table table = new Table(List.of("workload", "backend", "chunksize", "tasks", "time per job"), chunked.stream()
                .sorted(Comparator.comparing((ResultRow r) -> BackendOrder.order(r.backend()))
                        .thenComparing(ResultRow::chunksize))
                .map(r -> List.of(Objects.toString(r.workload(), ""), r.backend(), Integer.toString(r.chunksize()),
                        Objects.toString(r.tasks(), ""), Format.duration(Rows.micros(r)))).toList());

        // The figure: the (workload, task_size, tasks) with the widest sweep.
        Map<List<Object>, List<ResultRow>> sweeps = chunked.stream()
                .collect(Collectors.groupingBy(r -> Arrays.asList(r.workload(), r.taskSize(), r.tasks()),
                        LinkedHashMap::new, Collectors.toList()));
        var widest = sweeps.entrySet().stream()
                .max(Comparator.comparingLong(e -> e.getValue().stream().map(ResultRow::chunksize).distinct().count()))
                .orElseThrow();
        List<ResultRow> rows = widest.getValue();
        if (rows.stream().map(ResultRow::chunksize).distinct().count() < 2) {
            return new ChunksizeView(null, null, List.of(), null, 0, 0, null, lesson, table);
        }
        List<Object> key = widest.getKey();
        Map<String, TreeMap<Integer, ResultRow>> byBackend = new TreeMap<>(BackendOrder.SERIES);
        rows.forEach(r -> byBackend.computeIfAbsent(r.backend(), b -> new TreeMap<>()).putIfAbsent(r.chunksize(), r));
        double maxMicros = rows.stream().mapToDouble(Rows::micros).max().orElse(1);
        double scale = maxMicros >= 1e7 ? 1e6 : maxMicros >= 1e4 ? 1e3 : 1;
        String unit = scale == 1e3 ? "ms" : scale == 1e6 ? "s" : "µs";
        List<Series> series = new ArrayList<>();
        double lo = Double.MAX_VALUE;
        for (var e : byBackend.entrySet()) {
            List<Point> points = new ArrayList<>();
            for (ResultRow r : e.getValue().values()) {
                double t = Rows.micros(r) / scale;
                points.add(new Point(r.chunksize(), t, Rows.scaledError(t, r)));
                lo = Math.min(lo, t);
            }
            series.add(new Series(e.getKey(), e.getKey(), points));
        }
        Double sequential = timed.stream().filter(r -> Rows.isSequential(r.backend())
                        && Objects.equals(r.workload(), key.get(0)) && Objects.equals(r.taskSize(), key.get(1))
                        && Objects.equals(r.tasks(), key.get(2)))
                .findFirst().map(r -> Rows.micros(r) / scale).orElse(null);
        double fallback = lo;
        double lowest = Math.min(lo, timed.stream().filter(r -> Rows.isSequential(r.backend())
                && Objects.equals(r.workload(), key.get(0))).mapToDouble(r -> Rows.micros(r) / scale).min().orElse(fallback));
        int minChunk = rows.stream().mapToInt(ResultRow::chunksize).min().orElse(1);
        int maxChunk = rows.stream().mapToInt(ResultRow::chunksize).max().orElse(1);
        Integer workers = Rows.mostCommon(rows, ResultRow::workers);
        Integer tasks = (Integer) key.get(2);
        int a = workers != null && tasks != null && workers > 0 ? (tasks + 4 * workers - 1) / (4 * workers) : -1;
        boolean marked = a >= minChunk && a <= maxChunk; // only where the sweep reaches it
        String caption = Caption.of(env, rows, tasks + " tasks" + (key.get(1) == null ? "" : " of size " + key.get(1))
                + " per job" + (workers == null ? "" : ", " + workers + " workers") + "."
                + (a > 0 && !marked ? " The automatic chunksize would be " + a + "."
                : marked ? " Vertical line: the automatic chunksize." : ""), skipped);
        return new ChunksizeView(String.valueOf(key.get(0)), unit, series, sequential, lowest, marked ? a : 0, caption,
                lesson, table);
    }
}
