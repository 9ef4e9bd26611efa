package org.poolbench.pool;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.Set;

/**
 * Records on the wire without Java serialization: the class name, then each component as a {@link Wire} value,
 * rebuilt on the other side by the record's canonical constructor, which is how serialization itself rebuilds a
 * record (so its invariants are checked again on arrival). A small result such as {@code Factorial.Digest} then
 * costs a few bytes instead of an {@code ObjectOutputStream}, a class descriptor and an {@code ObjectInputStream}
 * per task (docs/POOL.md, "What a task costs").
 *
 * <p>Only records that serialization would treat the same way take this path: {@link Serializable}, without
 * {@code writeReplace} or {@code readResolve}, and with every component of a type whose wire form decodes to that very
 * type (see {@link #LEAVES}), or a record of such components. Any other value is serialized whole, as before. The
 * receiving side checks the class against the pool's allow-list before it builds anything, and a record that cannot
 * be read (class missing, rejected, constructor throws) fails that value only: the body is length-prefixed.
 */
final class WireRecords {

    /** Component types that {@link Wire#put} encodes and {@link Wire#get} decodes to the same type. */
    private static final Set<Class<?>> LEAVES = Set.of(int.class, long.class, double.class, boolean.class,
            Integer.class, Long.class, Double.class, Boolean.class, String.class, BigInteger.class, byte[].class,
            int[].class, long[].class, double[].class);

    /** How to take a record class apart and put it together, or {@link #NONE} if it goes by serialization. */
    private record Shape(Field[] fields, Constructor<?> canonical) {
    }

    private static final Shape NONE = new Shape(new Field[0], null);

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return shapeOf(type, true);
        }
    };

    private WireRecords() {
    }

    /** Whether values of {@code type} go by this path. */
    static boolean fast(Class<?> type) {
        return type.isRecord() && SHAPES.get(type) != NONE;
    }

    private static Shape shapeOf(Class<?> type, boolean mayNest) {
        if (!type.isRecord() || !Serializable.class.isAssignableFrom(type) || declares(type, "writeReplace")
                || declares(type, "readResolve")) {
            return NONE;
        }
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Field[] fields = new Field[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                Class<?> t = components[i].getType();
                // one level of nesting: enough for value records, and no recursion through a record naming itself
                if (!LEAVES.contains(t) && !(mayNest && t != type && shapeOf(t, false) != NONE)) {
                    return NONE;
                }
                types[i] = t;
                fields[i] = type.getDeclaredField(components[i].getName());
                if (!fields[i].trySetAccessible()) {
                    return NONE;
                }
            }
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            return canonical.trySetAccessible() ? new Shape(fields, canonical) : NONE;
        } catch (NoSuchFieldException | NoSuchMethodException | SecurityException e) {
            return NONE;
        }
    }

    private static boolean declares(Class<?> type, String method) {
        try {
            type.getDeclaredMethod(method);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Writes {@code v} (for which {@link #fast} holds): tag, body length, class name, components. */
    static void put(Wire.Buf b, Object v, int depth) throws IOException {
        Shape shape = SHAPES.get(v.getClass());
        b.put(WireValues.T_RECORD);
        int lengthAt = b.n;
        b.putInt(0);
        b.putString(v.getClass().getName());
        for (Field f : shape.fields()) {
            Object x;
            try {
                x = f.get(v);
            } catch (IllegalAccessException e) {
                throw new IOException("cannot read record component " + f, e);
            }
            WireValues.put(b, x, depth + 1);
        }
        b.bb.putInt(lengthAt, b.n - lengthAt - 4);
    }

    /**
     * Reads a record after its tag. Whatever goes wrong inside the body costs this value only: the reader is left
     * after the body, and the error is an {@link WireValues.UnreadableValueException}.
     */
    static Object get(Wire.In in, ObjectInputFilter filter, int depth) throws IOException {
        int length = in.getInt();
        if (length < 0) {
            throw new IOException("corrupt frame: record body of " + length + " bytes");
        }
        in.need(length);
        int end = in.p + length;
        try {
            Class<?> type = resolve(in.getString(), filter, depth);
            Shape shape = SHAPES.get(type);
            if (shape == NONE) {
                throw new InvalidClassException(type.getName(), "not a record this side can rebuild");
            }
            Field[] fields = shape.fields();
            Object[] values = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                values[i] = WireValues.get(in, filter, depth + 1);
            }
            if (in.p != end) {
                throw new IOException("corrupt frame: record body of " + length + " bytes read as " + (in.p - end
                        + length));
            }
            return shape.canonical().newInstance(values);
        } catch (InvocationTargetException e) { // the constructor refused the values, as it would after readObject
            throw new WireValues.UnreadableValueException(e.getCause());
        } catch (WireValues.UnreadableValueException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw new WireValues.UnreadableValueException(e);
        } finally {
            in.p = end;
        }
    }

    private static Class<?> resolve(String name, ObjectInputFilter filter, int depth)
            throws ClassNotFoundException, InvalidClassException {
        // the loader ObjectInputStream would pick here: the first one on the stack that is not the platform's
        Class<?> type = Class.forName(name, false, WireRecords.class.getClassLoader());
        ObjectInputFilter.Status status;
        try {
            status = filter == null ? ObjectInputFilter.Status.UNDECIDED
                    : filter.checkInput(new Info(type, -1, depth, 0, 0));
        } catch (WireSerialization.RejectedClassException r) {
            InvalidClassException named = new InvalidClassException(r.getMessage());
            named.initCause(r);
            throw named;
        }
        if (status == ObjectInputFilter.Status.REJECTED) {
            throw new InvalidClassException(name, "rejected by the pool's deserialization filter");
        }
        return type;
    }

    private record Info(Class<?> serialClass, long arrayLength, long depth, long references, long streamBytes)
            implements ObjectInputFilter.FilterInfo {
    }
}
