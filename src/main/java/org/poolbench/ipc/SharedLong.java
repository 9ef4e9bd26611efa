package org.poolbench.ipc;

/**
 * One {@code long} in shared memory, with its own lock: CPython's {@code multiprocessing.Value('q', initial)}
 * ({@code Value} with {@code lock=True}, whose {@link #getLock()} is {@code get_lock()}). A {@link SharedLongArray}
 * of one slot inside; see there for the racy and atomic updates and for ownership.
 */
public final class SharedLong implements AutoCloseable {

    private final SharedLongArray slot;

    private SharedLong(SharedLongArray slot) {
        this.slot = slot;
    }

    /** Creates a value set to {@code initial} under a fresh unique name; this JVM owns it. */
    public static SharedLong create(long initial) {
        return create(Segment.uniqueName("value"), initial);
    }

    /** Creates a value named {@code name} set to {@code initial}; this JVM owns it. */
    public static SharedLong create(String name, long initial) {
        SharedLong v = new SharedLong(SharedLongArray.create(name, 1));
        v.set(initial);
        return v;
    }

    /** Attaches to a value another JVM created. */
    public static SharedLong open(String name) {
        SharedLongArray a = SharedLongArray.open(name);
        if (a.length() != 1) {
            a.close();
            throw new IllegalArgumentException("shared memory '" + name + "' holds " + a.length()
                    + " longs, not one value");
        }
        return new SharedLong(a);
    }

    public String name() {
        return slot.name();
    }

    /** Volatile read ({@code value.value}). */
    public long get() {
        return slot.get(0);
    }

    /** Volatile write ({@code value.value = x}). */
    public void set(long value) {
        slot.set(0, value);
    }

    /** {@code value.value += delta} without the lock: a separate read and write; concurrent callers lose updates. */
    public void addRacy(long delta) {
        slot.addRacy(0, delta);
    }

    /** Atomic add; returns the previous value. */
    public long getAndAdd(long delta) {
        return slot.getAndAdd(0, delta);
    }

    public boolean compareAndSet(long expected, long update) {
        return slot.compareAndSet(0, expected, update);
    }

    /** The value's own lock ({@code get_lock()}), shared by every JVM that opens it. */
    public SharedLock getLock() {
        return slot.getLock();
    }

    /** The owner deletes the name; an attached JVM only detaches. Idempotent. */
    @Override
    public void close() {
        slot.close();
    }
}
