package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Speedups;
import org.poolbench.results.Units;

/**
 * Speedup over sequential against the cores the JVM could use, one workload: one series per backend (and per chunk
 * size where a backend has several), oversubscribed worker counts as series of their own.
 *
 * @param workload the workload
 * @param maxCores the most cores any point had: the ideal line runs from 1 to here
 * @param series   speedup against cores; error bars are both times' relative errors added in quadrature
 * @param ceiling  what k cores give to pure arithmetic on this machine (family {@code ceiling}: one thread against k
 *                 threads of a spin loop), one point per core count; empty when the run did not measure it
 */
public record ScalingView(String workload, int maxCores, List<Series> series, List<Point> ceiling, String caption,
                          String lesson, Table table) implements View {

    @Override
    public String title() {
        return "Scaling: " + workload;
    }

    @Override
    public List<String> figures() {
        return List.of(figure());
    }

    /** The figure's file name. */
    public String figure() {
        return "scaling-" + Format.fileName(workload);
    }

    /** The scaling family's views: one per workload, in the order the rows name them. */
    public static List<View> views(FamilyRows in) {
        List<View> out = new ArrayList<>();
        for (String workload : Rows.distinct(in.own(), ResultRow::workload)) {
            long skipped = in.rows().stream().filter(r -> !r.measured() && in.family().equals(r.family())
                    && Format.fileName(workload).equals(Format.fileName(Objects.toString(r.workload(), "")))).count();
            out.add(of(in.measured(), workload, in.env(), skipped));
        }
        return out;
    }

    /** The view of {@code workload}'s scaling rows ({@code measured}: measured rows of every family). */
    static ScalingView of(List<ResultRow> measured, String workload, Map<String, String> env, long skipped) {
        List<ResultRow> rows = Rows.family(measured, "scaling").stream()
                .filter(r -> workload.equals(r.workload()) && r.cores() != null).toList();
        // series name → workers per core → cores → row
        Map<String, Map<Double, TreeMap<Integer, ResultRow>>> byName = new TreeMap<>(BackendOrder.SERIES);
        for (ResultRow r : rows) {
            double factor = Rows.isSequential(r.backend()) || r.workers() == null ? 1 : (double) r.workers() / r.cores();
            byName.computeIfAbsent(BackendOrder.seriesName(r, rows), b -> new TreeMap<>())
                    .computeIfAbsent(factor, f -> new TreeMap<>()).putIfAbsent(r.cores(), r);
        }
        int maxCores = rows.stream().mapToInt(ResultRow::cores).max().orElse(1);
        List<Series> series = new ArrayList<>();
        Map<String, Map<Integer, Double>> atOneWorkerPerCore = new TreeMap<>(BackendOrder.SERIES);
        Set<List<Object>> aboveCeiling = RunChecks.aboveCeiling(measured);
        Map<String, Set<Integer>> flagged = new TreeMap<>(); // series name → core counts above the ceiling
        for (var named : byName.entrySet()) {
            String name = named.getKey();
            String backend = name.split(",")[0];
            for (var byFactor : named.getValue().entrySet()) {
                double factor = byFactor.getKey();
                List<Point> points = new ArrayList<>();
                for (ResultRow r : byFactor.getValue().values()) {
                    if (r.speedup() == null) {
                        continue;
                    }
                    ResultRow base = Speedups.baseline(measured, r);
                    double rel = Math.hypot(Units.relativeError(r), base == null ? 0 : Units.relativeError(base));
                    points.add(new Point(r.cores(), r.speedup(), r.speedup() * rel));
                    if (factor == 1) {
                        atOneWorkerPerCore.computeIfAbsent(name, n -> new TreeMap<>()).put(r.cores(), r.speedup());
                        if (aboveCeiling.contains(r.pointKey())) {
                            flagged.computeIfAbsent(name, n -> new TreeSet<>()).add(r.cores());
                        }
                    }
                }
                if (!points.isEmpty()) {
                    series.add(new Series(factor == 1 ? name : name + ", " + Format.number(factor) + "× workers",
                            backend, points, !name.equals(backend), factor != 1));
                }
            }
        }
        List<Point> ceiling = ceiling(measured);
        boolean python = rows.stream().anyMatch(r -> Rows.isPython(r.backend()));
        String caption = Caption.of(env, rows, (ceiling.isEmpty() ? "" : "Grey solid: this machine's ceiling (a spin"
                + " loop on k threads against one). ") + "Dotted, hollow: more workers than cores."
                + (python ? " Dashed py-…: CPython, over py-sequential." : "")
                + " Error bars: 99.9 % CI of both times.", skipped);
        return new ScalingView(workload, maxCores, series, ceiling, caption,
                lesson(workload, rows, atOneWorkerPerCore, ceiling, flagged),
                table(rows, atOneWorkerPerCore, ceiling, flagged));
    }

    /**
     * The machine's ceiling at each core count k: T(one spinning thread) / T(k spinning threads), both pinned to the
     * fewest cores measured and to k; at k = 1 it is 1 by definition.
     */
    static List<Point> ceiling(List<ResultRow> measured) {
        List<ResultRow> spin = Rows.family(measured, "ceiling").stream()
                .filter(r -> r.cores() != null && r.workers() != null && Rows.micros(r) != null).toList();
        ResultRow one = spin.stream().filter(r -> r.workers() == 1)
                .min(Comparator.comparing(ResultRow::cores)).orElse(null);
        if (one == null) {
            return List.of();
        }
        TreeMap<Integer, Point> points = new TreeMap<>();
        for (ResultRow r : spin) {
            if (r.workers().equals(r.cores())) {
                double s = Rows.micros(one) / Rows.micros(r);
                double rel = Math.hypot(Units.relativeError(r), Units.relativeError(one));
                points.putIfAbsent(r.cores(), new Point(r.cores(), s, s * rel));
            }
        }
        return List.copyOf(points.values());
    }

    private static String lesson(String workload, List<ResultRow> rows, Map<String, Map<Integer, Double>> speedups,
                                 List<Point> ceiling, Map<String, Set<Integer>> flagged) {
        int max = rows.stream().mapToInt(ResultRow::cores).max().orElse(0);
        List<String> atMax = new ArrayList<>();
        List<String> above = new ArrayList<>();
        speedups.entrySet().stream().filter(e -> e.getValue().containsKey(max) && !Rows.isSequential(e.getKey()))
                .sorted(Comparator.comparingDouble(e -> -e.getValue().get(max)))
                .forEach(e -> (flagged.getOrDefault(e.getKey(), Set.of()).contains(max) ? above : atMax)
                        .add(e.getKey() + (Rows.isPython(e.getKey()) ? " (over py-sequential) " : " ")
                        + Format.times(e.getValue().get(max))));
        return atMax.isEmpty() && above.isEmpty() ? "No speedups: the run has no sequential baseline for " + workload
                + "." : "At " + max + " cores on " + workload + ", the speedup over sequential is "
                + String.join(", ", atMax) + " (ideal: " + max + "×" + ceiling.stream().filter(p -> p.x() == max)
                .findFirst().map(p -> "; this machine's ceiling: " + Format.times(p.y())).orElse("")
                + "). " + (above.isEmpty() ? "" : "Above the machine's ceiling beyond both errors, so not results "
                + "(the sequential baseline or the ceiling is off; see Measurement quality): "
                + String.join(", ", above) + ". ") + "Points with more workers than cores are in the chart only.";
    }

    private static Table table(List<ResultRow> rows, Map<String, Map<Integer, Double>> speedups, List<Point> ceiling,
                               Map<String, Set<Integer>> flagged) {
        TreeSet<Integer> cores = rows.stream().map(ResultRow::cores).collect(Collectors.toCollection(TreeSet::new));
        List<String> header = new ArrayList<>(List.of("backend"));
        cores.forEach(c -> header.add(c + (c == 1 ? " core" : " cores")));
        List<List<String>> lines = new ArrayList<>();
        speedups.forEach((name, byCores) -> {
            List<String> line = new ArrayList<>(List.of(name));
            cores.forEach(c -> line.add(!byCores.containsKey(c) ? "" : Format.times(byCores.get(c))
                    + (flagged.getOrDefault(name, Set.of()).contains(c) ? " (above ceiling: not a result)" : "")));
            lines.add(line);
        });
        if (!ceiling.isEmpty()) {
            List<String> line = new ArrayList<>(List.of("machine ceiling (spin)"));
            cores.forEach(c -> line.add(ceiling.stream().filter(p -> p.x() == c).findFirst()
                    .map(p -> Format.times(p.y())).orElse("")));
            lines.add(line);
        }
        return new Table(header, lines);
    }
}
