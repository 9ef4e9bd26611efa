package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The gate between a worker and the parent's watchdog: a chunk taken back never runs, a chunk started stays. */
class ProgressTest {

    @Test
    void chunksTakenBackBehindTheRunningOneAreSkippedAndLaterOnesRun() {
        Progress p = Progress.local();
        assertFalse(p.began(1), "nothing started yet");
        assertFalse(p.takeBack(1, 3), "the running chunk has not begun: nothing may be taken from behind it");
        assertTrue(p.startNextChunk()); // 1 runs
        assertTrue(p.takeBack(1, 3)); // 2 and 3 wait behind it
        assertTrue(p.began(1));
        assertTrue(p.takeBack(1, 5), "a second take-back while 1 still runs: 4 and 5, sent since");
        assertFalse(p.startNextChunk()); // 2
        assertFalse(p.startNextChunk()); // 3
        assertFalse(p.startNextChunk()); // 4
        assertFalse(p.startNextChunk()); // 5
        assertTrue(p.startNextChunk(), "6 was sent after both take-backs: it runs");
        assertTrue(p.began(6));
    }

    @Test
    void aChunkTheWorkerBeganIsNeverTakenBack() {
        Progress p = Progress.local();
        assertTrue(p.startNextChunk()); // 1
        assertTrue(p.startNextChunk()); // 2: the worker moved on
        assertFalse(p.takeBack(1, 3), "2 began: the take-back must fail");
        assertTrue(p.began(2));
        assertFalse(p.began(3));
    }

    @Test
    void afterATakeBackTheNextChunkSentRunsAndIsTheOnlyOneBegun() {
        Progress p = Progress.local();
        assertTrue(p.startNextChunk()); // 1
        assertTrue(p.takeBack(1, 2));
        assertFalse(p.began(3), "3 was sent after the take-back and has not begun");
        assertFalse(p.startNextChunk()); // 2: taken back
        assertTrue(p.startNextChunk()); // 3 runs
        assertTrue(p.began(3));
        assertFalse(p.takeBack(1, 4), "1 is over: nothing behind it to take");
    }
}
