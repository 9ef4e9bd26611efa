package org.poolbench.pool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The wire protocol between a pool and its workers, and the value codec both sides share.
 *
 * <p>A frame is {@code [short magic 'PB'][int length][byte type][body]}, big-endian, where {@code length} counts the
 * type byte and the body. Every header is checked as it arrives: the magic, the length against {@link #MAX_FRAME}
 * and the type against the known ones, so stray bytes are a {@link ProtocolException} at once, never a wait for a
 * body that does not come. Large bodies are read in steps, so even a plausible corrupt header cannot allocate more
 * than what arrived.
 *
 * <p>Values travel with a one-byte tag. Common payloads (boxed numbers, strings, big integers, primitive arrays and
 * lists of them) are hand-encoded; a list whose elements are all {@code Long} (or all {@code Integer}, or all
 * {@code Double}) is sent as a bare array of numbers. Anything else goes through Java serialization, read back through
 * an {@link ObjectInputFilter}. Lists arrive as {@link ArrayList}s.
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

    // value tags
    static final byte T_NULL = 0, T_LONG = 1, T_INT = 2, T_DOUBLE = 3, T_STRING = 4, T_BIGINT = 5, T_BYTES = 6,
            T_LONGS = 7, T_INTS = 8, T_DOUBLES = 9, T_LIST = 10, T_LONG_LIST = 11, T_INT_LIST = 12,
            T_DOUBLE_LIST = 13, T_BOOL = 14, T_SERIAL = 15, T_EXC = 16, T_RECORD = 17;

    private static final int MAX_DEPTH = 64;
    private static final int MAX_CAUSES = 8;
    private static final int MAX_FRAMES = 256;

    private Wire() {
    }

    /** A growable output buffer; the first five bytes are kept for the frame header. */
    static final class Buf {
        byte[] a;
        /** A view of {@link #a} for its numbers (big-endian); not a VarHandle, whose forms a worker would spin at start. */
        ByteBuffer bb;
        int n;

        Buf(int capacity) {
            a = new byte[Math.max(16, capacity)];
            bb = ByteBuffer.wrap(a);
        }

        /** A buffer that will become a frame of {@code type}: the length is filled in by {@link #frameBytes}. */
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
     * Reads one frame. Returns {@code null} at a clean end of stream (between frames).
     *
     * @param from names the sender in error messages
     */
    static Frame readFrame(DataInputStream in, String from) throws IOException {
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
        // Allocate as bytes arrive rather than trusting the length: a corrupt length then fails with EOF, not OOM.
        byte[] body = new byte[Math.min(bodyLength, 1 << 20)];
        int got = 0;
        while (got < bodyLength) {
            if (got == body.length) {
                body = Arrays.copyOf(body, (int) Math.min(bodyLength, 2L * body.length));
            }
            int r = in.read(body, got, body.length - got);
            if (r < 0) {
                throw new EOFException("stream from " + from + " ended inside a frame of " + length + " bytes");
            }
            got += r;
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

    // ---- values -------------------------------------------------------------------------------------------------

    /** A task's failure as it travels: encoded with {@link #T_EXC}. */
    record Failure(Throwable error) {
    }

    /** Encodes {@code xs.get(from..to)} as one list value, the cheap way when the elements allow it. */
    static void putElements(Buf b, List<?> xs, int from, int to) throws IOException {
        putElements(b, xs, from, to, 0);
    }

    private static void putElements(Buf b, List<?> xs, int from, int to, int depth) throws IOException {
        int k = to - from;
        Object first = k > 0 ? xs.get(from) : null;
        // Optimistic: encode as a bare array of numbers in one pass, and start over generically at the first misfit.
        int mark = b.n;
        boolean bare = true;
        if (first instanceof Long) {
            b.put(T_LONG_LIST);
            b.putInt(k);
            b.ensure(8L * k);
            for (int i = from; i < to && bare; i++) {
                if (xs.get(i) instanceof Long v) {
                    b.bb.putLong(b.n, (long) v);
                    b.n += 8;
                } else {
                    bare = false;
                }
            }
        } else if (first instanceof Integer) {
            b.put(T_INT_LIST);
            b.putInt(k);
            b.ensure(4L * k);
            for (int i = from; i < to && bare; i++) {
                if (xs.get(i) instanceof Integer v) {
                    b.bb.putInt(b.n, (int) v);
                    b.n += 4;
                } else {
                    bare = false;
                }
            }
        } else if (first instanceof Double) {
            b.put(T_DOUBLE_LIST);
            b.putInt(k);
            b.ensure(8L * k);
            for (int i = from; i < to && bare; i++) {
                if (xs.get(i) instanceof Double v) {
                    b.bb.putLong(b.n, Double.doubleToRawLongBits(v));
                    b.n += 8;
                } else {
                    bare = false;
                }
            }
        } else {
            bare = false;
        }
        if (bare) {
            return;
        }
        b.n = mark;
        b.put(T_LIST);
        b.putInt(k);
        for (int i = from; i < to; i++) {
            if (depth > 0) {
                put(b, xs.get(i), depth + 1);
                continue;
            }
            try {
                put(b, xs.get(i), depth + 1);
            } catch (IOException | RuntimeException | StackOverflowError e) {
                throw new ElementException(i, xs.get(i), e);
            }
        }
    }

    /** Encoding element {@code index} failed. */
    static final class ElementException extends IOException {
        final int index;

        ElementException(int index, Object element, Throwable cause) {
            super("element " + index + " (a " + (element == null ? "null" : element.getClass().getName())
                    + ") cannot be encoded: " + cause, cause);
            this.index = index;
        }
    }

    /**
     * Decodes a list value written by {@link #putElements} as a column: a {@code long[]}, {@code int[]} or
     * {@code double[]} for lists of one boxed type (boxed again only when read: a million results then cost the
     * parent's garbage collector one array, not a million objects), otherwise an {@code Object[]}.
     */
    static Object getColumn(In in, ObjectInputFilter filter) throws IOException {
        byte tag = in.a[in.p];
        if (tag != T_LONG_LIST && tag != T_INT_LIST && tag != T_DOUBLE_LIST) {
            return getElements(in, filter);
        }
        in.p++;
        int k = in.count();
        switch (tag) {
            case T_LONG_LIST -> {
                in.need(8L * k);
                long[] x = new long[k];
                for (int i = 0; i < k; i++, in.p += 8) {
                    x[i] = in.bb.getLong(in.p);
                }
                return x;
            }
            case T_INT_LIST -> {
                in.need(4L * k);
                int[] x = new int[k];
                for (int i = 0; i < k; i++, in.p += 4) {
                    x[i] = in.bb.getInt(in.p);
                }
                return x;
            }
            default -> {
                in.need(8L * k);
                double[] x = new double[k];
                for (int i = 0; i < k; i++, in.p += 8) {
                    x[i] = Double.longBitsToDouble(in.bb.getLong(in.p));
                }
                return x;
            }
        }
    }

    static int columnLength(Object column) {
        return java.lang.reflect.Array.getLength(column);
    }

    /** Element {@code i} of a column from {@link #getColumn}, boxed. */
    static Object columnElement(Object column, int i) {
        if (column instanceof Object[] x) {
            return x[i];
        } else if (column instanceof long[] x) {
            return x[i];
        } else if (column instanceof int[] x) {
            return x[i];
        }
        return ((double[]) column)[i];
    }

    /** Decodes a list value written by {@link #putElements} into an array. */
    static Object[] getElements(In in, ObjectInputFilter filter) throws IOException {
        byte tag = in.get();
        int k = in.count();
        Object[] out = new Object[k];
        switch (tag) {
            case T_LONG_LIST -> {
                in.need(8L * k);
                for (int i = 0; i < k; i++) {
                    out[i] = in.bb.getLong(in.p);
                    in.p += 8;
                }
            }
            case T_INT_LIST -> {
                in.need(4L * k);
                for (int i = 0; i < k; i++) {
                    out[i] = in.bb.getInt(in.p);
                    in.p += 4;
                }
            }
            case T_DOUBLE_LIST -> {
                in.need(8L * k);
                for (int i = 0; i < k; i++) {
                    out[i] = Double.longBitsToDouble(in.bb.getLong(in.p));
                    in.p += 8;
                }
            }
            case T_LIST -> {
                for (int i = 0; i < k; i++) {
                    out[i] = getOrFailure(in, filter);
                }
            }
            default -> throw new IOException("corrupt frame: expected a list, got tag " + tag);
        }
        return out;
    }

    /**
     * Decodes one value. A value that cannot be deserialized, at any depth (class not allowed, not found, a failing
     * {@code readObject}), becomes a {@link Failure}: the value is skipped whole and the stream stays usable.
     */
    private static Object getOrFailure(In in, ObjectInputFilter filter) throws IOException {
        int mark = in.p;
        try {
            return get(in, filter, 0);
        } catch (UnreadableValueException e) {
            in.p = mark;
            skip(in, 0);
            return new Failure(e.getCause());
        }
    }

    /** A well-framed serialized value that could not be deserialized: the frame itself is intact. */
    static final class UnreadableValueException extends IOException {
        UnreadableValueException(Throwable cause) {
            super(cause.toString(), cause);
        }
    }

    /** Moves past one value without building it. */
    private static void skip(In in, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("corrupt frame: value nested deeper than " + MAX_DEPTH);
        }
        byte tag = in.get();
        switch (tag) {
            case T_NULL -> { }
            case T_BOOL -> advance(in, 1);
            case T_INT -> advance(in, 4);
            case T_LONG, T_DOUBLE -> advance(in, 8);
            case T_STRING -> {
                int k = in.getInt();
                if (k != -1) {
                    in.need(k);
                    in.p += k;
                }
                return;
            }
            case T_BIGINT, T_BYTES, T_SERIAL, T_RECORD -> {
                int k = in.getInt();
                in.need(k);
                in.p += k;
                return;
            }
            case T_LONGS, T_DOUBLES, T_LONG_LIST, T_DOUBLE_LIST -> {
                long k = 8L * in.count();
                in.need(k);
                in.p += (int) k;
                return;
            }
            case T_INTS, T_INT_LIST -> {
                long k = 4L * in.count();
                in.need(k);
                in.p += (int) k;
                return;
            }
            case T_LIST -> {
                int k = in.count();
                for (int i = 0; i < k; i++) {
                    skip(in, depth + 1);
                }
                return;
            }
            case T_EXC -> {
                getThrowable(in);
                return;
            }
            default -> throw new IOException("corrupt frame: unknown value tag " + tag);
        }
    }

    private static void advance(In in, int k) throws IOException {
        in.need(k);
        in.p += k;
    }

    static void put(Buf b, Object v, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("value nested deeper than " + MAX_DEPTH + " lists");
        }
        if (v == null) {
            b.put(T_NULL);
        } else if (v instanceof Long x) {
            b.put(T_LONG);
            b.putLong(x);
        } else if (v instanceof Integer x) {
            b.put(T_INT);
            b.putInt(x);
        } else if (v instanceof Double x) {
            b.put(T_DOUBLE);
            b.putLong(Double.doubleToRawLongBits(x));
        } else if (v instanceof String x) {
            b.put(T_STRING);
            b.putString(x);
        } else if (v instanceof Boolean x) {
            b.put(T_BOOL);
            b.put((byte) (x ? 1 : 0));
        } else if (v.getClass() == BigInteger.class) {
            b.put(T_BIGINT);
            b.putBytes(((BigInteger) v).toByteArray());
        } else if (v instanceof byte[] x) {
            b.put(T_BYTES);
            b.putBytes(x);
        } else if (v instanceof long[] x) {
            b.put(T_LONGS);
            b.putInt(x.length);
            b.ensure(8L * x.length);
            for (long e : x) {
                b.bb.putLong(b.n, e);
                b.n += 8;
            }
        } else if (v instanceof int[] x) {
            b.put(T_INTS);
            b.putInt(x.length);
            b.ensure(4L * x.length);
            for (int e : x) {
                b.bb.putInt(b.n, e);
                b.n += 4;
            }
        } else if (v instanceof double[] x) {
            b.put(T_DOUBLES);
            b.putInt(x.length);
            b.ensure(8L * x.length);
            for (double e : x) {
                b.bb.putLong(b.n, Double.doubleToRawLongBits(e));
                b.n += 8;
            }
        } else if (v instanceof List<?> x && v.getClass().getName().startsWith("java.util.")) {
            // JDK lists only: a user's List subclass may carry more than its elements, so it is serialized whole.
            putElements(b, x, 0, x.size(), depth);
        } else if (v instanceof Failure f) {
            b.put(T_EXC);
            putThrowable(b, f.error());
        } else if (WireRecords.fast(v.getClass())) {
            WireRecords.put(b, v, depth);
        } else {
            b.put(T_SERIAL);
            b.putBytes(serialize(v));
        }
    }

    static Object get(In in, ObjectInputFilter filter, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("corrupt frame: value nested deeper than " + MAX_DEPTH);
        }
        byte tag = in.get();
        switch (tag) {
            case T_NULL:
                return null;
            case T_LONG:
                return in.getLong();
            case T_INT:
                return in.getInt();
            case T_DOUBLE:
                return Double.longBitsToDouble(in.getLong());
            case T_STRING:
                return in.getString();
            case T_BOOL:
                return in.get() != 0;
            case T_BIGINT:
                return new BigInteger(in.getBytes());
            case T_BYTES:
                return in.getBytes();
            case T_LONGS: {
                int k = in.count();
                in.need(8L * k);
                long[] x = new long[k];
                for (int i = 0; i < k; i++, in.p += 8) {
                    x[i] = in.bb.getLong(in.p);
                }
                return x;
            }
            case T_INTS: {
                int k = in.count();
                in.need(4L * k);
                int[] x = new int[k];
                for (int i = 0; i < k; i++, in.p += 4) {
                    x[i] = in.bb.getInt(in.p);
                }
                return x;
            }
            case T_DOUBLES: {
                int k = in.count();
                in.need(8L * k);
                double[] x = new double[k];
                for (int i = 0; i < k; i++, in.p += 8) {
                    x[i] = Double.longBitsToDouble(in.bb.getLong(in.p));
                }
                return x;
            }
            case T_LIST: {
                int k = in.count();
                List<Object> x = new ArrayList<>(k);
                for (int i = 0; i < k; i++) {
                    x.add(get(in, filter, depth + 1));
                }
                return x;
            }
            case T_LONG_LIST, T_INT_LIST, T_DOUBLE_LIST: {
                in.p--;
                return new ArrayList<>(Arrays.asList(getElements(in, filter)));
            }
            case T_EXC:
                return new Failure(getThrowable(in));
            case T_RECORD:
                return WireRecords.get(in, filter, depth);
            case T_SERIAL: {
                byte[] bytes = in.getBytes();
                try {
                    return deserialize(bytes, filter);
                } catch (Throwable e) { // anything a readObject can throw: only this value is lost
                    throw new UnreadableValueException(e);
                }
            }
            default:
                throw new IOException("corrupt frame: unknown value tag " + tag);
        }
    }

    static byte[] serialize(Object v) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(v);
        }
        return bytes.toByteArray();
    }

    static Object deserialize(byte[] bytes, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        } catch (InvalidClassException e) {
            if (e.getCause() instanceof RejectedClassException r) { // the JDK's message does not name the class
                InvalidClassException named = new InvalidClassException(r.getMessage());
                named.initCause(e);
                throw named;
            }
            throw e;
        }
    }

    /** The pool's allow-list as a filter; a rejection names the class and how to allow it. */
    static ObjectInputFilter filter(String pattern) {
        return filter(ObjectInputFilter.Config.createFilter(pattern), null);
    }

    /** {@code base}, and also the class named {@code alsoAllowed} (a function's own or capturing class). */
    static ObjectInputFilter filter(ObjectInputFilter base, String alsoAllowed) {
        return info -> {
            Class<?> type = info.serialClass();
            if (type != null && (type.isHidden() || type.getName().equals(alsoAllowed))) {
                // A hidden class is a lambda made by readResolve from an allowed SerializedLambda: never read by name.
                return ObjectInputFilter.Status.ALLOWED;
            }
            ObjectInputFilter.Status s = base.checkInput(info);
            if (s == ObjectInputFilter.Status.REJECTED && info.serialClass() != null) {
                Class<?> c = info.serialClass();
                while (c.isArray()) {
                    c = c.getComponentType();
                }
                throw new RejectedClassException(c.getName());
            }
            return s;
        };
    }

    /** Thrown from the filter so that the error names the class (the JDK's own message does not). */
    static final class RejectedClassException extends IllegalStateException {
        RejectedClassException(String className) {
            super(className + " is not on the pool's deserialization allow-list; allow it with"
                    + " ProcessPool.builder().allowClasses(\"" + packagePattern(className) + "\")");
        }

        private static String packagePattern(String className) {
            int dot = className.lastIndexOf('.');
            return dot < 0 ? className : className.substring(0, dot) + ".*";
        }
    }

    // ---- exceptions ---------------------------------------------------------------------------------------------

    static void putThrowable(Buf b, Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && chain.size() < MAX_CAUSES && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        b.putInt(chain.size());
        for (Throwable c : chain) {
            b.putString(c.getClass().getName());
            b.putString(c.getMessage());
            StackTraceElement[] frames = c.getStackTrace();
            int k = Math.min(frames.length, MAX_FRAMES);
            b.putInt(k);
            for (int i = 0; i < k; i++) {
                StackTraceElement f = frames[i];
                b.putString(f.getClassName());
                b.putString(f.getMethodName());
                b.putString(f.getFileName());
                b.putInt(f.getLineNumber());
            }
        }
    }

    static RemoteThrowable getThrowable(In in) throws IOException {
        int k = in.count();
        if (k == 0) {
            throw new IOException("corrupt frame: empty exception");
        }
        RemoteThrowable[] chain = new RemoteThrowable[k];
        for (int i = 0; i < k; i++) {
            String className = in.getString();
            String message = in.getString();
            int frames = in.count();
            StackTraceElement[] trace = new StackTraceElement[frames];
            for (int j = 0; j < frames; j++) {
                trace[j] = new StackTraceElement(in.getString(), in.getString(), in.getString(), in.getInt());
            }
            chain[i] = new RemoteThrowable(className, message, trace);
        }
        for (int i = 0; i + 1 < k; i++) {
            chain[i].initCause(chain[i + 1]);
        }
        return chain[0];
    }
}
