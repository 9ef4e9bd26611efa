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

    /**
     * Reads one object from {@code bytes} through {@code filter}; beyond the filter, no array may state more than
     * four elements per byte of the message (every element takes at least a byte on the wire, and a map's table at
     * most about 2.7 slots per entry), so a stated length alone cannot make this allocate gigabytes.
     */
    static Object deserialize(byte[] bytes, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
        long arrayBound = 4L * bytes.length + 1024;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(info -> {
                if (info.arrayLength() > arrayBound) {
                    throw new RejectedClassException("an array of " + info.arrayLength() + " elements stated in a "
                            + bytes.length + "-byte message: refused, it cannot be genuine");
                }
                return filter.checkInput(info);
            });
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

    /** The pool's allow-list and limits as a filter; a rejection names the class or the limit, and how to allow it. */
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
            if (s != ObjectInputFilter.Status.REJECTED) {
                return s;
            }
            if (type != null && base.checkInput(classOnly(type)) == ObjectInputFilter.Status.REJECTED) {
                Class<?> c = type;
                while (c.isArray()) {
                    c = c.getComponentType();
                }
                throw RejectedClassException.notAllowed(c.getName());
            }
            throw new RejectedClassException("a value over the pool's deserialization limits (here: array length "
                    + info.arrayLength() + ", depth " + info.depth() + ", objects " + info.references() + ", bytes "
                    + info.streamBytes() + "); raise them with ProcessPool.builder().deserializationLimits(...)");
        };
    }

    /** What the filter is asked about {@code type} alone: no array length, depth, objects or bytes to exceed. */
    private static ObjectInputFilter.FilterInfo classOnly(Class<?> type) {
        return new ObjectInputFilter.FilterInfo() {
            @Override
            public Class<?> serialClass() {
                return type;
            }

            @Override
            public long arrayLength() {
                return -1;
            }

            @Override
            public long depth() {
                return 1;
            }

            @Override
            public long references() {
                return 0;
            }

            @Override
            public long streamBytes() {
                return 0;
            }
        };
    }

    /** Thrown from the filter so that the error names the class or the limit (the JDK's own message does not). */
    static final class RejectedClassException extends IllegalStateException {
        RejectedClassException(String message) {
            super(message);
        }

        static RejectedClassException notAllowed(String className) {
            return new RejectedClassException(className + " is not on the pool's deserialization allow-list; allow"
                    + " it with ProcessPool.builder().allowClasses(\"" + packagePattern(className) + "\")");
        }

        private static String packagePattern(String className) {
            int dot = className.lastIndexOf('.');
            return dot < 0 ? className : className.substring(0, dot) + ".*";
        }
    }
}
