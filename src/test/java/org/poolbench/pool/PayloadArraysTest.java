package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Which arrays of ended chunks are kept, and which request gets one. */
class PayloadArraysTest {

    @Test
    void anArrayComesBackForARequestItHoldsAtNoMoreThanTwiceItsSize() {
        PayloadArrays arrays = new PayloadArrays();
        Wire.Buf first = arrays.take(100_000);
        first.putLong(42);
        arrays.give(first);
        assertEquals(first.a.length, arrays.keptBytes());

        assertNotSame(first.a, arrays.take(100_001).a, "too small for it");
        assertNotSame(first.a, arrays.take(49_000).a, "more than twice what it asks");
        Wire.Buf again = arrays.take(60_000);
        assertSame(first.a, again.a);
        assertEquals(0, again.n, "empty, whatever the array held");
        assertEquals(0, arrays.keptBytes());
    }

    @Test
    void onlyArraysBetweenTheBoundsAreKeptAndTheOldestGoFirstBeyondTheLimits() {
        PayloadArrays arrays = new PayloadArrays();
        arrays.give(new Wire.Buf(PayloadArrays.MIN - 1));
        arrays.give(new Wire.Buf(PayloadArrays.MAX + 1));
        assertEquals(0, arrays.keptBytes());

        Wire.Buf oldest = new Wire.Buf(PayloadArrays.MAX);
        arrays.give(oldest);
        for (int i = 0; i < PayloadArrays.KEEP / PayloadArrays.MAX; i++) {
            arrays.give(new Wire.Buf(PayloadArrays.MAX));
        }
        assertEquals(PayloadArrays.KEEP, arrays.keptBytes());
        for (int i = 0; i < PayloadArrays.KEEP / PayloadArrays.MAX; i++) {
            assertNotSame(oldest.a, arrays.take(PayloadArrays.MAX).a, "given up for the newer ones");
        }
        assertEquals(0, arrays.keptBytes());

        for (int i = 0; i < PayloadArrays.KEEP_COUNT + 5; i++) {
            arrays.give(new Wire.Buf(PayloadArrays.MIN));
        }
        assertEquals((long) PayloadArrays.KEEP_COUNT * PayloadArrays.MIN, arrays.keptBytes());
    }
}
