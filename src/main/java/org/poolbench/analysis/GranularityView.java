package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.poolbench.results.IterationsCsv.Iteration;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Units;

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

    /** {@link #crossover(TreeMap, Map, List)} with no iterations: judged by the JMH errors alone. */
    public static Crossover crossover(TreeMap<Long, ResultRow> backend, Map<Long, ResultRow> sequential) {
        return crossover(backend, sequential, List.of());
    }

    /**
     * The crossover of {@code backend} (task size → row) against {@code sequential} (task size → row): walking down
     * from the largest task size, the last size at which the backend is still faster beyond the noise; {@code null}
     * if it is not so at the largest. A point at parity within the noise is not a crossover ({@link #clearlyFaster}).
     */
    public static Crossover crossover(TreeMap<Long, ResultRow> backend, Map<Long, ResultRow> sequential,
            List<Iteration> iterations) {
        if (backend == null) {
            return null;
        }
        ResultRow from = null;
        for (ResultRow r : backend.descendingMap().values()) {
            ResultRow seq = sequential.get(r.taskSize());
            if (seq == null) {
                continue;
            }
            if (clearlyFaster(r, seq, iterations)) {
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

    /**
     * True if {@code r} is faster than {@code seq} beyond the noise: where the two took turns iteration by iteration
     * (the granularity family does), the 95 % interval of the median of their paired ratios lies below 1
     * ({@link RunChecks#paired}; pairing cancels the machine's drift, which JMH's errors carry); else their ratio
     * plus its error (both JMH errors in quadrature) is below 1.
     */
    static boolean clearlyFaster(ResultRow r, ResultRow seq, List<Iteration> iterations) {
        double[] paired = iterations.isEmpty() ? null : RunChecks.paired(iterations, seq, r);
        if (paired != null) {
            return paired[2] < 1;
        }
        double ratio = Rows.micros(r) / Rows.micros(seq);
        return ratio * (1 + Math.hypot(Units.relativeError(r), Units.relativeError(seq))) < 1;
    }

    /** The granularity family's task-size sweep, if its rows give one. */
    public static List<View> views(FamilyRows in) {
        return Viewer.some(of(in.own(), in.env(), in.skipped(), in.iterations()));
    }

    static GranularityView of(List<ResultRow> family, Map<String, String> env, long skipped,
            List<Iteration> iterations) {
        List<ResultRow> sweep = family.stream().filter(r -> r.taskSize() != null && r.tasks() != null && r.tasks() > 0
                && Rows.micros(r) != null).toList();
        if (sweep.isEmpty()) {
            return null;
        }
        Lessons lessons = lessons(sweep, iterations);
        String workload = sweep.stream().collect(Collectors.groupingBy(r -> Objects.toString(r.workload(), ""),
                        TreeMap::new, Collectors.mapping(ResultRow::taskSize, Collectors.toSet())))
                .entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
                .map(Map.Entry::getKey).orElseThrow();
        List<ResultRow> drawn = atUsualChunk(sweep.stream()
                .filter(r -> workload.equals(Objects.toString(r.workload(), ""))).toList());
        Map<Long, ResultRow> sequential = baseline(drawn, "sequential");
        Map<Long, ResultRow> pySequential = baseline(drawn, "py-sequential");
        if (sequential.isEmpty() && pySequential.isEmpty()) {
            return new GranularityView(null, List.of(), null, 0, null, null, lessons.text, lessons.table);
        }
        Map<String, TreeMap<Long, ResultRow>> byBackend = new TreeMap<>(BackendOrder.SERIES);
        drawn.forEach(r -> byBackend.computeIfAbsent(r.backend(), b -> new TreeMap<>()).putIfAbsent(r.taskSize(), r));
        List<Series> series = new ArrayList<>();
        for (var e : byBackend.entrySet()) {
            List<Point> points = new ArrayList<>();
            Map<Long, ResultRow> base = Rows.isPython(e.getKey()) ? pySequential : sequential;
            for (ResultRow r : e.getValue().values()) {
                ResultRow seq = base.get(r.taskSize());
                if (seq != null) {
                    double perTask = Rows.micros(r) / r.tasks();
                    points.add(new Point(Rows.micros(seq) / seq.tasks(), perTask, Rows.scaledError(perTask, r)));
                }
            }
            if (!points.isEmpty()) {
                series.add(new Series(e.getKey(), e.getKey(), points));
            }
        }
        double[] work = java.util.stream.Stream.concat(sequential.values().stream(), pySequential.values().stream())
                .mapToDouble(r -> Rows.micros(r) / r.tasks()).sorted().toArray();
        int cores = drawn.stream().map(ResultRow::cores).filter(Objects::nonNull).max(Integer::compare)
                .orElseGet(() -> {
                    Double d = Rows.parse(env.get("logical_cores"));
                    return d == null ? 1 : d.intValue();
                });
        Crossover cross = crossover(byBackend.get("process-pool"), sequential, iterations);
        String note = cross != null ? "Vertical line: from this task size on, process-pool beats sequential."
                : byBackend.containsKey("process-pool") ? "process-pool never stays faster than sequential beyond the noise in this range."
                : "";
        if (byBackend.containsKey("process-pool-shm")) { // the same pool over shared memory: where it pays
            Crossover shm = crossover(byBackend.get("process-pool-shm"), sequential, iterations);
            note += shm == null ? " process-pool-shm never stays faster than sequential beyond the noise in this range."
                    : " process-pool-shm (shared memory) beats sequential from " + shm.taskSize() + "! on ("
                    + Format.duration(shm.workPerTask()) + " of work per task"
                    + (cross == null ? "" : "; over pipes from " + Format.duration(cross.workPerTask())) + ").";
        }
        String chunkNote = chunkNote(drawn);
        String caption = Caption.of(env, drawn, tasksPerJob(drawn) + chunkNote + " " + note, skipped);
        return new GranularityView(workload, series, new double[] {work[0], work[work.length - 1]}, cores, cross,
                caption, lessons.text, lessons.table);
    }

    private record Lessons(String text, Table table) {
    }

    /** Each backend's rows at the chunk size most of its rows have (the chunk-size sweep is another view). */
    static List<ResultRow> atUsualChunk(List<ResultRow> rows) {
        Map<String, Integer> usual = new java.util.HashMap<>();
        for (String b : Rows.distinct(rows, ResultRow::backend)) {
            usual.put(b, Rows.mostCommon(rows.stream().filter(r -> b.equals(r.backend())).toList(),
                    ResultRow::chunksize));
        }
        return rows.stream().filter(r -> Rows.isSequential(r.backend())
                || Objects.equals(r.chunksize(), usual.get(r.backend()))).toList();
    }

    /** Task size → the first row of {@code backend}. */
    private static Map<Long, ResultRow> baseline(List<ResultRow> rows, String backend) {
        Map<Long, ResultRow> out = new TreeMap<>();
        rows.stream().filter(r -> backend.equals(r.backend())).forEach(r -> out.putIfAbsent(r.taskSize(), r));
        return out;
    }

    /** {@code chunksize auto.}, or per kind where JVM and CPython pools differ. */
    private static String chunkNote(List<ResultRow> rows) {
        List<String> jvm = rows.stream().filter(r -> !Rows.isSequential(r.backend()) && !Rows.isPython(r.backend())
                && r.chunksize() != null).map(r -> chunk(r.chunksize())).distinct().toList();
        List<String> py = rows.stream().filter(r -> !Rows.isSequential(r.backend()) && Rows.isPython(r.backend())
                && r.chunksize() != null).map(r -> chunk(r.chunksize())).distinct().toList();
        String note = jvm.isEmpty() ? "" : " Chunksize " + String.join(", ", jvm) + ".";
        return py.isEmpty() ? note : note + " CPython pools: chunksize " + String.join(", ", py)
                + ", over py-sequential.";
    }

    private static String chunk(int c) {
        return c == 0 ? "auto" : Integer.toString(c);
    }

    /** Every workload's crossover per backend, in words, and the table of all points. */
    private static Lessons lessons(List<ResultRow> all, List<Iteration> iterations) {
        List<ResultRow> sweep = atUsualChunk(all);
        // (JVM or CPython, workload, task size) → sequential row
        Map<List<Object>, ResultRow> seq = new LinkedHashMap<>();
        sweep.stream().filter(r -> Rows.isSequential(r.backend())).forEach(r -> seq.putIfAbsent(
                List.of(Rows.isPython(r.backend()), Objects.toString(r.workload(), ""), r.taskSize()), r));
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
                if (k.get(0).equals(Rows.isPython(backend)) && workload.equals(k.get(1))) {
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
            Crossover from = crossover(e.getValue(), sequential, iterations);
            lessons.add(from == null ? backend + " is never faster than "
                    + (Rows.isPython(backend) ? "py-sequential" : "sequential") + " on " + workload
                    + " beyond the noise in this range"
                    : backend + " beats " + (Rows.isPython(backend) ? "py-sequential" : "sequential") + " on " + workload + " from task size " + from.taskSize() + " on (≈ "
                    + Format.duration(from.workPerTask()) + " of work per task)");
        }
        String text = lessons.isEmpty() ? "" : String.join("; ", lessons) + "." + chunkNote(sweep);
        return new Lessons(text, new Table(
                List.of("workload", "backend", "task size", "work per task", "wall time per task", "speedup"), table));
    }

    /** "8192 tasks per job.", or where sizes have their own counts "8192 tasks per job at 300! to 256 at 3000! (…)". */
    static String tasksPerJob(List<ResultRow> drawn) {
        ResultRow first = drawn.stream().filter(r -> r.tasks() != null && r.taskSize() != null)
                .min(Comparator.comparing(ResultRow::taskSize)).orElse(drawn.get(0));
        ResultRow last = drawn.stream().filter(r -> r.tasks() != null && r.taskSize() != null)
                .max(Comparator.comparing(ResultRow::taskSize)).orElse(drawn.get(0));
        return Objects.equals(first.tasks(), last.tasks()) ? first.tasks() + " tasks per job."
                : first.tasks() + " tasks per job at " + first.taskSize() + "! to " + last.tasks() + " at "
                + last.taskSize() + "! (about the same work per job).";
    }
}
