package org.poolbench.pool;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.poolbench.pool.Wire.Buf;
import org.poolbench.pool.Wire.In;

/**
 * The value codec both sides of the wire share: what an argument, a result or an initializer's argument becomes in a
 * frame body. Values travel with a one-byte tag. Common payloads (boxed numbers, strings, big integers, primitive
 * arrays and lists of them) are hand-encoded; a list whose elements are all {@code Long} (or all {@code Integer}, or
 * all {@code Double}) is sent as a bare array of numbers. Records go by their components ({@link WireRecords}), a
 * task's failure as {@link WireThrowables} writes it, anything else through Java serialization, read back through an
 * {@link ObjectInputFilter} ({@link WireSerialization}). Lists arrive as {@link ArrayList}s.
 */
final class WireValues {

    // value tags
    static final byte T_NULL = 0, T_LONG = 1, T_INT = 2, T_DOUBLE = 3, T_STRING = 4, T_BIGINT = 5, T_BYTES = 6,
            T_LONGS = 7, T_INTS = 8, T_DOUBLES = 9, T_LIST = 10, T_LONG_LIST = 11, T_INT_LIST = 12,
            T_DOUBLE_LIST = 13, T_BOOL = 14, T_SERIAL = 15, T_EXC = 16, T_RECORD = 17;

    private static final int MAX_DEPTH = 64;

    private WireValues() {
    }

    /** A task's failure as it travels: encoded with {@link #T_EXC}. */
    record Failure(Throwable error) {
    }

    /** Longs a list's encoding unboxes before it copies them into the frame at once. */
    private static final int LONG_BLOCK = 1024;

    /**
     * Copies {@code v[0..len)} into {@code b} as big-endian longs in one bulk copy. Numbers go in and out of frames
     * in bulk rather than one {@code ByteBuffer} call each, because a program's first chunks run before the JIT has
     * compiled those calls, and each is a chain of several interpreted methods.
     */
    static void putLongs(Buf b, long[] v, int len) {
        b.ensure(8L * len);
        b.bb.slice(b.n, 8 * len).asLongBuffer().put(v, 0, len);
        b.n += 8 * len;
    }

    /** A list of longs as {@link #putElements} encodes one: {@code v} is a chunk's results, all {@code Long}. */
    static void putLongList(Buf b, long[] v) {
        b.put(T_LONG_LIST);
        b.putInt(v.length);
        putLongs(b, v, v.length);
    }

    /** True if the next value is a list {@link #putElements} encoded as bare longs. */
    static boolean nextIsLongList(In in) {
        return in.p < in.end && in.a[in.p] == T_LONG_LIST;
    }

    /**
     * Copies {@code xs.get(from..from + m)} into {@code block}; false at the first that is not a {@code Long}. A method
     * of its own so that the loop a program's first {@code map} runs is all the JIT compiles, not the whole encoder
     * around it (which took C2 about 29 ms as an on-stack replacement).
     */
    private static boolean unbox(List<?> xs, int from, long[] block, int m) {
        for (int j = 0; j < m; j++) {
            if (xs.get(from + j) instanceof Long v) {
                block[j] = v;
            } else {
                return false;
            }
        }
        return true;
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
            long[] block = new long[Math.min(k, LONG_BLOCK)];
            for (int i = from; i < to && bare; ) {
                int m = Math.min(block.length, to - i);
                bare = unbox(xs, i, block, m);
                putLongs(b, block, m);
                i += m;
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
                in.bb.slice(in.p, 8 * k).asLongBuffer().get(x);
                in.p += 8 * k;
                return x;
            }
            case T_INT_LIST -> {
                in.need(4L * k);
                int[] x = new int[k];
                in.bb.slice(in.p, 4 * k).asIntBuffer().get(x);
                in.p += 4 * k;
                return x;
            }
            default -> {
                in.need(8L * k);
                double[] x = new double[k];
                in.bb.slice(in.p, 8 * k).asDoubleBuffer().get(x);
                in.p += 8 * k;
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
                WireThrowables.getThrowable(in);
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
            WireThrowables.putThrowable(b, f.error());
        } else if (WireRecords.fast(v.getClass())) {
            WireRecords.put(b, v, depth);
        } else {
            b.put(T_SERIAL);
            b.putBytes(WireSerialization.serialize(v));
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
                return new Failure(WireThrowables.getThrowable(in));
            case T_RECORD:
                return WireRecords.get(in, filter, depth);
            case T_SERIAL: {
                byte[] bytes = in.getBytes();
                try {
                    return WireSerialization.deserialize(bytes, filter);
                } catch (Throwable e) { // anything a readObject can throw: only this value is lost
                    throw new UnreadableValueException(e);
                }
            }
            default:
                throw new IOException("corrupt frame: unknown value tag " + tag);
        }
    }
}
