package org.poolbench.ipc;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A mutual-exclusion lock between processes: CPython's {@code multiprocessing.Lock} (a POSIX semaphore there; here a
 * word in shared memory taken with compare-and-set).
 *
 * <p>The word holds 0 when free, else the holder's process id. {@link #lock()} spins briefly
 * ({@link Thread#onSpinWait}), then yields, then parks 50 µs at a time, so that waiters leave the CPU to the holder
 * on a machine with fewer cores than contenders. A holder that died (a killed worker) cannot release it: a waiter
 * that sees the holder process gone takes the lock over, so a kill never wedges the others.
 *
 * <p>Like {@code multiprocessing.Lock} and unlike {@code RLock}, it is not reentrant, and it does not check who
 * unlocks it. Threads of one JVM exclude each other as well (they all wait while the word is taken), but for threads
 * alone a {@code ReentrantLock} is the better tool. Obtain one with {@link #create}/{@link #open}, or from
 * {@link SharedLongArray#getLock()}.
 */
public final class SharedLock implements AutoCloseable {

    private static final VarHandle LONGS = SharedLongArray.LONGS;
    private static final long ME = ProcessHandle.current().pid();

    private final Segment segment;
    private final ByteBuffer buffer;
    private final int offset;
    private final boolean ownsSegment;

    SharedLock(Segment segment, int offset) {
        this(segment, offset, false);
    }

    private SharedLock(Segment segment, int offset, boolean ownsSegment) {
        this.segment = segment;
        this.buffer = segment.payload();
        this.offset = offset;
        this.ownsSegment = ownsSegment;
    }

    /** A new, free lock in a segment of its own, under a fresh unique name; this JVM owns the segment. */
    public static SharedLock create() {
        return create(Segment.uniqueName("lock"));
    }

    /** A new, free lock named {@code name}; this JVM owns it. */
    public static SharedLock create(String name) {
        return new SharedLock(Segment.create(name, SharedLongArray.LOCK_BYTES), 0, true);
    }

    /** Attaches to a lock created by {@link #create}. */
    public static SharedLock open(String name) {
        return new SharedLock(Segment.open(name), 0, true);
    }

    /** The name other JVMs {@link #open} it by (for a lock from {@code getLock()}, its array's name). */
    public String name() {
        return segment.name();
    }

    /** Takes the lock, waiting as long as it takes ({@code acquire()}). */
    public void lock() {
        if (!LONGS.compareAndSet(buffer, offset, 0L, ME)) {
            lockSlow(Long.MAX_VALUE);
        }
    }

    /** Takes the lock if it is free now ({@code acquire(block=False)}). */
    public boolean tryLock() {
        return LONGS.compareAndSet(buffer, offset, 0L, ME);
    }

    /** Takes the lock, waiting at most {@code timeout} ({@code acquire(timeout=...)}). */
    public boolean tryLock(long timeout, TimeUnit unit) {
        return tryLock() || lockSlow(System.nanoTime() + unit.toNanos(timeout));
    }

    private boolean lockSlow(long deadline) {
        for (int round = 1; ; round++) {
            long holder = (long) LONGS.getVolatile(buffer, offset);
            if (holder == 0) {
                if (LONGS.compareAndSet(buffer, offset, 0L, ME)) {
                    return true;
                }
            } else if (round % 64 == 0 && holder != ME && !Segment.alive(holder, 0)) {
                // the holder died holding it: take it over, unless someone else did first
                if (LONGS.compareAndSet(buffer, offset, holder, ME)) {
                    return true;
                }
            }
            if (round < 32) {
                Thread.onSpinWait();
            } else if (round < 256) {
                Thread.yield();
            } else {
                if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
                    return false;
                }
                LockSupport.parkNanos(50_000);
            }
            if (round < 256 && deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
                return false;
            }
        }
    }

    /** Releases the lock ({@code release()}). */
    public void unlock() {
        LONGS.setRelease(buffer, offset, 0L);
    }

    /** The holder's process id, or 0 when free (a snapshot). */
    public long holder() {
        return (long) LONGS.getVolatile(buffer, offset);
    }

    /** Closes the lock's own segment (for a lock from {@code getLock()}, close the array instead). */
    @Override
    public void close() {
        if (ownsSegment) {
            segment.close();
        }
    }
}
