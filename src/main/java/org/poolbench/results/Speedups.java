package org.poolbench.results;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Speedup and efficiency for the families where they mean something ({@code scaling}, {@code granularity}).
 *
 * <p>{@code speedup = T(sequential) / T(row)}, where the sequential row is the one with the same run, family,
 * benchmark, workload, task_size, tasks, mode and unit and the fewest cores. For throughput modes ({@code thrpt}),
 * where higher is better, the ratio is inverted. {@code efficiency = speedup / cores} (empty without cores).
 * Chunk size is deliberately not part of the match: a sequential job does not chunk, so one sequential row is the
 * baseline for a whole chunk-size sweep. CPython baselines ({@code py-…} backends) are relative to
 * {@code py-sequential} instead, so that their speedup says how CPython scales, not how far it is from the JVM.
 */
public final class Speedups {

    /** The backend every JVM speedup is relative to. */
    public static final String BASELINE = "sequential";
    /** The backend every CPython ({@code py-…}) speedup is relative to. */
    public static final String PY_BASELINE = "py-sequential";

    private Speedups() {
    }

    /**
     * Returns {@code rows} in the same order, with speedup and efficiency recomputed for the rows of {@code families}
     * (the registry's families with speedups, {@code cli/Family}: scaling, granularity); other rows, skipped rows and
     * rows without a sequential baseline are returned with both cells empty.
     */
    public static List<ResultRow> fill(List<ResultRow> rows, Set<String> families) {
        Map<List<Object>, ResultRow> baselines = new HashMap<>();
        Comparator<ResultRow> fewestCores = Comparator.comparing(ResultRow::cores,
                Comparator.nullsLast(Comparator.naturalOrder()));
        for (ResultRow r : rows) {
            if (families.contains(r.family()) && isBaseline(r.backend()) && r.measured() && r.score() > 0) {
                baselines.merge(key(r), r, (a, b) -> fewestCores.compare(b, a) < 0 ? b : a);
            }
        }
        List<ResultRow> out = new ArrayList<>(rows.size());
        for (ResultRow r : rows) {
            ResultRow base = families.contains(r.family()) && r.measured() && r.score() > 0 ? baselines.get(key(r)) : null;
            if (base == null) {
                out.add(r.withSpeedup(null, null));
                continue;
            }
            double speedup = higherIsBetter(r.mode()) ? r.score() / base.score() : base.score() / r.score();
            Double efficiency = r.cores() == null || r.cores() <= 0 ? null : speedup / r.cores();
            out.add(r.withSpeedup(speedup, efficiency));
        }
        return out;
    }

    /**
     * The sequential row {@code r}'s speedup is relative to (see the class comment), or {@code null} if {@code rows}
     * has none; {@code r} is a row of a family with speedups (its callers ask of scaling rows).
     */
    public static ResultRow baseline(List<ResultRow> rows, ResultRow r) {
        List<Object> k = key(r);
        ResultRow best = null;
        for (ResultRow b : rows) {
            if (isBaseline(b.backend()) && b.measured() && b.score() > 0 && key(b).equals(k)
                    && (best == null || (b.cores() != null && (best.cores() == null || b.cores() < best.cores())))) {
                best = b;
            }
        }
        return best;
    }

    /** True for JMH's throughput mode, where a larger score is better. */
    public static boolean higherIsBetter(String mode) {
        return "thrpt".equals(mode);
    }

    private static boolean isBaseline(String backend) {
        return BASELINE.equals(backend) || PY_BASELINE.equals(backend);
    }

    private static List<Object> key(ResultRow r) {
        boolean py = r.backend() != null && r.backend().startsWith("py-");
        return Arrays.asList(py, r.runId(), r.family(), r.benchmark(), r.workload(), r.taskSize(), r.tasks(), r.mode(),
                r.unit());
    }
}
