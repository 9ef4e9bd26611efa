package org.poolbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poolbench.analysis.LessonVerdict.Interval;
import org.poolbench.analysis.LessonVerdict.Verdict;

/** The lessons' verdict logic on synthetic samples: holds, does not hold, and not resolved when the interval straddles. */
class LessonVerdictTest {

    /** n samples around {@code mean} with a relative spread of {@code spread} (uniform), from a fixed seed. */
    static double[] samples(double mean, double spread, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = mean * (1 + spread * (2 * r.nextDouble() - 1));
        }
        return out;
    }

    @Test
    void aRatioFarAboveTheThresholdHolds() {
        // CPython's factorial: threads 0.96x, processes 1.73x over sequential -> threads take 1.8x the time
        Interval ratio = LessonVerdict.ratioOfMeans(samples(520, 0.05, 10, 1), samples(290, 0.05, 10, 2));
        assertTrue(ratio.low() > 1.10, ratio.toString());
        assertEquals(Verdict.HOLDS, LessonVerdict.exceeds(ratio, 1.10));
        assertEquals(Verdict.DOES_NOT_HOLD, LessonVerdict.atMost(ratio, 1.10));
    }

    @Test
    void aRatioWhollyBelowTheThresholdDoesNotHold() {
        // the JVM's factorial: threads and processes level (0.95x), tight samples
        Interval ratio = LessonVerdict.ratioOfMeans(samples(250, 0.03, 10, 3), samples(263, 0.03, 10, 4));
        assertTrue(ratio.high() <= 1.10, ratio.toString());
        assertEquals(Verdict.DOES_NOT_HOLD, LessonVerdict.exceeds(ratio, 1.10));
        assertEquals(Verdict.HOLDS, LessonVerdict.atMost(ratio, 1.10));
    }

    @Test
    void anIntervalThatStraddlesTheThresholdIsNotResolved() {
        // the same means as a 1.1x difference, but samples spread +-40 %: the interval reaches both sides
        Interval ratio = LessonVerdict.ratioOfMeans(samples(330, 0.4, 5, 5), samples(300, 0.4, 5, 6));
        assertTrue(ratio.low() < 1.10 && ratio.high() > 1.10, ratio.toString());
        assertEquals(Verdict.NOT_RESOLVED, LessonVerdict.exceeds(ratio, 1.10));
        assertEquals(Verdict.NOT_RESOLVED, LessonVerdict.atMost(ratio, 1.10));
        assertEquals("not resolved at this sample size", Verdict.NOT_RESOLVED.toString());
    }

    @Test
    void oneSampleGivesNoIntervalAndNoConfidentVerdict() {
        Interval ratio = LessonVerdict.ratioOfMeans(new double[] {500}, samples(250, 0.01, 10, 7));
        assertFalse(ratio.known());
        assertEquals(2.0, ratio.estimate(), 0.05);
        assertEquals(Verdict.NOT_RESOLVED, LessonVerdict.exceeds(ratio, 1.10));
        assertFalse(LessonVerdict.mean(new double[] {3}).known());
        assertEquals(Verdict.NOT_MEASURED, LessonVerdict.exceeds(LessonVerdict.ratioOfMeans(new double[0],
                new double[0]), 1.10));
    }

    @Test
    void theSameSamplesAlwaysGiveTheSameInterval() {
        double[] a = samples(330, 0.2, 8, 8);
        double[] b = samples(300, 0.2, 8, 9);
        assertEquals(LessonVerdict.ratioOfMeans(a, b), LessonVerdict.ratioOfMeans(a, b));
    }

    @Test
    void theMeanIntervalIsStudentsT() {
        Interval m = LessonVerdict.mean(new double[] {1, 2, 3, 4, 5});
        assertEquals(3, m.estimate(), 1e-12);
        double half = 2.776 * Math.sqrt(2.5 / 5); // t(0.975, 4) * s / sqrt(n)
        assertEquals(3 - half, m.low(), 1e-9);
        assertEquals(3 + half, m.high(), 1e-9);
    }

    @Test
    void lostUpdatesNeedARaceWithoutTheLockAndNoneWithIt() {
        assertEquals(Verdict.HOLDS, LessonVerdict.lostUpdates(1_000, 0));
        assertEquals(Verdict.DOES_NOT_HOLD, LessonVerdict.lostUpdates(1_000, 3));
        assertEquals(Verdict.NOT_RESOLVED, LessonVerdict.lostUpdates(0, 0)); // no race struck: proves nothing
        assertEquals(Verdict.NOT_MEASURED, LessonVerdict.lostUpdates(-1, 0));
    }

    @Test
    void sharingNothingNeedsNoPlainAddSeenAndNoSharedUpdateLost() {
        assertEquals(Verdict.HOLDS, LessonVerdict.sharesNothing(0, 0));
        assertEquals(Verdict.DOES_NOT_HOLD, LessonVerdict.sharesNothing(5, 0));
        assertEquals(Verdict.DOES_NOT_HOLD, LessonVerdict.sharesNothing(0, 5));
    }

    @Test
    void aClaimOfTwoHalvesHoldsOnlyWhenBothDo() {
        assertEquals(Verdict.HOLDS, LessonVerdict.all(Verdict.HOLDS, Verdict.HOLDS));
        assertEquals(Verdict.DOES_NOT_HOLD, LessonVerdict.all(Verdict.HOLDS, Verdict.DOES_NOT_HOLD));
        assertEquals(Verdict.DOES_NOT_HOLD, LessonVerdict.all(Verdict.NOT_RESOLVED, Verdict.DOES_NOT_HOLD));
        assertEquals(Verdict.NOT_RESOLVED, LessonVerdict.all(Verdict.HOLDS, Verdict.NOT_RESOLVED));
        assertEquals(Verdict.NOT_RESOLVED, LessonVerdict.all(Verdict.HOLDS, Verdict.NOT_MEASURED));
        assertEquals(Verdict.NOT_MEASURED, LessonVerdict.all(Verdict.NOT_MEASURED, Verdict.NOT_MEASURED));
    }
}
