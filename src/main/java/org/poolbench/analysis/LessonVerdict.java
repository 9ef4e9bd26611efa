package org.poolbench.analysis;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The verdict of a lesson ({@code ./run-bench.sh lesson NAME}): whether a claim of the teaching material holds on one
 * platform, judged from a short measurement and honest about its uncertainty. A claim is a decision about a ratio
 * (or a count) against a threshold; the ratio's 95 % interval decides:
 *
 * <ul>
 *   <li>{@link Verdict#HOLDS} when the whole interval lies on the claim's side of the threshold,</li>
 *   <li>{@link Verdict#DOES_NOT_HOLD} when the whole interval lies on the other side,</li>
 *   <li>{@link Verdict#NOT_RESOLVED} when the interval straddles the threshold: this sample size cannot say, and a
 *   confident verdict would come from noise.</li>
 * </ul>
 *
 * <p>Intervals of a ratio of two means come from a percentile bootstrap (resampling each side's iterations, a fixed
 * seed, so the same samples always give the same verdict); the interval of one mean is Student's t at 95 %.
 */
public final class LessonVerdict {

    /** Bootstrap resamples per interval. */
    static final int RESAMPLES = 4000;

    private LessonVerdict() {
    }

    /** What a lesson says about a claim on one platform. */
    public enum Verdict {
        HOLDS("holds"),
        DOES_NOT_HOLD("does not hold"),
        NOT_RESOLVED("not resolved at this sample size"),
        NOT_MEASURED("not measured"),
        /** A program of the material without a claim: its output is shown, not judged. */
        NO_CLAIM("no claim (a program to watch)");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** An estimate and its 95 % interval. */
    public record Interval(double estimate, double low, double high) {
        /** An interval of nothing known (too few samples). */
        static Interval unknown(double estimate) {
            return new Interval(estimate, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }

        /** Whether the interval is finite. */
        public boolean known() {
            return Double.isFinite(low) && Double.isFinite(high);
        }
    }

    /** The mean of {@code samples} and its 95 % Student-t interval (unbounded for fewer than two samples). */
    public static Interval mean(double[] samples) {
        int n = samples.length;
        if (n == 0) {
            return Interval.unknown(Double.NaN);
        }
        double m = Arrays.stream(samples).average().orElseThrow();
        if (n < 2) {
            return Interval.unknown(m);
        }
        double var = Arrays.stream(samples).map(x -> (x - m) * (x - m)).sum() / (n - 1);
        double half = t975(n - 1) * Math.sqrt(var / n);
        return new Interval(m, m - half, m + half);
    }

    /**
     * mean(numerator) / mean(denominator), with the 2.5 % and 97.5 % percentiles of the ratio over
     * {@link #RESAMPLES} bootstrap resamples of each side (unbounded when a side has fewer than two samples).
     */
    public static Interval ratioOfMeans(double[] numerator, double[] denominator) {
        double estimate = average(numerator) / average(denominator);
        if (numerator.length < 2 || denominator.length < 2) {
            return Interval.unknown(estimate);
        }
        SplittableRandom random = new SplittableRandom(0x1e550aL);
        double[] ratios = new double[RESAMPLES];
        for (int i = 0; i < RESAMPLES; i++) {
            ratios[i] = resampledMean(numerator, random) / resampledMean(denominator, random);
        }
        Arrays.sort(ratios);
        return new Interval(estimate, ratios[(int) Math.floor(0.025 * (RESAMPLES - 1))],
                ratios[(int) Math.ceil(0.975 * (RESAMPLES - 1))]);
    }

    /** The claim "the ratio exceeds {@code threshold}". */
    public static Verdict exceeds(Interval ratio, double threshold) {
        if (ratio == null || Double.isNaN(ratio.estimate())) {
            return Verdict.NOT_MEASURED;
        }
        if (ratio.low() > threshold) {
            return Verdict.HOLDS;
        }
        if (ratio.high() <= threshold) {
            return Verdict.DOES_NOT_HOLD;
        }
        return Verdict.NOT_RESOLVED;
    }

    /** The claim "the ratio is at most {@code threshold}". */
    public static Verdict atMost(Interval ratio, double threshold) {
        return negate(exceeds(ratio, threshold));
    }

    /** HOLDS and DOES_NOT_HOLD swapped; the others as they are. */
    static Verdict negate(Verdict v) {
        return switch (v) {
            case HOLDS -> Verdict.DOES_NOT_HOLD;
            case DOES_NOT_HOLD -> Verdict.HOLDS;
            default -> v;
        };
    }

    /**
     * A claim made of parts that must all hold: does not hold if any part does not; holds if every part holds; not
     * measured if none was; otherwise not resolved.
     */
    public static Verdict all(Verdict... parts) {
        boolean measured = false;
        boolean unresolved = false;
        for (Verdict v : parts) {
            if (v == Verdict.DOES_NOT_HOLD) {
                return Verdict.DOES_NOT_HOLD;
            }
            measured |= v != Verdict.NOT_MEASURED;
            unresolved |= v != Verdict.HOLDS;
        }
        return !measured ? Verdict.NOT_MEASURED : unresolved ? Verdict.NOT_RESOLVED : Verdict.HOLDS;
    }

    /**
     * "Updates are lost without a lock, none with one": holds when some were lost without it and none with it; does
     * not hold when any was lost under the lock; not resolved when none was lost without it either (a race that did
     * not happen to strike in so few rounds proves nothing). Negative counts are not measured.
     */
    public static Verdict lostUpdates(long lostWithout, long lostWith) {
        if (lostWithout < 0 || lostWith < 0) {
            return Verdict.NOT_MEASURED;
        }
        if (lostWith > 0) {
            return Verdict.DOES_NOT_HOLD;
        }
        return lostWithout > 0 ? Verdict.HOLDS : Verdict.NOT_RESOLVED;
    }

    /**
     * "Processes share nothing unless told to": holds when the parent saw none of the workers' plain adds and the
     * counter they were told to share lost none; does not hold otherwise. Negative counts are not measured.
     */
    public static Verdict sharesNothing(long plainSeenByParent, long sharedLost) {
        if (plainSeenByParent < 0 || sharedLost < 0) {
            return Verdict.NOT_MEASURED;
        }
        return plainSeenByParent == 0 && sharedLost == 0 ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD;
    }

    private static double average(double[] x) {
        return x.length == 0 ? Double.NaN : Arrays.stream(x).average().orElseThrow();
    }

    private static double resampledMean(double[] x, SplittableRandom random) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[random.nextInt(x.length)];
        }
        return sum / x.length;
    }

    /** Student's t(0.975, df). */
    static double t975(int df) {
        double[] table = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
                2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
                2.045, 2.042};
        return df <= table.length ? table[df - 1] : df <= 60 ? 2.000 : 1.960;
    }
}
