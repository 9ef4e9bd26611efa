package org.poolbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The set-up warm-up that lets a JVM's first collections happen before measurement. */
class WarmUpTest {

    private static volatile Object sink;

    @Test
    void aJobThatAllocatesRunsUntilTheCollectorsHaveRunOftenEnough() {
        long target = WarmUp.collections() + 2;
        int runs = WarmUp.untilCollected((int) target, 60_000_000_000L, () -> sink = new byte[4 << 20]);
        assertTrue(runs > 0, "the job never ran");
        assertTrue(WarmUp.collections() >= target, "stopped after " + runs + " runs with "
                + WarmUp.collections() + " collections, wanted " + target);
    }

    @Test
    void nothingRunsWhenTheCollectorsAlreadyHave() {
        int runs = WarmUp.untilCollected(0, 60_000_000_000L, () -> sink = new byte[1]);
        assertEquals(0, runs);
    }
}
