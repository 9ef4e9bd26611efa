package org.poolbench.ipc;

import java.util.concurrent.locks.LockSupport;

/**
 * How the primitives here wait for another process: there is no futex or condition variable across JVMs in the
 * JDK, so a waiter spins briefly, then yields, then parks 50 µs at a time ({@link SharedLock}'s schedule), leaving
 * the CPU to the process it waits for when there are fewer cores than waiters.
 */
final class Waiting {

    private Waiting() {
    }

    /** The deadline for a timeout in nanoseconds ({@code Long.MAX_VALUE}: none). */
    static long deadline(long timeoutNanos) {
        return timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + Math.max(0, timeoutNanos);
    }

    static boolean expired(long deadline) {
        return deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0;
    }

    /** One pause of round {@code round} (1, 2, ...) of a wait. */
    static void pause(int round) {
        if (round < 32) {
            Thread.onSpinWait();
        } else if (round < 256) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(50_000);
        }
    }
}
