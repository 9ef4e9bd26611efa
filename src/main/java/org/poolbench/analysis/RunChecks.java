package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.poolbench.results.IterationsCsv.Iteration;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Speedups;
import org.poolbench.results.Units;

/**
 * The checks every run makes of itself before its speedups are read, all from its own rows:
 * <ol>
 *   <li><b>Cores change nothing for sequential code</b>: sequential's time at the most cores over its time at 1 core,
 *   within {@link #SEQUENTIAL_LO}–{@link #SEQUENTIAL_HI}. Every speedup is over sequential at 1 core, so a baseline
 *   that runs slower at 1 core inflates them all. With the run's iterations, the ratio is the median of the pairs
 *   of neighbouring iterations (the core counts take turns) with its distribution-free 95 % interval (the sign
 *   test's order statistics); without, the ratio of the two scores. The median, not the mean: the machine's slow
 *   stretches (the thread's own CPU time 1.3-1.6x for a second or two, nothing else running, no steal) hit one side
 *   of a few pairs, and which side is chance; the check asks whether the baseline's code runs alike at both masks,
 *   which every pair the stretches missed answers.</li>
 *   <li><b>A one-worker pool is no faster than sequential</b> at 1 core: factorial through a pool of one worker does
 *   the same work plus messages, so {@code T(pool) / T(sequential)} below {@link #ONE_WORKER_LO} means the baseline
 *   is slow, not the pool fast.</li>
 *   <li><b>No speedup above the machine's ceiling</b>: a CPU-bound speedup (factorial, squares) at k cores whose
 *   lower error bar lies above the ceiling's upper one (the spin loop on k threads against one, same run) is not a
 *   result; it is flagged wherever it would be quoted ({@link #aboveCeiling}).</li>
 *   <li><b>Intervals narrow enough to cite</b>: on each side (JVM, CPython), at least {@link #PRECISE_SHARE} of the
 *   scaling points at the most cores within {@link QualityView#NOISY} relative error ({@link #precision}).</li>
 * </ol>
 * A ratio check is met when its estimate lies within the target, missed when its whole interval (95 % for the
 * paired ratio, JMH's 99.9 % errors added in quadrature otherwise) lies outside, and not resolved in between.
 */
public final class RunChecks {

    /** Sequential's k-core / 1-core time must lie within these. */
    public static final double SEQUENTIAL_LO = 0.95;
    public static final double SEQUENTIAL_HI = 1.05;
    /** A one-worker pool's time over sequential's, at 1 core, on factorial: at least this. */
    public static final double ONE_WORKER_LO = 0.90;
    public static final double ONE_WORKER_HI = 1.10;

    /** The share of a side's scaling points at the most cores that must be precise ({@link #precision}). */
    public static final double PRECISE_SHARE = 0.80;

    /** Workloads bound by the CPU, whose speedups the ceiling bounds (download waits, and may exceed it). */
    static final Set<String> CPU_BOUND = Set.of("factorial", "squares");

    /** What a check came to. */
    public enum Result {
        MET("met"),
        /** The figure's whole interval lies outside the target. */
        MISSED("MISSED"),
        /** The figure lies outside the target, its interval reaches into it: more iterations would tell. */
        NOT_RESOLVED("not resolved");

        private final String text;

        Result(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }

        /** Met when {@code x} lies in [lo, hi]; missed when all of [xLo, xHi] lies outside; else not resolved. */
        static Result of(double x, double xLo, double xHi, double lo, double hi) {
            if (x >= lo && x <= hi) {
                return MET;
            }
            return xHi < lo || xLo > hi ? MISSED : NOT_RESOLVED;
        }
    }

    /** One check: what was compared, the figure with its interval, the target, and what it came to. */
    public record Check(String name, String figure, String target, Result result) {
        /** Whether the target was met. */
        public boolean passed() {
            return result == Result.MET;
        }
    }

    private RunChecks() {
    }

    /** Every check the run's rows allow, in the order of the class javadoc. */
    public static List<Check> of(List<ResultRow> measured, List<Iteration> iterations) {
        List<Check> out = new ArrayList<>();
        out.addAll(sequential(measured, iterations));
        out.addAll(oneWorker(measured));
        out.addAll(ceiling(measured));
        out.addAll(precision(measured));
        return out;
    }

    /**
     * Per side (the JVM's backends, CPython's), the share of scaling points at the run's most cores whose relative
     * error (99.9 % half-width over the score) is at most {@link QualityView#NOISY}: at least {@link #PRECISE_SHARE}
     * of them, or the verdicts that rest on them are read from intervals too wide to carry them. Skipped below three
     * points with an error (smoke's two-iteration points have none).
     */
    static List<Check> precision(List<ResultRow> measured) {
        List<ResultRow> scaling = Rows.family(measured, "scaling");
        int most = scaling.stream().filter(r -> r.cores() != null).mapToInt(ResultRow::cores).max().orElse(0);
        List<Check> out = new ArrayList<>();
        for (boolean python : List.of(false, true)) {
            List<ResultRow> points = scaling.stream().filter(r -> Objects.equals(r.cores(), most)
                    && Rows.isPython(r.backend()) == python && r.scoreError() != null && r.score() != 0).toList();
            if (points.size() < 3) {
                continue;
            }
            long precise = points.stream().filter(r -> Units.relativeError(r) <= QualityView.NOISY).count();
            double share = (double) precise / points.size();
            out.add(new Check((python ? "CPython" : "JVM") + " scaling points at " + most + " cores with a relative "
                    + "error of at most " + Format.percent(QualityView.NOISY), precise + " of " + points.size()
                    + " (" + Format.percent(share) + ")", "at least " + Format.percent(PRECISE_SHARE),
                    share >= PRECISE_SHARE ? Result.MET : Result.MISSED));
        }
        return out;
    }

    /** Sequential (and py-sequential) at the most cores over 1 core, per workload. */
    static List<Check> sequential(List<ResultRow> measured, List<Iteration> iterations) {
        List<Check> out = new ArrayList<>();
        List<ResultRow> scaling = Rows.family(measured, "scaling");
        for (String backend : List.of(Speedups.BASELINE, Speedups.PY_BASELINE)) {
            for (String workload : Rows.distinct(scaling, ResultRow::workload)) {
                List<ResultRow> seq = scaling.stream().filter(r -> backend.equals(r.backend())
                        && workload.equals(r.workload()) && r.cores() != null).toList();
                ResultRow one = seq.stream().filter(r -> r.cores() == 1).findFirst().orElse(null);
                ResultRow top = seq.stream().max((a, b) -> Integer.compare(a.cores(), b.cores())).orElse(null);
                if (one == null || top == null || top.cores() == 1) {
                    continue;
                }
                double[] paired = paired(iterations, one, top);
                double ratio;
                double lo;
                double hi;
                String figure;
                if (paired != null) {
                    ratio = paired[0];
                    lo = paired[1];
                    hi = paired[2];
                    figure = String.format("%.3f [%.3f, %.3f], median of %d pairs of neighbouring iterations",
                            paired[0], paired[1], paired[2], (int) paired[3]);
                } else {
                    ratio = top.score() / one.score();
                    double err = ratio * Math.hypot(Units.relativeError(top), Units.relativeError(one));
                    lo = ratio - err;
                    hi = ratio + err;
                    figure = String.format("%.3f ± %.3f (ratio of the two scores)", ratio, err);
                }
                out.add(new Check(backend + " " + workload + ": " + top.cores() + " cores / 1 core", figure,
                        SEQUENTIAL_LO + "–" + SEQUENTIAL_HI, Result.of(ratio, lo, hi, SEQUENTIAL_LO, SEQUENTIAL_HI)));
            }
        }
        return out;
    }

    /**
     * The median of {@code top / one} over iterations with the same fork and number (neighbours in time when the two
     * points took turns), its 95 % interval and the number of pairs; null with fewer than 6 pairs (too few for an
     * interval of at least 95 %). The interval is [r(l), r(n+1-l)] of the sorted ratios, l the largest rank with
     * P(B &le; l - 1) &le; 2.5 % for B ~ Binomial(n, 1/2): it needs no assumption about the ratios' distribution.
     */
    static double[] paired(List<Iteration> iterations, ResultRow one, ResultRow top) {
        Map<List<Integer>, Double> a = values(iterations, one);
        Map<List<Integer>, Double> b = values(iterations, top);
        List<Double> ratios = new ArrayList<>();
        a.forEach((k, v) -> {
            Double w = b.get(k);
            if (w != null && v > 0 && w > 0) {
                ratios.add(w / v);
            }
        });
        int n = ratios.size();
        if (n < 6) {
            return null;
        }
        Collections.sort(ratios);
        double median = (ratios.get((n - 1) / 2) + ratios.get(n / 2)) / 2;
        BinomialDistribution signs = new BinomialDistribution(null, n, 0.5);
        int l = 1; // the lower bound's rank (1-based): the largest with P(B <= l - 1) <= 2.5 % (n >= 6 gives l >= 1)
        while (signs.cumulativeProbability(l) <= 0.025) {
            l++;
        }
        return new double[] {median, ratios.get(l - 1), ratios.get(n - l), n};
    }

    private static Map<List<Integer>, Double> values(List<Iteration> iterations, ResultRow r) {
        Map<List<Integer>, Double> out = new HashMap<>();
        for (Iteration it : iterations) {
            if ("primary".equals(it.metric()) && r.pointKey().equals(it.pointKey())) {
                out.put(List.of(it.fork(), it.iteration()), it.value());
            }
        }
        return out;
    }

    /** Factorial through each pool of one worker at 1 core, over sequential's time there. */
    static List<Check> oneWorker(List<ResultRow> measured) {
        List<Check> out = new ArrayList<>();
        List<ResultRow> rows = Rows.family(measured, "scaling").stream()
                .filter(r -> "factorial".equals(r.workload()) && Objects.equals(r.cores(), 1)
                        && Objects.equals(r.workers(), 1) && r.backend() != null).toList();
        for (ResultRow r : rows) {
            if (Rows.isSequential(r.backend()) || r.backend().contains("per-task")) {
                continue;
            }
            ResultRow base = Speedups.baseline(measured, r);
            if (base == null || base == r) {
                continue;
            }
            double ratio = r.score() / base.score();
            double err = ratio * Math.hypot(Units.relativeError(r), Units.relativeError(base));
            boolean jvm = !Rows.isPython(r.backend());
            // the JVM's pools add microseconds to a job of 100s of ms; CPython's also pickle every result
            Result result = Result.of(ratio, ratio - err, ratio + err, ONE_WORKER_LO,
                    jvm ? ONE_WORKER_HI : Double.POSITIVE_INFINITY);
            out.add(new Check(BackendOrder.seriesName(r, rows) + " (1 worker) / " + base.backend()
                    + ", factorial at 1 core", String.format("%.3f ± %.3f", ratio, err),
                    jvm ? ONE_WORKER_LO + "–" + ONE_WORKER_HI : "≥ " + ONE_WORKER_LO, result));
        }
        return out;
    }

    /** One check per core count: how many CPU-bound speedups lie above the ceiling. */
    static List<Check> ceiling(List<ResultRow> measured) {
        List<Point> ceiling = ScalingView.ceiling(measured);
        List<Check> out = new ArrayList<>();
        for (Point c : ceiling) {
            List<String> above = new ArrayList<>();
            long compared = 0;
            for (ResultRow r : cpuBoundSpeedups(measured, (int) c.x())) {
                compared++;
                if (isAbove(measured, r, c)) {
                    above.add(r.backend() + " " + r.workload() + " " + Format.times(r.speedup()));
                }
            }
            if (compared > 0) {
                out.add(new Check("CPU-bound speedups at " + (int) c.x() + (c.x() == 1 ? " core" : " cores")
                        + " against the machine ceiling "
                        + Format.times(c.y()) + " ± " + Format.number(c.error()),
                        above.isEmpty() ? "none of " + compared + " above it"
                                : above.size() + " of " + compared + " above it: " + String.join(", ", above),
                        "none above", above.isEmpty() ? Result.MET : Result.MISSED));
            }
        }
        return out;
    }

    /**
     * The one-worker checks of one side (the JVM's, or CPython's with {@code python}) that were not met, as
     * {@code "thread-pool (1 worker) / sequential, factorial at 1 core 0.882 ± 0.084"}: while one is, the side's
     * speedups over sequential at 1 core carry that much doubt about their baseline. Empty when all were met.
     */
    public static List<String> baselineInDoubt(List<ResultRow> measured, boolean python) {
        return oneWorker(measured).stream().filter(c -> !c.passed() && c.name().startsWith("py-") == python)
                .map(c -> c.name() + " " + c.figure()).toList();
    }

    /**
     * The point keys of CPU-bound speedups whose lower error bar lies above the ceiling's upper one at their core
     * count: not results, since no backend can beat the machine.
     */
    public static Set<List<Object>> aboveCeiling(List<ResultRow> measured) {
        Set<List<Object>> out = new HashSet<>();
        for (Point c : ScalingView.ceiling(measured)) {
            for (ResultRow r : cpuBoundSpeedups(measured, (int) c.x())) {
                if (isAbove(measured, r, c)) {
                    out.add(r.pointKey());
                }
            }
        }
        return out;
    }

    private static List<ResultRow> cpuBoundSpeedups(List<ResultRow> measured, int cores) {
        return Rows.family(measured, "scaling").stream().filter(r -> CPU_BOUND.contains(r.workload())
                && Objects.equals(r.cores(), cores) && r.speedup() != null && !Rows.isSequential(r.backend()))
                .toList();
    }

    private static boolean isAbove(List<ResultRow> measured, ResultRow r, Point ceiling) {
        ResultRow base = Speedups.baseline(measured, r);
        double err = r.speedup() * Math.hypot(Units.relativeError(r), base == null ? 0 : Units.relativeError(base));
        return r.speedup() - err > ceiling.y() + ceiling.error();
    }
}
