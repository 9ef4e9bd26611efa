package org.poolbench.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pool's watchdog, run on its own thread until the pool's run state is final: kills workers that miss the start
 * timeout or whose running task is past the task timeout (each task is timed from when the worker started it, seen
 * in its {@link Progress}), and moves the chunks that wait behind a long-running one to idle workers when nothing
 * else is queued.
 */
final class Watchdog implements Runnable {

    /** Chunks waiting behind one that has run this long move to idle workers. */
    private static final long STEAL_AFTER_MILLIS = 50;

    private final PoolCore pool;
    private final Duration startTimeout;
    private final Duration taskTimeout; // or null

    Watchdog(PoolCore pool, Duration startTimeout, Duration taskTimeout) {
        this.pool = pool;
        this.startTimeout = startTimeout;
        this.taskTimeout = taskTimeout;
    }

    @Override
    public void run() {
        long tick = taskTimeout == null ? 100 : Math.max(5, Math.min(100, taskTimeout.toMillis() / 10));
        long[] since = new long[1];
        while (!pool.stateIsFinal()) {
            long now = System.nanoTime();
            List<Worker> all = pool.snapshot();
            boolean someoneIdle = false;
            for (Worker w : all) {
                someoneIdle |= w.checkDeadlines(now, startTimeout, taskTimeout);
            }
            if (someoneIdle && pool.nothingQueued()) {
                for (Worker w : all) {
                    if (w.runningSince(since) != null && now - since[0] > TimeUnit.MILLISECONDS.toNanos(STEAL_AFTER_MILLIS)) {
                        List<Chunk> waiting = w.takeBackWaiting();
                        for (int i = waiting.size() - 1; i >= 0; i--) { // each goes to the queue's head: oldest first
                            pool.requeue(waiting.get(i));
                        }
                    }
                }
            }
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
