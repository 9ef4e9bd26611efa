package org.poolbench.pool;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntFunction;
import org.poolbench.jvm.StatedLength;

/**
 * The wire protocol between a pool and its workers: its constants and its framing. What frame bodies hold is encoded
 * by {@link WireValues} (values), {@link WireRecords} (records), {@link WireThrowables} (a task's failure) and
 * {@link WireSerialization} (anything else, through the allow-list filter).
 *
 * <p>A frame is {@code [short magic 'PB'][int length][byte type][body]}, big-endian, where {@code length} counts the
 * type byte and the body. Every header is checked as it arrives: the magic, the length against {@link #MAX_FRAME}
 * and the type against the known ones, so stray bytes are a {@link ProtocolException} at once, never a wait for a
 * body that does not come. Large bodies are read in steps, so even a plausible corrupt header cannot allocate more
 * than what arrived.
 */
final class Wire {

    /** Written by a worker before its first frame, so the parent can skip whatever the JVM printed before main. */
    static final String MAGIC_TEXT = "PBWORKER";
    static final byte[] MAGIC = MAGIC_TEXT.getBytes(StandardCharsets.US_ASCII);
    static final int PROTOCOL = 2;
    /** The first two bytes of every frame: "PB". */
    static final short FRAME_MAGIC = 0x5042;
    /** Bytes before a frame's type: the magic and the length. */
    static final int HEADER = 6;
    /** The largest frame either side accepts: 1 GiB. */
    static final int MAX_FRAME = 1 << 30;

    // parent -> worker
    static final byte INIT = 1;    // [int protocol][string serial filter][int fn cache capacity][long parent pid]
                                   // [byte has initializer]([string its home][bytes serialized fn][elements: arg])
    static final byte DEFINE = 2;  // [long fn id][string its own or capturing class][bytes serialized function]
    static final byte CHUNK = 3;   // [long chunk id][long fn id][byte arity][elements (arity 2: two element lists)]
    // worker -> parent
    static final byte READY = 10;       // [int protocol][long pid]
    static final byte RESULT = 11;      // [long chunk id][elements: results, failures tagged EXC]
    static final byte CHUNK_ERROR = 12; // [long chunk id][EXC value]: the whole chunk failed (e.g. fn not loadable)
    static final byte INITIALIZED = 13; // []: the pool's initializer has run (sent only when there is one)



    private Wire() {
    }

    /** A growable output buffer; the first five bytes are kept for the frame header. */
    static final class Buf {
        byte[] a;
        /** A view of {@link #a} for its numbers (big-endian); not a VarHandle, whose forms a worker would spin at start. */
        ByteBuffer bb;
        int n;

        Buf(int capacity) {
            this(new byte[Math.max(16, capacity)]);
        }

        private Buf(byte[] a) {
            this.a = a;
            bb = ByteBuffer.wrap(a);
        }

        /** An empty buffer over {@code a}, whose bytes it overwrites. */
        static Buf over(byte[] a) {
            return new Buf(a);
        }

        /** A buffer that will become a frame of {@code type}: the length is filled in by {@link #frameLength}. */
        static Buf frame(byte type, int capacity) {
            Buf b = new Buf(capacity + HEADER + 1);
            b.n = HEADER;
            b.put(type);
            return b;
        }

        void ensure(long more) {
            long need = n + more;
            if (need > a.length) {
                if (need > Integer.MAX_VALUE - 16) {
                    throw new IllegalArgumentException("frame too large: more than " + Integer.MAX_VALUE + " bytes");
                }
                a = Arrays.copyOf(a, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, 2L * a.length)));
                bb = ByteBuffer.wrap(a);
            }
        }

        void put(byte v) {
            ensure(1);
            a[n++] = v;
        }

        void putInt(int v) {
            ensure(4);
            bb.putInt(n, v);
            n += 4;
        }

        void putLong(long v) {
            ensure(8);
            bb.putLong(n, v);
            n += 8;
        }

        void putBytes(byte[] v) {
            putInt(v.length);
            ensure(v.length);
            System.arraycopy(v, 0, a, n, v.length);
            n += v.length;
        }

        void putString(String s) {
            if (s == null) {
                putInt(-1);
            } else {
                putBytes(s.getBytes(StandardCharsets.UTF_8));
            }
        }

        /** Patches the frame length and returns the whole frame; checks it against {@link #MAX_FRAME}. */
        int frameLength() {
            int length = n - HEADER;
            if (length > MAX_FRAME) {
                throw new IllegalArgumentException(
                        "frame of " + length + " bytes exceeds the limit of " + MAX_FRAME + " bytes");
            }
            a[0] = (byte) (FRAME_MAGIC >> 8);
            a[1] = (byte) FRAME_MAGIC;
            bb.putInt(2, length);
            return n;
        }

        void writeFrameTo(OutputStream out) throws IOException {
            out.write(a, 0, frameLength());
        }
    }

    /** A cursor over a received frame body. */
    static final class In {
        final byte[] a;
        final ByteBuffer bb;
        int p;
        final int end;

        In(byte[] a, int from, int end) {
            this.a = a;
            this.bb = ByteBuffer.wrap(a);
            this.p = from;
            this.end = end;
        }

        void need(long k) throws IOException {
            if (k < 0 || p + k > end) {
                throw new IOException("truncated frame: need " + k + " bytes at offset " + p + " of " + end);
            }
        }

        byte get() throws IOException {
            need(1);
            return a[p++];
        }

        int getInt() throws IOException {
            need(4);
            int v = bb.getInt(p);
            p += 4;
            return v;
        }

        long getLong() throws IOException {
            need(8);
            long v = bb.getLong(p);
            p += 8;
            return v;
        }

        int count() throws IOException {
            int k = getInt();
            if (k < 0 || k > end - p) { // every element takes at least one byte
                throw new IOException("corrupt frame: count " + k + " with " + (end - p) + " bytes left");
            }
            return k;
        }

        byte[] getBytes() throws IOException {
            int k = getInt();
            need(k);
            byte[] v = Arrays.copyOfRange(a, p, p + k);
            p += k;
            return v;
        }

        String getString() throws IOException {
            int k = getInt();
            if (k == -1) {
                return null;
            }
            need(k);
            String s = new String(a, p, k, StandardCharsets.UTF_8);
            p += k;
            return s;
        }
    }

    /** One frame as read: its type and body. */
    record Frame(byte type, byte[] body, int length) {
        In in() {
            return new In(body, 0, length);
        }
    }

    /**
     * A reader's buffer for frame bodies: a frame read with it is valid until that reader's next read. Decoders copy
     * whatever they keep (strings, byte arrays, columns, serialized objects), so a reader that decodes each frame
     * before it reads the next can reuse one array for all of them. Without it a stream of large results takes a
     * fresh array per frame, and in a young JVM every fresh page of heap is a page fault and a zeroing.
     */
    static final class Scratch {
        /** Bodies up to this size are kept for the next frame; a larger one is read into an array of its own. */
        static final int KEEP = 2 << 20;
        private byte[] a = new byte[0];
    }

    /**
     * Reads one frame. Returns {@code null} at a clean end of stream (between frames).
     *
     * @param from names the sender in error messages
     */
    static Frame readFrame(DataInputStream in, String from) throws IOException {
        return readFrame(in, from, null);
    }

    /**
     * Reads one frame into {@code scratch} when it has room (see {@link Scratch}). Returns {@code null} at a clean
     * end of stream (between frames).
     *
     * @param from names the sender in error messages
     * @param scratch the reader's buffer, or {@code null} for a body of its own
     */
    static Frame readFrame(DataInputStream in, String from, Scratch scratch) throws IOException {
        int m0 = in.read();
        if (m0 < 0) {
            return null;
        }
        int m1 = in.readUnsignedByte();
        if (((m0 << 8) | m1) != FRAME_MAGIC) {
            throw new ProtocolException("corrupt frame from " + from + ": it starts with "
                    + String.format("0x%02x%02x", m0, m1) + " (\"" + printable(m0 << 24 | m1 << 16) .substring(0, 2)
                    + "\"), not the frame magic \"PB\"; did something write to the protocol stream?");
        }
        int length = in.readInt();
        if (length < 1 || length > MAX_FRAME) {
            throw new ProtocolException("corrupt frame from " + from + ": length " + length + " (0x"
                    + Integer.toHexString(length) + ", \"" + printable(length) + "\") is outside 1.." + MAX_FRAME
                    + "; did something write to the protocol stream?");
        }
        byte type = in.readByte();
        if (!knownType(type)) {
            throw new ProtocolException("corrupt frame from " + from + ": unknown type " + type);
        }
        int bodyLength = length - 1;
        IntFunction<String> ended = got -> "stream from " + from + " ended inside a frame of " + length + " bytes";
        byte[] body;
        if (scratch != null && bodyLength <= scratch.a.length) {
            body = scratch.a;
            StatedLength.readInto(in, body, bodyLength, ended);
        } else {
            // Allocate as bytes arrive rather than trusting the length: a corrupt length then fails with EOF, not OOM.
            body = StatedLength.read(in, bodyLength, 1 << 20, ended);
            if (scratch != null && body.length <= Scratch.KEEP) {
                scratch.a = body;
            }
        }
        return new Frame(type, body, bodyLength);
    }

    private static boolean knownType(byte type) {
        return switch (type) {
            case INIT, DEFINE, CHUNK, READY, RESULT, CHUNK_ERROR, INITIALIZED -> true;
            default -> false;
        };
    }

    private static String printable(int v) {
        StringBuilder sb = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (v >>> shift) & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return sb.toString();
    }

    /** The protocol was broken: the stream can no longer be trusted. */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }
}
