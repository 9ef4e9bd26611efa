package org.poolbench.jvm;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Reading a message whose length the sender stated, without trusting that length: the buffer starts small and
 * doubles as bytes arrive, so a peer that states a huge length and sends nothing costs the first chunk, not the
 * length (the pool's frames and the ipc package's {@code Connection} both read this way).
 */
public final class StatedLength {
    private StatedLength() {
    }

    /**
     * Reads exactly {@code length} bytes from {@code in}.
     *
     * @param firstChunk the buffer's first size; it doubles up to {@code length} as bytes arrive
     * @param endedAfter the EOF message, given how many bytes had arrived when the stream ended
     * @throws EOFException if the stream ends first
     */
    public static byte[] read(InputStream in, int length, int firstChunk, IntFunction<String> endedAfter)
            throws IOException {
        byte[] m = new byte[Math.min(length, firstChunk)];
        int have = 0;
        while (have < length) {
            if (have == m.length) {
                m = Arrays.copyOf(m, (int) Math.min(length, 2L * m.length));
            }
            int n = in.read(m, have, m.length - have);
            if (n < 0) {
                throw new EOFException(endedAfter.apply(have));
            }
            have += n;
        }
        return m;
    }

    /**
     * Reads exactly {@code length} bytes from {@code in} into {@code m}, which holds them: for a reader that keeps one
     * buffer for every message it has room for.
     *
     * @throws EOFException if the stream ends first, with {@code endedAfter}'s message
     */
    public static void readInto(InputStream in, byte[] m, int length, IntFunction<String> endedAfter)
            throws IOException {
        int have = 0;
        while (have < length) {
            int n = in.read(m, have, length - have);
            if (n < 0) {
                throw new EOFException(endedAfter.apply(have));
            }
            have += n;
        }
    }
}
