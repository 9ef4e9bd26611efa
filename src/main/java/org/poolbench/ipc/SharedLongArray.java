package org.poolbench.ipc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * {@code long} slots in shared memory that several JVMs open by name: CPython's {@code multiprocessing.Array('q', n)}
 * (and, with one slot, {@link SharedLong} is its {@code Value('q')}).
 *
 * <p>Two kinds of update, on purpose:
 * <ul>
 *   <li>{@link #addRacy}: read the slot, then write the slot plus delta, as two separate memory accesses (opaque
 *   mode: each really goes to memory, none is atomic with the other). This is {@code arr[i] += d} on a CPython
 *   {@code Array} without its lock: updates made by other processes between the read and the write are lost.</li>
 *   <li>{@link #getAndAdd} and {@link #compareAndSet}: one atomic instruction ({@code lock xadd} / {@code cmpxchg}
 *   on x86) on the shared cache line, so no update is ever lost, across threads and processes alike.</li>
 * </ul>
 * {@link #getLock()} is a {@link SharedLock} that lives in the same segment: CPython's {@code get_lock()}.
 *
 * <p>The creating JVM owns the memory: its {@link #close} deletes the name (see {@link Segment} for cleanup after a
 * killed owner). Instances are safe for use by many threads; {@code get} and {@code set} are volatile accesses.
 * To use it from a {@code ProcessPool} task, send the {@link #name()} and call {@link #open} in the task.
 */
public final class SharedLongArray implements AutoCloseable {

    static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /** The lock word has a cache line of its own, before the slots. */
    static final int LOCK_BYTES = 64;

    final Segment segment;
    final ByteBuffer buffer;
    private final int length;
    private final SharedLock lock;

    SharedLongArray(Segment segment) {
        this.segment = segment;
        this.buffer = segment.payload();
        this.length = (int) ((segment.payloadBytes() - LOCK_BYTES) / Long.BYTES);
        this.lock = new SharedLock(segment, 0);
    }

    /** Creates a zeroed array of {@code length} slots under a fresh unique name; this JVM owns it. */
    public static SharedLongArray create(int length) {
        return create(Segment.uniqueName("array"), length);
    }

    /**
     * Creates a zeroed array of {@code length} slots named {@code name}; this JVM owns it.
     *
     * @throws IllegalArgumentException if the name is malformed or {@code length} not in 1..2^28
     * @throws java.io.UncheckedIOException if that name exists already
     */
    public static SharedLongArray create(String name, int length) {
        if (length < 1 || length > (1 << 28)) {
            throw new IllegalArgumentException("length " + length + " not in 1.." + (1 << 28));
        }
        return new SharedLongArray(Segment.create(name, LOCK_BYTES + (long) length * Long.BYTES));
    }

    /**
     * Attaches to an array another JVM (or this one) created.
     *
     * @throws java.io.UncheckedIOException if there is none of that name
     */
    public static SharedLongArray open(String name) {
        return new SharedLongArray(Segment.open(name));
    }

    /** The name other JVMs {@link #open} it by. */
    public String name() {
        return segment.name();
    }

    public int length() {
        return length;
    }

    private int offset(int i) {
        Objects.checkIndex(i, length);
        return LOCK_BYTES + i * Long.BYTES;
    }

    /** Volatile read of slot {@code i}. */
    public long get(int i) {
        return (long) LONGS.getVolatile(buffer, offset(i));
    }

    /** Volatile write of slot {@code i}. */
    public void set(int i, long value) {
        LONGS.setVolatile(buffer, offset(i), value);
    }

    /**
     * {@code a[i] = a[i] + delta} as a separate read and write (opaque: both reach memory, neither is atomic with
     * the other). Concurrent callers lose updates: that is the point of it.
     */
    public void addRacy(int i, long delta) {
        int at = offset(i);
        long v = (long) LONGS.getOpaque(buffer, at);
        LONGS.setOpaque(buffer, at, v + delta);
    }

    /** Atomically adds {@code delta} to slot {@code i}; returns the previous value. */
    public long getAndAdd(int i, long delta) {
        return (long) LONGS.getAndAdd(buffer, offset(i), delta);
    }

    /** Atomically sets slot {@code i} to {@code update} if it holds {@code expected}. */
    public boolean compareAndSet(int i, long expected, long update) {
        return LONGS.compareAndSet(buffer, offset(i), expected, update);
    }

    /** A copy of all slots (volatile reads, one by one). */
    public long[] toArray() {
        long[] out = new long[length];
        for (int i = 0; i < length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    /** The lock that lives in this segment ({@code Array.get_lock()}): shared by every JVM that opens it. */
    public SharedLock getLock() {
        return lock;
    }

    /** The owner deletes the name; an attached JVM only detaches. Idempotent. */
    @Override
    public void close() {
        segment.close();
    }
}
