package org.poolbench.ipc;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore between processes: CPython's {@code multiprocessing.Semaphore(value)}. The count of free
 * permits is one word in a 64-byte segment of its own; {@link #acquire} takes one with compare-and-set when the
 * count is above 0, else waits (spins, yields, then parks, as {@link SharedLock}); {@link #release} adds one. As in
 * CPython, anyone may release, and releasing more than was acquired raises the count (a
 * {@code BoundedSemaphore} would refuse; this does not).
 *
 * <p>Like a POSIX semaphore (what CPython's is), it does not know who holds its permits: a permit held by a
 * process that is killed is not given back. The creating JVM owns the segment: {@link #close} deletes it, and a
 * killed creator's segment is swept like every other ({@link Segment}).
 */
public final class SharedSemaphore implements AutoCloseable {

    private static final VarHandle LONGS = SharedLongArray.LONGS;

    private final Segment segment;
    private final ByteBuffer buffer;

    private SharedSemaphore(Segment segment) {
        this.segment = segment;
        this.buffer = segment.payload();
    }

    /** A new semaphore with {@code permits} free permits under a fresh unique name; this JVM owns it. */
    public static SharedSemaphore create(long permits) {
        return create(Segment.uniqueName("semaphore"), permits);
    }

    /**
     * A new semaphore named {@code name} with {@code permits} free permits; this JVM owns it.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public static SharedSemaphore create(String name, long permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("semaphore initial value " + permits + " must be >= 0");
        }
        SharedSemaphore s = new SharedSemaphore(Segment.create(name, 64));
        LONGS.setVolatile(s.buffer, 0, permits);
        return s;
    }

    /** Attaches to a semaphore another JVM (or this one) created. */
    public static SharedSemaphore open(String name) {
        return new SharedSemaphore(Segment.open(name));
    }

    public String name() {
        return segment.name();
    }

    /** Takes a permit, waiting as long as it takes ({@code acquire()}). */
    public void acquire() {
        tryAcquire(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /** Takes a permit if one is free now ({@code acquire(block=False)}). */
    public boolean tryAcquire() {
        return tryAcquire(0, TimeUnit.NANOSECONDS);
    }

    /** Takes a permit, waiting at most {@code timeout} ({@code acquire(timeout=...)}). */
    public boolean tryAcquire(long timeout, TimeUnit unit) {
        long deadline = Waiting.deadline(timeout == Long.MAX_VALUE ? Long.MAX_VALUE : unit.toNanos(timeout));
        for (int round = 1; ; round++) {
            long free = (long) LONGS.getVolatile(buffer, 0);
            if (free > 0) {
                if (LONGS.compareAndSet(buffer, 0, free, free - 1)) {
                    return true;
                }
                continue; // lost a race for a free permit: look again at once
            }
            if (Waiting.expired(deadline)) {
                return false;
            }
            Waiting.pause(round);
        }
    }

    /** Gives a permit back ({@code release()}). */
    public void release() {
        LONGS.getAndAdd(buffer, 0, 1L);
    }

    /** The free permits now ({@code get_value()}; a snapshot). */
    public long availablePermits() {
        return (long) LONGS.getVolatile(buffer, 0);
    }

    /** The owner deletes the name; an attached JVM only detaches. Idempotent. */
    @Override
    public void close() {
        segment.close();
    }
}
