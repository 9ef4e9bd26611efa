package org.poolbench.pool;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The arrays of argument payloads whose chunks have ended, kept for the next call's chunks. A {@code map} of 10^6
 * longs encodes 9 MB of arguments; fresh, that is garbage every call and, in a JVM that has not yet touched its
 * heap, a page fault and a zeroing per page. A chunk's payload is free once the chunk has ended ({@link
 * PoolCore#finish} or a failure): a worker answers only after reading its whole frame, and a chunk fails while a
 * writer may still read its array only when that writer's worker is dead, so those bytes go nowhere. Only arrays of
 * {@link #MIN} to {@link #MAX} bytes are kept, {@link #KEEP_COUNT} and {@link #KEEP} bytes at most, the oldest given
 * up first, so an idle pool holds little and a pool keeps what its recent calls used.
 */
final class PayloadArrays {
    /** Smaller arrays come cheaply from the allocating thread's own buffer. */
    static final int MIN = 1 << 10;
    static final int MAX = 4 << 20;
    static final int KEEP_COUNT = 64;
    static final long KEEP = 16 << 20;

    private final ArrayDeque<byte[]> free = new ArrayDeque<>(); // oldest first
    private long kept;

    /**
     * A payload buffer of at least {@code capacity} bytes: over a kept array of at most twice that (the most recently
     * kept one that fits, whose bytes are likelier in the cache), or a new one.
     */
    Wire.Buf take(int capacity) {
        if (capacity >= MIN && capacity <= MAX) {
            synchronized (this) {
                for (Iterator<byte[]> it = free.descendingIterator(); it.hasNext(); ) {
                    byte[] a = it.next();
                    if (a.length >= capacity && a.length / 2 <= capacity) {
                        it.remove();
                        kept -= a.length;
                        return Wire.Buf.over(a);
                    }
                }
            }
        }
        return new Wire.Buf(capacity);
    }

    /** Keeps the array of an ended chunk's payload if it is worth keeping, giving up the oldest beyond the limits. */
    void give(Wire.Buf payload) {
        byte[] a = payload.a;
        if (a.length < MIN || a.length > MAX) {
            return;
        }
        synchronized (this) {
            free.addLast(a);
            kept += a.length;
            while (free.size() > KEEP_COUNT || kept > KEEP) {
                kept -= free.removeFirst().length;
            }
        }
    }

    synchronized long keptBytes() {
        return kept;
    }
}
