package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.ObjectInputFilter;
import org.junit.jupiter.api.Test;

/** Functions by name: which ones travel so, that they come back working, and that the rest are serialized. */
class WireLambdasTest {

    private static final ObjectInputFilter FILTER = WireSerialization.filter(ProcessPool.DEFAULT_ALLOWED_CLASSES + ";!*");

    static long cube(long x) {
        return x * x * x;
    }

    @SuppressWarnings("unchecked")
    private static <T, R> SerializableFunction<T, R> roundTrip(SerializableFunction<T, R> fn) throws Exception {
        Chunk.Fn sent = FunctionCache.of(fn, (byte) 1);
        return (SerializableFunction<T, R>) WireLambdas.read(sent.bytes(), sent.home(), FILTER);
    }

    @Test
    void aLambdaOrMethodReferenceThatCapturesNothingTravelsByName() throws Exception {
        SerializableFunction<Long, Long> square = x -> x * x;
        byte[] described = WireLambdas.describe(square);
        assertNotNull(described);
        assertTrue(WireLambdas.described(described));
        assertEquals(49L, roundTrip(square).apply(7L));

        SerializableFunction<Long, Long> ref = WireLambdasTest::cube;
        assertTrue(WireLambdas.described(FunctionCache.of(ref, (byte) 1).bytes()));
        assertEquals(27L, roundTrip(ref).apply(3L));

        SerializableFunction<String, Integer> jdk = String::length; // its implementation in another class
        assertEquals(5, roundTrip(jdk).apply("five!"));
    }

    @Test
    void aLambdaThatCapturesIsSerializedAsBefore() throws Exception {
        long offset = 10;
        SerializableFunction<Long, Long> plus = x -> x + offset;
        assertNull(WireLambdas.describe(plus));
        byte[] bytes = FunctionCache.of(plus, (byte) 1).bytes();
        assertFalse(WireLambdas.described(bytes));
        assertEquals((byte) 0xAC, bytes[0], "a Java serialization stream");
        assertEquals(15L, roundTrip(plus).apply(5L));
    }

    @Test
    void aDescriptionOfAMethodThatIsNotThereFailsWithItsName() {
        SerializableFunction<Long, Long> square = x -> x * x;
        byte[] described = WireLambdas.describe(square);
        // the same description read against a class that has no such lambda
        IOException e = assertThrows(IOException.class, () -> WireLambdas.read(described, WireTest.class.getName(), FILTER));
        assertTrue(e.getMessage().contains(WireTest.class.getName()), e.getMessage());
    }
}
