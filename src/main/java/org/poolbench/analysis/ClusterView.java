package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Units;

/**
 * Past one machine: the same workloads on Hazelcast members against the process pool's worker JVMs. One figure per
 * workload, speedup over sequential against members (cluster) or workers (process pool), one core each; the
 * member's costs (round trip, start-up, tiny tasks) in the lesson and the table.
 *
 * @param scaling workload → its series (cluster, process-pool), x = members or workers, y = speedup
 */
public record ClusterView(Map<String, List<Series>> scaling, int maxWorkers, String caption, String lesson,
                          Table table) implements View {

    /** The figure of one workload. */
    public static String figure(String workload) {
        return "cluster-scaling-" + Format.fileName(workload);
    }

    @Override
    public String title() {
        return "Past one machine: the cluster";
    }

    @Override
    public List<String> figures() {
        return scaling.keySet().stream().map(ClusterView::figure).toList();
    }

    /** The cluster family's view (beside the overhead family's JVM start-up), if its rows give one. */
    public static List<View> views(FamilyRows in) {
        return Viewer.some(of(in.own(), in.measured(), in.env(), in.skipped()));
    }

    static ClusterView of(List<ResultRow> family, List<ResultRow> all, Map<String, String> env, long skipped) {
        if (family.isEmpty()) {
            return null;
        }
        Map<String, List<Series>> scaling = new TreeMap<>();
        List<ResultRow> scalingRows = family.stream().filter(r -> "scaling".equals(r.benchmark())
                && r.workload() != null && r.workers() != null && Rows.micros(r) != null).toList();
        Map<String, Double> speedupAt2 = new TreeMap<>();
        for (String workload : Rows.distinct(scalingRows, ResultRow::workload)) {
            List<ResultRow> rows = scalingRows.stream().filter(r -> workload.equals(r.workload())).toList();
            Optional<ResultRow> seq = rows.stream().filter(r -> "sequential".equals(r.backend()))
                    .min(Comparator.comparing(ResultRow::workers));
            if (seq.isEmpty()) {
                continue;
            }
            List<Series> series = new ArrayList<>();
            for (String backend : List.of("process-pool", "cluster")) {
                List<Point> points = rows.stream().filter(r -> backend.equals(r.backend()))
                        .sorted(Comparator.comparing(ResultRow::workers)).map(r -> {
                            double s = Rows.micros(seq.get()) / Rows.micros(r);
                            return new Point(r.workers(), s, s * Math.hypot(Units.relativeError(r),
                                    Units.relativeError(seq.get())));
                        }).toList();
                if (!points.isEmpty()) {
                    series.add(new Series(backend, backend, points));
                    points.stream().filter(p -> p.x() == 2).findFirst()
                            .ifPresent(p -> speedupAt2.put(workload + "/" + backend, p.y()));
                }
            }
            scaling.put(workload, series);
        }
        int maxWorkers = scalingRows.stream().mapToInt(ResultRow::workers).max().orElse(1);
        String where = Objects.toString(env.get("jmh_extra_args"), "").contains("-Dpoolbench.cluster=")
                ? "Members at the addresses given with --cluster." : "Members on this machine, each pinned to its own core.";
        String caption = Caption.of(env, family, where + " Error bars: 99.9 % CI of both times.", skipped);
        List<List<String>> lines = family.stream()
                .sorted(Comparator.comparing((ResultRow r) -> r.benchmark()).thenComparing(r -> Objects.toString(r.workload(), ""))
                        .thenComparing(r -> BackendOrder.order(r.backend())).thenComparing(r -> Objects.requireNonNullElse(r.workers(), 0)))
                .map(r -> List.of(r.benchmark(), Objects.toString(r.workload(), ""), Objects.toString(r.backend(), ""),
                        Objects.toString(r.workers(), ""), Objects.toString(r.params(), ""),
                        Format.number(r.score()) + (r.scoreError() == null ? "" : " ± " + Format.number(r.scoreError()))
                                + " " + r.unit())).toList();
        return new ClusterView(scaling, maxWorkers, caption, lesson(family, all, speedupAt2),
                new Table(List.of("benchmark", "workload", "backend", "members / workers", "params", "score"), lines));
    }

    private static Optional<Double> micros(List<ResultRow> rows, String benchmark, String backend, String param) {
        return rows.stream().filter(r -> benchmark.equals(r.benchmark())
                        && (backend == null || backend.equals(r.backend()))
                        && (param == null || Objects.toString(r.params(), "").contains(param)))
                .map(Rows::micros).filter(Objects::nonNull).findFirst();
    }

    private static String lesson(List<ResultRow> rows, List<ResultRow> all, Map<String, Double> speedupAt2) {
        List<String> parts = new ArrayList<>();
        Optional<Double> rc = micros(rows, "roundTrip", "cluster", null);
        Optional<Double> rp = micros(rows, "roundTrip", "process-pool", null);
        if (rc.isPresent() && rp.isPresent()) {
            parts.add("A trivial task's round trip to a member costs " + Format.duration(rc.get()) + ", "
                    + Format.times(rc.get() / rp.get()) + " a worker process's apply (" + Format.duration(rp.get()) + ")");
            double threshold = 10 * Math.max(0, rc.get() - rp.get());
            parts.add("a member pays over a worker process only for tasks of at least " + Format.duration(threshold)
                    + " (the extra round trip then under 10 % of the work)");
        }
        Optional<Double> up = micros(rows, "memberUp", null, null);
        Optional<Double> jvm = all.stream().filter(r -> "overhead".equals(r.family()) && "jvmStartup".equals(r.benchmark()))
                .sorted(Comparator.comparing(r -> r.workers() == null ? Integer.MAX_VALUE : r.workers())) // one JVM first
                .map(Rows::micros).filter(Objects::nonNull).findFirst();
        up.ifPresent(u -> parts.add("a member starts in " + Format.duration(u)
                + jvm.map(j -> ", " + Format.times(u / j) + " a worker JVM's spawn-to-ready (" + Format.duration(j) + ")")
                .orElse("")));
        rows.stream().filter(r -> "firstTask".equals(r.benchmark()) && Rows.micros(r) != null)
                .max(Comparator.comparing(r -> Objects.toString(r.params(), ""))).ifPresent(r -> parts.add("a cluster of "
                        + Objects.toString(r.param("members"), "?") + " answers its first task after "
                        + Format.duration(Rows.micros(r))));
        Double sc = speedupAt2.get("factorial/cluster");
        Double sp = speedupAt2.get("factorial/process-pool");
        if (sc != null && sp != null) {
            parts.add("factorial on 2 members reaches " + Format.times(sc) + " against the pool's " + Format.times(sp)
                    + " with 2 workers (" + Format.number(sc / sp) + " of it)");
        }
        return parts.isEmpty() ? "" : String.join("; ", parts) + ".";
    }
}
