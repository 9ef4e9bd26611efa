package org.poolbench.ipc;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A flag processes wait on: CPython's {@code multiprocessing.Event} ({@code set}, {@code clear}, {@code is_set},
 * {@code wait}). The flag is one word in a 64-byte segment of its own. {@link #await} checks it in a loop that
 * spins, yields, then parks 50 µs at a time (see {@link SharedLock}), so a waiter notices a {@link #set} within
 * about 50 µs plus scheduling, without a system call on the setter's side. As in CPython, a {@link #clear} soon
 * after {@code set} may be missed by a waiter that had not looked yet.
 *
 * <p>The creating JVM owns the segment: {@link #close} deletes it, and a killed creator's segment is swept like
 * every other ({@link Segment}); a waiter killed while waiting leaves nothing to clean up.
 */
public final class SharedEvent implements AutoCloseable {

    private static final VarHandle LONGS = SharedLongArray.LONGS;

    private final Segment segment;
    private final ByteBuffer buffer;

    private SharedEvent(Segment segment) {
        this.segment = segment;
        this.buffer = segment.payload();
    }

    /** A new, clear event under a fresh unique name; this JVM owns it. */
    public static SharedEvent create() {
        return create(Segment.uniqueName("event"));
    }

    /** A new, clear event named {@code name}; this JVM owns it. */
    public static SharedEvent create(String name) {
        return new SharedEvent(Segment.create(name, 64));
    }

    /** Attaches to an event another JVM (or this one) created. */
    public static SharedEvent open(String name) {
        return new SharedEvent(Segment.open(name));
    }

    public String name() {
        return segment.name();
    }

    /** Sets the flag: every waiter returns ({@code set()}). */
    public void set() {
        LONGS.setVolatile(buffer, 0, 1L);
    }

    /** Clears the flag ({@code clear()}). */
    public void clear() {
        LONGS.setVolatile(buffer, 0, 0L);
    }

    /** {@code is_set()}. */
    public boolean isSet() {
        return (long) LONGS.getVolatile(buffer, 0) != 0;
    }

    /** Waits until the flag is set ({@code wait()}). */
    public void await() {
        await(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /** Waits at most {@code timeout} for the flag; returns whether it is set ({@code wait(timeout)}). */
    public boolean await(long timeout, TimeUnit unit) {
        long deadline = Waiting.deadline(timeout == Long.MAX_VALUE ? Long.MAX_VALUE : unit.toNanos(timeout));
        for (int round = 1; ; round++) {
            if (isSet()) {
                return true;
            }
            if (Waiting.expired(deadline)) {
                return false;
            }
            Waiting.pause(round);
        }
    }

    /** The owner deletes the name; an attached JVM only detaches. Idempotent. */
    @Override
    public void close() {
        segment.close();
    }
}
