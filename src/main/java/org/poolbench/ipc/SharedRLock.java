package org.poolbench.ipc;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A reentrant lock between processes: CPython's {@code multiprocessing.RLock}. The owner is a thread of a process
 * (pid and thread id, as CPython's owner is {@code (pid, thread ident)}); it may take the lock again without
 * blocking, and must release it as many times as it took it. Only the owner may release it
 * ({@link IllegalMonitorStateException} otherwise, as CPython raises {@code AssertionError}).
 *
 * <p>Layout, in a 64-byte segment of its own: the owner word ({@code pid << 40 | thread id}, 0 when free), taken
 * with compare-and-set, then the hold count, which only the owner touches. Waiting spins, yields, then parks (see
 * {@link SharedLock}); a waiter that sees the owner's process gone takes the lock over (count 1), so a killed
 * holder never wedges the others. The creating JVM owns the segment: {@link #close} deletes it, and a killed
 * creator's segment is swept like every other ({@link Segment}).
 */
public final class SharedRLock implements AutoCloseable {

    private static final VarHandle LONGS = SharedLongArray.LONGS;
    private static final long PID = ProcessHandle.current().pid();
    private static final int OWNER = 0;
    private static final int COUNT = 8;
    private static final long TID_MASK = (1L << 40) - 1;

    private final Segment segment;
    private final ByteBuffer buffer;

    private SharedRLock(Segment segment) {
        this.segment = segment;
        this.buffer = segment.payload();
    }

    /** A new, free lock under a fresh unique name; this JVM owns its segment. */
    public static SharedRLock create() {
        return create(Segment.uniqueName("rlock"));
    }

    /** A new, free lock named {@code name}; this JVM owns its segment. */
    public static SharedRLock create(String name) {
        return new SharedRLock(Segment.create(name, 64));
    }

    /** Attaches to a lock another JVM (or this one) created. */
    public static SharedRLock open(String name) {
        return new SharedRLock(Segment.open(name));
    }

    public String name() {
        return segment.name();
    }

    /** This thread's owner word: pid in the high 24 bits, thread id in the low 40 (JVM thread ids count up from 1). */
    private static long me() {
        return PID << 40 | (Thread.currentThread().threadId() & TID_MASK);
    }

    /** Takes the lock, or takes it once more if this thread holds it ({@code acquire()}). */
    public void lock() {
        tryLock(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /** Takes the lock if free or held by this thread, without waiting ({@code acquire(block=False)}). */
    public boolean tryLock() {
        return tryLock(0, TimeUnit.NANOSECONDS);
    }

    /** Takes the lock, waiting at most {@code timeout} ({@code acquire(timeout=...)}). */
    public boolean tryLock(long timeout, TimeUnit unit) {
        long me = me();
        if ((long) LONGS.getVolatile(buffer, OWNER) == me) { // reentry: only this thread writes the count now
            LONGS.setVolatile(buffer, COUNT, (long) LONGS.getVolatile(buffer, COUNT) + 1);
            return true;
        }
        long deadline = Waiting.deadline(timeout == Long.MAX_VALUE ? Long.MAX_VALUE : unit.toNanos(timeout));
        for (int round = 1; ; round++) {
            long owner = (long) LONGS.getVolatile(buffer, OWNER);
            if (owner == 0 && LONGS.compareAndSet(buffer, OWNER, 0L, me)) {
                LONGS.setVolatile(buffer, COUNT, 1L);
                return true;
            }
            long pid = owner >>> 40;
            if (owner != 0 && round % 64 == 0 && pid != PID && !Segment.alive(pid, 0)
                    && LONGS.compareAndSet(buffer, OWNER, owner, me)) { // the owner died holding it
                LONGS.setVolatile(buffer, COUNT, 1L);
                return true;
            }
            if (Waiting.expired(deadline)) {
                return false;
            }
            Waiting.pause(round);
        }
    }

    /**
     * Releases one hold ({@code release()}); the last one frees the lock.
     *
     * @throws IllegalMonitorStateException if this thread does not hold it
     */
    public void unlock() {
        long me = me();
        if ((long) LONGS.getVolatile(buffer, OWNER) != me) {
            throw new IllegalMonitorStateException("cannot release un-acquired lock '" + name() + "' (held by "
                    + describe((long) LONGS.getVolatile(buffer, OWNER)) + ")");
        }
        long count = (long) LONGS.getVolatile(buffer, COUNT) - 1;
        LONGS.setVolatile(buffer, COUNT, count);
        if (count == 0) {
            LONGS.setRelease(buffer, OWNER, 0L);
        }
    }

    /** How many times this thread holds it (0 if it does not). */
    public long holdCount() {
        return (long) LONGS.getVolatile(buffer, OWNER) == me() ? (long) LONGS.getVolatile(buffer, COUNT) : 0;
    }

    /** The owner's process id, or 0 when free (a snapshot). */
    public long holderPid() {
        return (long) LONGS.getVolatile(buffer, OWNER) >>> 40;
    }

    private static String describe(long owner) {
        return owner == 0 ? "nobody" : "pid " + (owner >>> 40) + " thread " + (owner & TID_MASK);
    }

    /** The owner deletes the name; an attached JVM only detaches. Idempotent. */
    @Override
    public void close() {
        segment.close();
    }
}
