package org.poolbench.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.poolbench.ipc.SharedLock;
import org.poolbench.ipc.SharedLongArray;

/**
 * The contender of the race in {@link SyncBenchmark}, the tests and the examples, for one process: adds 1 to a
 * shared counter {@code n} times, in one of three ways. Runs in {@code ProcessPool} workers: the task carries only
 * the counter's name.
 *
 * <p>Give each contender a process of its own (e.g. k one-worker pools): a pool of k workers may queue two tasks
 * on one worker, and the second would never reach the gate while the first waits there.
 *
 * <p>The counter is slot 0 of a {@link SharedLongArray}; slot 1 is a start gate: each contender checks in there and
 * waits until all {@code k} have, so that they really overlap (a worker that starts late would otherwise finish
 * alone and hide the race). The parent zeroes both slots before each round.
 */
public final class Contenders {

    /** How a contender adds 1. */
    public enum Update {
        /** {@code v = v + 1}: a read and a write, not atomic together (CPython: {@code value.value += 1}). */
        RACY,
        /** One atomic {@code getAndAdd} ({@code lock xadd}). */
        ATOMIC,
        /** The racy read and write inside the segment's {@link SharedLock} (CPython: {@code with v.get_lock():}). */
        LOCKED
    }

    public static final int COUNTER = 0;
    public static final int GATE = 1;

    /**
     * A plain static field of this class, not shared memory: every contender adds its {@code n} to the copy in its
     * own JVM once per round (after the timed adds, under this class's monitor so that threads do not race on it).
     * The measuring JVM sees the threads' adds and none of the worker processes': "processes share nothing unless
     * told to", measured ({@code SyncBenchmark}'s {@code plainSeen}).
     */
    private static long plain;

    /** Attached arrays, per process: opening maps the file, which a round should not pay for every time. */
    private static final Map<String, SharedLongArray> OPEN = new ConcurrentHashMap<>();

    private Contenders() {
    }

    /** Adds {@code n} to this JVM's plain field. */
    public static synchronized void addPlain(long n) {
        plain += n;
    }

    /** This JVM's plain field. */
    public static synchronized long plain() {
        return plain;
    }

    /** A round's task for one contender: {@code name/update/n/k}. */
    public static String spec(String name, Update update, int n, int k) {
        return name + "/" + update + "/" + n + "/" + k;
    }

    /** Runs one contender of a round described by {@link #spec}; returns how many adds it made. */
    public static long contend(String spec) {
        String[] f = spec.split("/");
        SharedLongArray a = OPEN.computeIfAbsent(f[0], SharedLongArray::open);
        return run(a, Update.valueOf(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
    }

    /**
     * One contender on {@code a}: checks in at the gate, waits for the other {@code k - 1}, then adds n times.
     *
     * @throws IllegalStateException if the others do not all arrive within 10 s (e.g. two contenders were given to
     *                               one single-threaded worker, which would otherwise wait forever)
     */
    public static long run(SharedLongArray a, Update update, int n, int k) {
        a.getAndAdd(GATE, 1);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (a.get(GATE) < k) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("only " + a.get(GATE) + " of " + k + " contenders arrived in 10 s");
            }
            Thread.yield();
        }
        switch (update) {
            case RACY -> {
                for (int i = 0; i < n; i++) {
                    a.addRacy(COUNTER, 1);
                }
            }
            case ATOMIC -> {
                for (int i = 0; i < n; i++) {
                    a.getAndAdd(COUNTER, 1);
                }
            }
            case LOCKED -> {
                SharedLock lock = a.getLock();
                for (int i = 0; i < n; i++) {
                    lock.lock();
                    try {
                        a.addRacy(COUNTER, 1);
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
        addPlain(n);
        return n;
    }
}
