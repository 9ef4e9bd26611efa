package org.poolbench.pool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/**
 * Java serialization on the wire, for functions and for values {@link WireValues} does not hand-encode, and the
 * deserialization filter: the pool's allow-list, whose rejections name the class and how to allow it.
 */
final class WireSerialization {

    private WireSerialization() {
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
}
