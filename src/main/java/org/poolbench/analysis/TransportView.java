package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.poolbench.results.IterationsCsv.Iteration;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Units;

/**
 * The process pool over pipes against the same pool over shared memory: each figure of the transport family beside
 * its floor, the ratio, and the bar the shared-memory transport must clear to become the pool's default (docs/POOL.md,
 * "Transports"). The crossover comes from the granularity family's rows (process-pool and process-pool-shm against
 * sequential).
 */
public record TransportView(List<String> labels, Series ratios, String lesson, Table table) implements View {

    /** The figure's file name: each figure's shared-memory value over its pipe value, one bar per figure. */
    public static final String FIGURE = "transport";

    @Override
    public String title() {
        return "Transport: pipes against shared memory";
    }

    @Override
    public List<String> figures() {
        return ratios.points().isEmpty() ? List.of() : List.of(FIGURE);
    }

    public static List<View> views(FamilyRows in) {
        return Viewer.some(of(in.own(), Rows.family(in.measured(), "granularity"), in.iterations()));
    }

    static TransportView of(List<ResultRow> rows, List<ResultRow> granularity, List<Iteration> iterations) {
        if (rows.isEmpty()) {
            return null;
        }
        List<List<String>> lines = new ArrayList<>();
        List<String> lesson = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Point> points = new ArrayList<>();
        Optional<ResultRow> pipeApply = find(rows, "roundTrip", "pipe");
        Optional<ResultRow> shmApply = find(rows, "roundTrip", "shared-memory");
        Optional<ResultRow> floor = find(rows, "pipeFloor", null);
        if (pipeApply.isPresent() && shmApply.isPresent()) {
            double r = shmApply.get().score() / pipeApply.get().score();
            lines.add(line("apply, back to back", pipeApply, shmApply, Format.times(r), "≤ 0.25×", r <= 0.25));
            ratio(labels, points, "apply (time)", r, pipeApply.get(), shmApply.get());
            lesson.add("apply takes " + value(shmApply.get()) + " over shared memory against " + value(pipeApply.get())
                    + " over pipes (" + Format.times(r) + ")");
            if (floor.isPresent()) {
                double f = shmApply.get().score() / floor.get().score();
                lines.add(List.of("apply over shared memory / the pipe floor", value(floor.get()) + " (floor)",
                        value(shmApply.get()), Format.times(f), "≤ 0.5×", f <= 0.5 ? "met" : "not met"));
            }
        }
        Optional<ResultRow> pipeMap = find(rows, "mapSquares", "pipe");
        Optional<ResultRow> shmMap = find(rows, "mapSquares", "shared-memory");
        if (pipeMap.isPresent() && shmMap.isPresent()) {
            double r = shmMap.get().score() / pipeMap.get().score();
            lines.add(line("map of 10^6 squares (throughput)", pipeMap, shmMap, Format.times(r), "≥ 1×", r >= 1));
            lesson.add("map moves " + Format.times(r) + " the items per second");
            ratio(labels, points, "map (time per item)", 1 / r, pipeMap.get(), shmMap.get());
        }
        // the scaling job with both pools taking turns in one JVM (ScalingBenchmark); runs before it measured
        // TransportBenchmark.factorial, one block per transport
        Optional<ResultRow> pipeFact = findBackend(rows, "job", "process-pool").or(() -> find(rows, "factorial", "pipe"));
        Optional<ResultRow> shmFact = findBackend(rows, "job", "process-pool-shm")
                .or(() -> find(rows, "factorial", "shared-memory"));
        if (pipeFact.isPresent() && shmFact.isPresent()) {
            // the same sequential time divides both: the speedups' ratio is the times' inverse ratio
            double r = pipeFact.get().score() / shmFact.get().score();
            double noise = Units.relativeError(pipeFact.get()) + Units.relativeError(shmFact.get());
            // the bar is 0.95×; a ratio below it but within both points' errors is said so, not called met
            List<String> fact = new ArrayList<>(line("factorial at full cores (speedup, shm / pipe)", pipeFact, shmFact,
                    Format.times(r), "≥ 0.95×", r >= 0.95));
            if (r < 0.95 && r >= 1 - noise) {
                fact.set(fact.size() - 1, "not met (within the points' errors, ±" + Math.round(noise * 100) + " %)");
            }
            lines.add(fact);
            lesson.add("factorial at full cores keeps " + Format.times(r) + " of its speedup over pipes");
            ratio(labels, points, "factorial (time)", 1 / r, pipeFact.get(), shmFact.get());
        }
        List<ResultRow> starts = rows.stream().filter(x -> "jvmStartup".equals(x.benchmark())).toList();
        Optional<ResultRow> jvm = starts.stream().filter(x -> x.workers() == null || x.workers() == 1).findFirst();
        // as many bare JVMs at once as the pool has workers: the floor of its start on this machine (on 2 cores two
        // booting JVMs share both, so they take longer than one; on 64 cores they would not)
        Optional<ResultRow> many = starts.stream().filter(x -> x.workers() != null && x.workers() > 1).findFirst();
        Optional<ResultRow> pipeFirst = find(rows, "firstResults", "pipe");
        Optional<ResultRow> shmFirst = find(rows, "firstResults", "shared-memory");
        if (pipeFirst.isPresent() && shmFirst.isPresent()) {
            ratio(labels, points, "first results (time)", shmFirst.get().score() / pipeFirst.get().score(),
                    pipeFirst.get(), shmFirst.get());
        }
        for (String t : List.of("pipe", "shared-memory")) {
            Optional<ResultRow> first = find(rows, "firstResults", t);
            if (first.isPresent() && jvm.isPresent()) {
                double r = first.get().score() / jvm.get().score();
                lines.add(List.of("first results of a new pool / one JVM's start (" + t + ")",
                        value(jvm.get()) + " (one JVM)", value(first.get()), Format.times(r), "≤ 1.3×",
                        r <= 1.3 ? "met" : "not met"));
            }
        }
        if (many.isPresent() && jvm.isPresent()) {
            double r = many.get().score() / jvm.get().score();
            lines.add(List.of(many.get().workers() + " bare JVMs started at once / one (the floor of the line above)",
                    value(jvm.get()) + " (one JVM)", value(many.get()), Format.times(r), "", "the machine's"));
        }
        for (String t : List.of("pipe", "shared-memory")) {
            Optional<ResultRow> idle = find(rows, "idle:idleCpu", t);
            if (idle.isPresent()) {
                double pct = idle.get().score();
                lines.add(List.of("CPU of an idle pool, % of one core (" + t + ")", "", Format.number(pct) + " %", "",
                        "< 2 %", pct < 2 ? "met" : "not met"));
            }
        }
        GranularityView.Crossover pipeCross = crossover(granularity, "process-pool", iterations);
        GranularityView.Crossover shmCross = crossover(granularity, "process-pool-shm", iterations);
        if (pipeCross != null || shmCross != null) {
            String p = pipeCross == null ? "none in range" : pipeCross.taskSize() + "! (" + Format.duration(pipeCross.workPerTask()) + ")";
            String s = shmCross == null ? "none in range" : shmCross.taskSize() + "! (" + Format.duration(shmCross.workPerTask()) + ")";
            boolean met = pipeCross != null && shmCross != null && shmCross.workPerTask() <= pipeCross.workPerTask() / 5;
            lines.add(List.of("beats sequential from (work per task)", p, s,
                    pipeCross != null && shmCross != null ? Format.times(shmCross.workPerTask() / pipeCross.workPerTask()) : "",
                    "≤ 0.2×", met ? "met" : "not met"));
        }
        if (lines.isEmpty()) {
            return null;
        }
        String text = lesson.isEmpty() ? "" : String.join("; ", lesson) + ".";
        return new TransportView(labels, new Series("shared memory / pipes", "process-pool-shm", points), text, new Table(List.of("figure", "pipe", "shared memory", "ratio", "target", "status"),
                lines));
    }

    /** One bar: shared memory's time over the pipes' (below 1: shared memory is faster), errors added in quadrature. */
    private static void ratio(List<String> labels, List<Point> points, String label, double r, ResultRow pipe,
            ResultRow shm) {
        labels.add(label);
        double rel = Math.hypot(Units.relativeError(pipe), Units.relativeError(shm));
        points.add(new Point(points.size() + 1, r, Double.isFinite(rel) ? r * rel : 0));
    }

    private static List<String> line(String what, Optional<ResultRow> pipe, Optional<ResultRow> shm, String ratio,
            String target, boolean met) {
        return List.of(what, value(pipe.get()), value(shm.get()), ratio, target, met ? "met" : "not met");
    }

    private static String value(ResultRow r) {
        String unit = r.unit() == null ? "" : r.unit();
        String err = r.scoreError() == null ? "" : " ± " + Format.number(r.scoreError());
        return Format.number(r.score()) + err + " " + unit;
    }

    private static Optional<ResultRow> findBackend(List<ResultRow> rows, String benchmark, String backend) {
        return rows.stream().filter(r -> benchmark.equals(r.benchmark()) && backend.equals(r.backend())).findFirst();
    }

    private static Optional<ResultRow> find(List<ResultRow> rows, String benchmark, String transport) {
        return rows.stream().filter(r -> benchmark.equals(r.benchmark()))
                .filter(r -> transport == null || transport.equals(r.param("transport"))).findFirst();
    }

    /** Where {@code backend} beats sequential on the granularity family's factorial rows; null if nowhere. */
    private static GranularityView.Crossover crossover(List<ResultRow> granularity, String backend,
            List<Iteration> iterations) {
        Map<Long, ResultRow> sequential = new TreeMap<>();
        TreeMap<Long, ResultRow> pool = new TreeMap<>();
        for (ResultRow r : granularity) {
            if (r.taskSize() == null || !"factorial".equals(r.benchmark())) {
                continue;
            }
            if ("sequential".equals(r.backend())) {
                sequential.putIfAbsent(r.taskSize(), r);
            } else if (backend.equals(r.backend())) {
                pool.putIfAbsent(r.taskSize(), r);
            }
        }
        return pool.isEmpty() ? null : GranularityView.crossover(pool, sequential, iterations);
    }
}
