package org.poolbench.pool;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Functions on the wire without Java serialization where that is possible: a lambda or method reference that
 * captures nothing travels as its {@link SerializedLambda}'s names, and the worker rebuilds it by calling its class's
 * {@code $deserializeLambda$}, as {@code SerializedLambda.readResolve} would. A worker that never meets a serialized
 * value then never creates an {@code ObjectInputStream}, whose first use in a JVM brings up the JDK's serial-filter
 * configuration (and with it {@code java.util.logging}): 31–48 ms of a fresh worker's first task on the machine of
 * docs/POOL.md, "Start-up". Everything else (captured values, other functions) is Java-serialized as before.
 *
 * <p>The description starts with {@link #MARK}, which a serialization stream (magic {@code 0xACED}) never does, so a
 * reader tells the two apart by their first bytes.
 */
final class WireLambdas {
    /** "PBL1": a lambda by name, version 1. */
    static final byte[] MARK = {'P', 'B', 'L', '1'};

    private WireLambdas() {
    }

    /**
     * The description of {@code fn} if it is a lambda or method reference that captures nothing and whose defining
     * class lets this code call its {@code $deserializeLambda$} (so a worker, on the same class path, can too);
     * otherwise null.
     */
    static byte[] describe(Object fn) {
        Class<?> type = fn.getClass();
        if (!type.isHidden() || !type.isSynthetic()) {
            return null;
        }
        try {
            Method writeReplace = type.getDeclaredMethod("writeReplace");
            if (!writeReplace.trySetAccessible() || !(writeReplace.invoke(fn) instanceof SerializedLambda s)
                    || s.getCapturedArgCount() != 0) {
                return null;
            }
            Class<?> capturing = type.getNestHost();
            if (!capturing.getName().replace('.', '/').equals(s.getCapturingClass()) || deserializer(capturing) == null) {
                return null;
            }
            Wire.Buf b = new Wire.Buf(256);
            for (byte m : MARK) {
                b.put(m);
            }
            b.putString(s.getFunctionalInterfaceClass());
            b.putString(s.getFunctionalInterfaceMethodName());
            b.putString(s.getFunctionalInterfaceMethodSignature());
            b.putInt(s.getImplMethodKind());
            b.putString(s.getImplClass());
            b.putString(s.getImplMethodName());
            b.putString(s.getImplMethodSignature());
            b.putString(s.getInstantiatedMethodType());
            return Arrays.copyOf(b.a, b.n);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not a serializable lambda as javac makes them: Java serialization says what is wrong
        }
    }

    /**
     * The function in {@code bytes}: rebuilt from its description (its defining class is {@code home}, which the
     * pool's filter always allows), or read through Java serialization and {@code filter}.
     */
    static Object read(byte[] bytes, String home, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
        if (!described(bytes)) {
            return WireSerialization.deserialize(bytes, filter);
        }
        Wire.In in = new Wire.In(bytes, MARK.length, bytes.length);
        String fiClass = in.getString();
        String fiMethod = in.getString();
        String fiSignature = in.getString();
        int implKind = in.getInt();
        String implClass = in.getString();
        String implMethod = in.getString();
        String implSignature = in.getString();
        String instantiated = in.getString();
        Class<?> capturing = Class.forName(home, false, ClassLoader.getSystemClassLoader());
        Method deserializer = deserializer(capturing);
        if (deserializer == null) {
            throw new IOException("cannot rebuild a lambda of " + home + ": its $deserializeLambda$ is not accessible");
        }
        SerializedLambda s = new SerializedLambda(capturing, fiClass, fiMethod, fiSignature, implKind, implClass,
                implMethod, implSignature, instantiated, new Object[0]);
        try {
            return deserializer.invoke(null, s);
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot rebuild a lambda of " + home + " (" + implClass + "." + implMethod + "): "
                    + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    static boolean described(byte[] bytes) {
        return bytes.length >= MARK.length && Arrays.equals(bytes, 0, MARK.length, MARK, 0, MARK.length);
    }

    /** {@code capturing}'s {@code $deserializeLambda$}, made accessible, or null. */
    private static Method deserializer(Class<?> capturing) {
        try {
            Method m = capturing.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
            return m.trySetAccessible() ? m : null;
        } catch (NoSuchMethodException | SecurityException e) {
            return null;
        }
    }
}
