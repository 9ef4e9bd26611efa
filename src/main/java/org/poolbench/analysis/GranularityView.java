package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.poolbench.results.ResultRow;

/**
 * Task granularity: at what work per task does a pool beat sequential code? The figure shows the workload with the
 * widest task-size sweep, wall time per task against work per task (the sequential time of one task), log–log; the
 * table and lesson cover every workload.
 *
 * @param workload  the workload drawn
 * @param series    per backend: x = work per task (µs), y = wall time per task (µs)
 * @param workRange the smallest and largest work per task: the reference lines run between them
 * @param cores     the cores of the drawn rows: the ideal line is y = x / cores
 * @param crossover where process-pool starts to stay faster than sequential, or {@code null}
 */
public record GranularityView(String workload, List<Series> series, double[] workRange, int cores,
                              Crossover crossover, String caption, String lesson, Table table) implements View {

    /** The figure's file name. */
    public static final String FIGURE = "granularity";

    /**
     * The smallest task size from which a backend stays faster than sequential up to the largest size measured.
     *
     * @param taskSize     that task size ({@code n} of the factorial tasks)
     * @param workPerTask  the sequential time of one such task, µs
     */
    public record Crossover(long taskSize, double workPerTask) {
    }

    @Override
    public String title() {
        return "Granularity";
    }

    @Override
    public List<String> figures() {
        return workload == null ? List.of() : List.of(FIGURE);
    }

    /**
     * The crossover of {@code backend} (task size → row) against {@code sequential} (task size → row): walking down
     * from the largest task size, the last size at which the backend is still faster; {@code null} if it is not
     * faster at the largest.
     */
    public static Crossover crossover(TreeMap<Long, ResultRow> backend, Map<Long, ResultRow> sequential) {
        if (backend == null) {
            return null;
        }
        ResultRow from = null;
        for (ResultRow r : backend.descendingMap().values()) {
            ResultRow seq = sequential.get(r.taskSize());
            if (seq == null) {
                continue;
            }
            if (Rows.micros(r) < Rows.micros(seq)) {
                from = r;
            } else {
                break;
            }
        }
        if (from == null) {
            return null;
        }
        ResultRow seq = sequential.get(from.taskSize());
        return new Crossover(from.taskSize(), Rows.micros(seq) / seq.tasks());
    }

    static GranularityView of(List<ResultRow> family, Map<String, String> env, long skipped) {
        List<ResultRow> sweep = family.stream().filter(r -> r.taskSize() != null && r.tasks() != null && r.tasks() > 0
                && Rows.micros(r) != null).toList();
        if (sweep.isEmpty()) {
            return null;
        }
        Lessons lessons = lessons(sweep);
        String workload = sweep.stream().collect(Collectors.groupingBy(r -> Objects.toString(r.workload(), ""),
                        TreeMap::new, Collectors.mapping(ResultRow::taskSize, Collectors.toSet())))
                .entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
                .map(Map.Entry::getKey).orElseThrow();
        List<ResultRow> rows = sweep.stream().filter(r -> workload.equals(Objects.toString(r.workload(), ""))).toList();
        // The chunksize sweep is another view: keep the chunk size most rows were measured with.
        Integer chunk = Rows.mostCommon(rows.stream().filter(r -> !Rows.isSequential(r.backend())).toList(),
                ResultRow::chunksize);
        List<ResultRow> drawn = rows.stream()
                .filter(r -> Rows.isSequential(r.backend()) || Objects.equals(r.chunksize(), chunk)).toList();
        Map<Long, ResultRow> sequential = new TreeMap<>();
        drawn.stream().filter(r -> Rows.isSequential(r.backend())).forEach(r -> sequential.putIfAbsent(r.taskSize(), r));
        if (sequential.isEmpty()) {
            return new GranularityView(null, List.of(), null, 0, null, null, lessons.text, lessons.table);
        }
        Map<String, TreeMap<Long, ResultRow>> byBackend = new TreeMap<>(BackendOrder.SERIES);
        drawn.forEach(r -> byBackend.computeIfAbsent(r.backend(), b -> new TreeMap<>()).putIfAbsent(r.taskSize(), r));
        List<Series> series = new ArrayList<>();
        for (var e : byBackend.entrySet()) {
            List<Point> points = new ArrayList<>();
            for (ResultRow r : e.getValue().values()) {
                ResultRow seq = sequential.get(r.taskSize());
                if (seq != null) {
                    double perTask = Rows.micros(r) / r.tasks();
                    points.add(new Point(Rows.micros(seq) / seq.tasks(), perTask, Rows.scaledError(perTask, r)));
                }
            }
            if (!points.isEmpty()) {
                series.add(new Series(e.getKey(), e.getKey(), points));
            }
        }
        double[] work = sequential.values().stream().mapToDouble(r -> Rows.micros(r) / r.tasks()).sorted().toArray();
        int cores = drawn.stream().map(ResultRow::cores).filter(Objects::nonNull).max(Integer::compare)
                .orElseGet(() -> {
                    Double d = Rows.parse(env.get("logical_cores"));
                    return d == null ? 1 : d.intValue();
                });
        Crossover cross = crossover(byBackend.get("process-pool"), sequential);
        String note = cross != null ? "Vertical line: from this task size on, process-pool beats sequential."
                : byBackend.containsKey("process-pool") ? "process-pool never stays faster than sequential in this range."
                : "";
        String chunkNote = chunk == null ? "" : " chunksize " + (chunk == 0 ? "auto" : chunk) + ".";
        String caption = Caption.of(env, drawn, drawn.get(0).tasks() + " tasks per job." + chunkNote + " " + note,
                skipped);
        return new GranularityView(workload, series, new double[] {work[0], work[work.length - 1]}, cores, cross,
                caption, lessons.text, lessons.table);
    }

    private record Lessons(String text, Table table) {
    }

    /** Every workload's crossover per backend, in words, and the table of all points. */
    private static Lessons lessons(List<ResultRow> all) {
        Integer chunk = Rows.mostCommon(all.stream().filter(r -> !Rows.isSequential(r.backend())).toList(),
                ResultRow::chunksize);
        List<ResultRow> sweep = all.stream()
                .filter(r -> Rows.isSequential(r.backend()) || Objects.equals(r.chunksize(), chunk)).toList();
        // (workload, task size) → sequential row
        Map<List<Object>, ResultRow> seq = new LinkedHashMap<>();
        sweep.stream().filter(r -> "sequential".equals(r.backend()))
                .forEach(r -> seq.putIfAbsent(List.of(Objects.toString(r.workload(), ""), r.taskSize()), r));
        Comparator<List<String>> order = Comparator.comparing((List<String> k) -> k.get(1), BackendOrder.SERIES)
                .thenComparing(k -> k.get(0));
        Map<List<String>, TreeMap<Long, ResultRow>> byBackend = new TreeMap<>(order);
        sweep.forEach(r -> byBackend.computeIfAbsent(List.of(Objects.toString(r.workload(), ""), r.backend()),
                b -> new TreeMap<>()).putIfAbsent(r.taskSize(), r));
        List<String> lessons = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (var e : byBackend.entrySet()) {
            String workload = e.getKey().get(0);
            String backend = e.getKey().get(1);
            Map<Long, ResultRow> sequential = new TreeMap<>();
            seq.forEach((k, r) -> {
                if (workload.equals(k.get(0))) {
                    sequential.put(r.taskSize(), r);
                }
            });
            for (ResultRow r : e.getValue().values()) {
                ResultRow s = sequential.get(r.taskSize());
                table.add(List.of(workload, backend, Long.toString(r.taskSize()),
                        s == null ? "" : Format.duration(Rows.micros(s) / s.tasks()),
                        Format.duration(Rows.micros(r) / r.tasks()),
                        s == null ? "" : Format.times(Rows.micros(s) / Rows.micros(r))));
            }
            if (Rows.isSequential(backend)) {
                continue;
            }
            Crossover from = crossover(e.getValue(), sequential);
            lessons.add(from == null ? backend + " is never faster than sequential on " + workload + " in this range"
                    : backend + " beats sequential on " + workload + " from task size " + from.taskSize() + " on (≈ "
                    + Format.duration(from.workPerTask()) + " of work per task)");
        }
        String text = lessons.isEmpty() ? "" : String.join("; ", lessons) + "."
                + (chunk == null ? "" : " Chunksize " + (chunk == 0 ? "auto" : chunk) + ".");
        return new Lessons(text, new Table(
                List.of("workload", "backend", "task size", "work per task", "wall time per task", "speedup"), table));
    }
}
