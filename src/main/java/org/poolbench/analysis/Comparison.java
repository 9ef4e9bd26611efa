package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.inference.TTest;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Speedups;

/**
 * Two runs compared point by point, in the manner of criterion.rs: a test of significance on the raw iterations, a
 * bootstrap interval on the change, and a noise threshold, then a verdict.
 *
 * <p>Rows match on {@link ResultRow#pointKey()} and must share mode and unit. The change is the <em>time ratio
 * B / A</em> (for throughput, A's score over B's), so below 1 means B is faster. Where both runs kept their raw
 * iterations, the ratio is of the iteration means, its interval is a 95 % percentile bootstrap (both samples
 * resampled, fixed seed, so the same data gives the same interval), and the verdict is:
 * <ul>
 *   <li>{@code faster} / {@code slower}: Welch's t-test gives p &lt; 0.05 and the whole interval lies beyond the noise
 *       threshold ({@code high < 1 − t}, or {@code low > 1 + t}) and beyond the machine's own move (below);</li>
 *   <li>{@code no change}: anything else (not significant, or significant but within the threshold or the machine's
 *       move, which is noted).</li>
 * </ul>
 * The machine's move: where both runs recorded which invocation measured a point and the machine probe's copy
 * readings around it, {@code c} is B's copy time over A's there ({@link MachineDrift#copyRatios}). A point bound by
 * memory may move as far as the copy did, one bound by its core not at all. Where both runs took a machine reading
 * after each of the point's iterations (the CPython program's {@code machine.factorial}: the slowest of the
 * iteration's CPUs computing a fixed factorial), {@code c} is B's mean reading over A's instead
 * ({@link MachineDrift#probeRatios}): it sees the phases in which one vCPU runs slow, which a copy before and after a
 * part of minutes does not. Any ratio between 1 and {@code c} is the machine's doing: faster needs
 * {@code high < min(1, c)·(1 − t)}, slower {@code low > max(1, c)·(1 + t)}. The
 * allowance only widens in the direction the machine moved; a point that moved against it is judged as before.
 * Without raw iterations it falls back to the two 99.9 % intervals of results.csv ({@code method = intervals}): the
 * ratio interval is their extreme ratios, and it is a change only when the intervals do not overlap and the ratio is
 * beyond the threshold. A point with fewer than three iterations (no error, as in smoke) gets {@code no error
 * estimate}.
 *
 * <p>The threshold is what a reader gave, or else the larger of {@link #DEFAULT_THRESHOLD} and the two runs'
 * {@link MachineDrift}: a change smaller than the machine's own drift cannot be told from it. {@code thresholdBasis}
 * says which, for the report.
 */
public record Comparison(String labelA, String labelB, double threshold, String thresholdBasis, List<Change> changes,
                         long onlyInA, long onlyInB) implements View {

    /** The figure's file name. */
    public static final String FIGURE = "compare";

    @Override
    public String title() {
        return "Run " + labelB + " against run " + labelA;
    }

    @Override
    public List<String> figures() {
        return List.of(FIGURE);
    }

    /** The counts per verdict, in one sentence. */
    @Override
    public String lesson() {
        String s = String.format(Locale.ROOT, "%d points: %d faster, %d slower, %d no change (noise threshold %s%s);"
                        + " %d only in A, %d only in B.", changes.size(), count(Verdict.FASTER), count(Verdict.SLOWER),
                count(Verdict.NO_CHANGE), Format.percent(threshold),
                thresholdBasis.isEmpty() ? "" : ": " + thresholdBasis, onlyInA, onlyInB);
        long moved = changes.stream().filter(Change::withinMachineMove).count();
        if (moved > 0) {
            s += String.format(Locale.ROOT, " %d of the no-change points moved beyond the threshold, but no further"
                    + " than the machine did around them (copy_ratio, probe_ratio in compare.csv).", moved);
        }
        if (count(Verdict.UNKNOWN) > 0) {
            s += String.format(Locale.ROOT, " %d points have no error estimate (fewer than 3 iterations): no verdict;"
                    + " use the quick or full profile to compare.", count(Verdict.UNKNOWN));
        }
        return s;
    }

    /** One line per matched point: the point, both scores, the ratio, its interval, p-values, the verdict. */
    @Override
    public Table table() {
        List<List<String>> lines = new ArrayList<>();
        for (Change c : changes) {
            lines.add(List.of(Format.describe(c.b()), score(c.a()), score(c.b()), ratio(c.ratio()) + "×",
                    "[" + ratio(c.low()) + ", " + ratio(c.high()) + "]",
                    Double.isNaN(c.pWelch()) ? "" : String.format(Locale.ROOT, "%.3g", c.pWelch()),
                    c.verdict() + (c.note().isEmpty() ? "" : " (" + c.note() + ")")));
        }
        return new Table(List.of("point", "A", "B", "B/A time", "interval", "p (Welch)", "verdict"), lines);
    }

    private static String score(ResultRow r) {
        return Format.number(r.score()) + (r.scoreError() == null ? "" : " ± " + Format.number(r.scoreError())) + " "
                + Objects.toString(r.unit(), "");
    }

    private static String ratio(double v) {
        return Double.isInfinite(v) ? "∞" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** criterion.rs's significance level. */
    public static final double ALPHA = 0.05;
    /** Default noise threshold: changes smaller than this are never reported (see METHODOLOGY.md). */
    public static final double DEFAULT_THRESHOLD = 0.05;
    private static final int RESAMPLES = 10_000;

    /** The verdict on one point. */
    public enum Verdict {
        FASTER("faster"), SLOWER("slower"), NO_CHANGE("no change"), UNKNOWN("no error estimate");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * One matched point.
     *
     * @param ratio  time B / A
     * @param low    lower end of the ratio's interval
     * @param high   upper end (may be infinite for the interval method)
     * @param pWelch Welch's two-sided p-value, NaN without raw iterations
     * @param pMannWhitney Mann–Whitney U two-sided p-value, NaN without raw iterations
     * @param method {@code bootstrap} or {@code intervals}
     * @param copyRatio B's machine-probe copy time over A's around this point's invocations, NaN if not recorded
     * @param probeRatio B's mean machine reading over A's after this point's iterations, NaN if not recorded; where
     *                   recorded, it is the machine's move instead of {@code copyRatio}
     * @param verdict the verdict
     * @param note   why a verdict is what it is, where that is not obvious
     */
    public record Change(ResultRow a, ResultRow b, double ratio, double low, double high, double pWelch,
                         double pMannWhitney, int nA, int nB, String method, double copyRatio, double probeRatio,
                         Verdict verdict, String note) {

        /** Whether the point moved beyond the noise threshold, but no further than the machine did around it. */
        public boolean withinMachineMove() {
            return note.startsWith(MACHINE_MOVE);
        }
    }

    private static final String MACHINE_MOVE = "significant, within the machine's move";

    /**
     * Compares run A with run B.
     *
     * @param samplesA per-iteration scores of a row of A (its raw data), or {@code null} when A kept none
     * @param samplesB the same for B
     */
    public static Comparison of(String labelA, List<ResultRow> a, Function<ResultRow, double[]> samplesA,
                                String labelB, List<ResultRow> b, Function<ResultRow, double[]> samplesB,
                                double threshold) {
        return of(labelA, a, samplesA, labelB, b, samplesB, threshold, "", null);
    }

    /**
     * The threshold for two runs: the reader's if given, else the larger of {@link #DEFAULT_THRESHOLD} and the
     * machine's drift over both runs, with a phrase saying which.
     *
     * @param given the reader's threshold, or {@code null} for automatic
     * @param drift the drift of both runs' arithmetic readings (the machine probe's), or {@code null} if they have none
     */
    public static Map.Entry<Double, String> threshold(Double given, MachineDrift drift) {
        if (given != null) {
            return Map.entry(given, "--noise-threshold");
        }
        if (drift == null) {
            return Map.entry(DEFAULT_THRESHOLD, "the default; the runs have no machine probe readings to"
                    + " measure the machine's drift");
        }
        if (drift.spread() <= DEFAULT_THRESHOLD) {
            return Map.entry(DEFAULT_THRESHOLD, "the default, above the " + drift.describe());
        }
        return Map.entry(drift.spread(), "the " + drift.describe() + " over both runs");
    }

    /**
     * As {@link #of(String, List, Function, String, List, Function, double)}, saying where the threshold came from,
     * and allowing each point the machine's move.
     *
     * @param copyRatios B's copy time over A's around each point ({@link MachineDrift#copyRatios}), by
     *                   {@link ResultRow#pointKey()}; {@code null} or a missing point means not known
     */
    public static Comparison of(String labelA, List<ResultRow> a, Function<ResultRow, double[]> samplesA,
                                String labelB, List<ResultRow> b, Function<ResultRow, double[]> samplesB,
                                double threshold, String thresholdBasis, Map<List<Object>, Double> copyRatios) {
        return of(labelA, a, samplesA, labelB, b, samplesB, threshold, thresholdBasis, copyRatios, null);
    }

    /**
     * As above, with each point's machine readings as well.
     *
     * @param probeRatios B's mean machine reading over A's per point ({@link MachineDrift#probeRatios}); {@code null}
     *                    or a missing point means not known
     */
    public static Comparison of(String labelA, List<ResultRow> a, Function<ResultRow, double[]> samplesA,
                                String labelB, List<ResultRow> b, Function<ResultRow, double[]> samplesB,
                                double threshold, String thresholdBasis, Map<List<Object>, Double> copyRatios,
                                Map<List<Object>, Double> probeRatios) {
        Map<List<Object>, ResultRow> byKey = new LinkedHashMap<>();
        a.stream().filter(ResultRow::measured).forEach(r -> byKey.putIfAbsent(r.pointKey(), r));
        List<Change> out = new ArrayList<>();
        Set<List<Object>> seen = new HashSet<>();
        for (ResultRow rb : b) {
            ResultRow ra = rb.measured() ? byKey.get(rb.pointKey()) : null;
            if (ra == null || !seen.add(rb.pointKey()) || !Objects.equals(ra.mode(), rb.mode())
                    || !Objects.equals(ra.unit(), rb.unit()) || ra.score() <= 0 || rb.score() <= 0) {
                continue;
            }
            double[] sa = samplesA == null ? null : samplesA.apply(ra);
            double[] sb = samplesB == null ? null : samplesB.apply(rb);
            Double copy = copyRatios == null ? null : copyRatios.get(rb.pointKey());
            Double probe = probeRatios == null ? null : probeRatios.get(rb.pointKey());
            out.add(sa != null && sb != null && sa.length >= 3 && sb.length >= 3
                    ? bootstrap(ra, rb, sa, sb, threshold, copy == null ? Double.NaN : copy,
                            probe == null ? Double.NaN : probe)
                    : intervals(ra, rb, threshold));
        }
        long onlyA = a.stream().filter(ResultRow::measured).map(ResultRow::pointKey).filter(k -> !seen.contains(k))
                .count();
        Set<List<Object>> inA = byKey.keySet();
        long onlyB = b.stream().filter(ResultRow::measured).map(ResultRow::pointKey).filter(k -> !inA.contains(k))
                .count();
        return new Comparison(labelA, labelB, threshold, thresholdBasis, out, onlyA, onlyB);
    }

    /** How many points got {@code v}. */
    public long count(Verdict v) {
        return changes.stream().filter(c -> c.verdict() == v).count();
    }

    static Change bootstrap(ResultRow a, ResultRow b, double[] sa, double[] sb, double threshold) {
        return bootstrap(a, b, sa, sb, threshold, Double.NaN);
    }

    /** As above, allowing the point its invocation's copy ratio {@code copy} (NaN: none). */
    static Change bootstrap(ResultRow a, ResultRow b, double[] sa, double[] sb, double threshold, double copy) {
        return bootstrap(a, b, sa, sb, threshold, copy, Double.NaN);
    }

    /** As above; the point's machine-reading ratio {@code probe}, where finite, is its allowance instead of the copy's. */
    static Change bootstrap(ResultRow a, ResultRow b, double[] sa, double[] sb, double threshold, double copy,
                            double probe) {
        boolean thrpt = Speedups.higherIsBetter(a.mode());
        double[] ta = thrpt ? sb : sa; // in time form the ratio is B/A; for throughput that is A's score over B's
        double[] tb = thrpt ? sa : sb;
        double ratio = mean(tb) / mean(ta);
        SplittableRandom random = new SplittableRandom(0x5EED);
        double[] ratios = new double[RESAMPLES];
        for (int i = 0; i < RESAMPLES; i++) {
            ratios[i] = resampledMean(tb, random) / resampledMean(ta, random);
        }
        Arrays.sort(ratios);
        double low = ratios[(int) Math.floor(0.025 * (RESAMPLES - 1))];
        double high = ratios[(int) Math.ceil(0.975 * (RESAMPLES - 1))];
        double pWelch = variance(sa) == 0 && variance(sb) == 0 ? (mean(sa) == mean(sb) ? 1 : 0)
                : new TTest().tTest(sa, sb);
        double pMw = new MannWhitneyUTest().mannWhitneyUTest(sa, sb);
        boolean probed = Double.isFinite(probe) && probe > 0;
        double c = probed ? probe : Double.isFinite(copy) && copy > 0 ? copy : 1;
        Verdict v = Verdict.NO_CHANGE;
        String note = "";
        if (pWelch < ALPHA && (high < 1 || low > 1)) {
            if (high < Math.min(1, c) * (1 - threshold)) {
                v = Verdict.FASTER;
            } else if (low > Math.max(1, c) * (1 + threshold)) {
                v = Verdict.SLOWER;
            } else if (high < 1 - threshold || low > 1 + threshold) {
                note = String.format(Locale.ROOT, probed
                        ? "%s: the slowest CPU's machine reading took %.2f× as long in B after its iterations"
                        : "%s: memory copies took %.2f× as long in B around it", MACHINE_MOVE, c);
            } else {
                note = "significant, within the noise threshold";
            }
        }
        return new Change(a, b, ratio, low, high, pWelch, pMw, sa.length, sb.length, "bootstrap", copy, probe, v,
                note);
    }

    static Change intervals(ResultRow a, ResultRow b, double threshold) {
        boolean thrpt = Speedups.higherIsBetter(a.mode());
        double ta = thrpt ? b.score() : a.score();
        double tb = thrpt ? a.score() : b.score();
        double ea = error(thrpt ? b : a);
        double eb = error(thrpt ? a : b);
        double ratio = tb / ta;
        double low = Math.max(0, tb - eb) / (ta + ea);
        double high = ta - ea > 0 ? (tb + eb) / (ta - ea) : Double.POSITIVE_INFINITY;
        boolean overlap = tb - eb <= ta + ea && ta - ea <= tb + eb;
        Verdict v;
        if (a.scoreError() == null || b.scoreError() == null) {
            v = Verdict.UNKNOWN;
        } else if (overlap || Math.abs(ratio - 1) <= threshold) {
            v = Verdict.NO_CHANGE;
        } else {
            v = ratio < 1 ? Verdict.FASTER : Verdict.SLOWER;
        }
        return new Change(a, b, ratio, low, high, Double.NaN, Double.NaN, 0, 0, "intervals", Double.NaN, Double.NaN,
                v,
                v == Verdict.UNKNOWN ? "fewer than 3 iterations" : "");
    }

    private static double error(ResultRow r) {
        return r.scoreError() == null ? 0 : Math.abs(r.scoreError());
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double variance(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s / Math.max(1, x.length - 1);
    }

    private static double resampledMean(double[] x, SplittableRandom random) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[random.nextInt(x.length)];
        }
        return s / x.length;
    }
}
