package org.poolbench.pool;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Functions as sent to workers: described by name ({@link WireLambdas}) or serialized once per call, with an id that
 * is stable for equal bytes.
 */
final class FunctionCache {
    private static final Map<Key, Long> IDS_BY_CONTENT = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
            return size() > 1024;
        }
    };
    private static final AtomicLong NEXT = new AtomicLong();
    // A lambda that captures nothing has no state: its serialized form never changes, so keep it per class.
    private static final ClassValue<Chunk.Fn[]> STATELESS = new ClassValue<>() {
        @Override
        protected Chunk.Fn[] computeValue(Class<?> type) {
            boolean stateless = type.isHidden() && type.isSynthetic()
                    && Arrays.stream(type.getDeclaredFields())
                    .allMatch(f -> java.lang.reflect.Modifier.isStatic(f.getModifiers()));
            return stateless ? new Chunk.Fn[1] : null;
        }
    };

    private FunctionCache() {
    }

    static Chunk.Fn of(Object fn, byte arity) {
        Chunk.Fn[] cached = STATELESS.get(fn.getClass());
        if (cached != null && cached[0] != null) {
            return cached[0];
        }
        byte[] bytes = WireLambdas.describe(fn); // a lambda that captures nothing: by name, no serialization
        try {
            if (bytes == null) {
                bytes = WireSerialization.serialize(fn);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the function (a " + fn.getClass().getName()
                    + ") cannot be sent to a worker: " + e + "; everything it captures must be serializable", e);
        }
        long id;
        synchronized (IDS_BY_CONTENT) {
            id = IDS_BY_CONTENT.computeIfAbsent(new Key(bytes), k -> NEXT.incrementAndGet());
        }
        Class<?> type = fn.getClass();
        Chunk.Fn f = new Chunk.Fn(id, bytes, arity, (type.isHidden() ? type.getNestHost() : type).getName());
        if (cached != null) {
            cached[0] = f;
        }
        return f;
    }

    private record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Key[" + bytes.length + " bytes]";
        }
    }
}
