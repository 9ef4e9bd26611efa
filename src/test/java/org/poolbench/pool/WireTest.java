package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The frame format and the value codec, without processes. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WireTest {

    private static DataInputStream stream(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    @Test
    void aFrameRoundTripsAndACleanEndIsNull() throws IOException {
        Wire.Buf b = Wire.Buf.frame(Wire.RESULT, 8);
        b.putLong(42);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.writeFrameTo(out);
        DataInputStream in = stream(out.toByteArray());
        Wire.Frame f = Wire.readFrame(in, "test");
        assertEquals(Wire.RESULT, f.type());
        assertEquals(42, f.in().getLong());
        assertNull(Wire.readFrame(in, "test"));
    }

    @Test
    void corruptHeadersFailAtOnceWithoutAllocatingTheirLength() {
        byte[] text = "HELLO, world".getBytes(StandardCharsets.US_ASCII);
        IOException e = assertThrows(Wire.ProtocolException.class, () -> Wire.readFrame(stream(text), "worker 7"));
        assertTrue(e.getMessage().contains("corrupt frame from worker 7"), e.getMessage());
        assertTrue(e.getMessage().contains("\"HE\""), e.getMessage());
        // these five bytes read as a 16 MiB length under a header without the magic; the magic rejects them
        byte[] plausible = {0x00, 0x10, 0x00, 0x00, 0x0b};
        e = assertThrows(Wire.ProtocolException.class, () -> Wire.readFrame(stream(plausible), "w"));
        assertTrue(e.getMessage().contains("frame magic"), e.getMessage());
        assertThrows(Wire.ProtocolException.class,
                () -> Wire.readFrame(stream(new byte[] {0x50, 0x42, -1, -1, -1, -1, 1}), "w"));
        assertThrows(Wire.ProtocolException.class,
                () -> Wire.readFrame(stream(new byte[] {0x50, 0x42, 0, 0, 0, 0, 1}), "w"));
        e = assertThrows(Wire.ProtocolException.class,
                () -> Wire.readFrame(stream(new byte[] {0x50, 0x42, 0, 0, 0, 2, 99, 0}), "w"));
        assertTrue(e.getMessage().contains("unknown type 99"), e.getMessage());
        // a plausible header with too few bytes behind it: EOF, after allocating only what arrived
        byte[] truncated = {0x50, 0x42, 0x3f, 0, 0, 0, Wire.RESULT, 1, 2, 3};
        assertThrows(EOFException.class, () -> Wire.readFrame(stream(truncated), "w"));
    }

    /** A RESULT frame of {@code xs} as a worker sends it. */
    private static byte[] resultFrame(List<?> xs) throws IOException {
        Wire.Buf b = Wire.Buf.frame(Wire.RESULT, 64);
        b.putLong(7);
        WireValues.putElements(b, xs, 0, xs.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.writeFrameTo(out);
        return out.toByteArray();
    }

    private static Object[] decode(Wire.Frame f) throws IOException {
        Wire.In in = f.in();
        assertEquals(7, in.getLong());
        Object column = WireValues.getColumn(in, null);
        Object[] values = new Object[WireValues.columnLength(column)];
        for (int i = 0; i < values.length; i++) {
            values[i] = WireValues.columnElement(column, i);
        }
        return values;
    }

    @Test
    void aReadersScratchHoldsEachFrameAndNothingDecodedFromItChangesWhenTheNextArrives() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Object> first = Arrays.asList("first", new byte[] {1, 2, 3}, new java.math.BigInteger("123456789012345678901"), 5L);
        List<Object> second = Arrays.asList("other", new byte[] {9, 9, 9}, new java.math.BigInteger("-987654321098765432109"), 6L);
        all.write(resultFrame(first));
        all.write(resultFrame(second));
        all.write(resultFrame(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L))); // larger: a new array
        all.write(resultFrame(List.of(11L)));
        DataInputStream in = stream(all.toByteArray());
        Wire.Scratch scratch = new Wire.Scratch();

        Wire.Frame f1 = Wire.readFrame(in, "w", scratch);
        Object[] v1 = decode(f1);
        Wire.Frame f2 = Wire.readFrame(in, "w", scratch);
        assertSame(f1.body(), f2.body(), "a frame that fits is read into the same array");
        Object[] v2 = decode(f2);
        assertEquals("first", v1[0]);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) v1[1]);
        assertEquals(new java.math.BigInteger("123456789012345678901"), v1[2]);
        assertEquals(5L, v1[3]);
        assertEquals("other", v2[0]);
        assertArrayEquals(new byte[] {9, 9, 9}, (byte[]) v2[1]);

        Wire.Frame f3 = Wire.readFrame(in, "w", scratch);
        assertNotSame(f1.body(), f3.body(), "a frame larger than the array gets one of its own");
        long[] ten = (long[]) WireValues.getColumn(skipId(f3), null);
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, ten);
        Wire.Frame f4 = Wire.readFrame(in, "w", scratch);
        assertSame(f3.body(), f4.body(), "which it keeps for the next");
        assertArrayEquals(new long[] {11}, (long[]) WireValues.getColumn(skipId(f4), null));
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, ten, "a column is a copy");
        assertNull(Wire.readFrame(in, "w", scratch));
    }

    private static Wire.In skipId(Wire.Frame f) throws IOException {
        Wire.In in = f.in();
        in.getLong();
        return in;
    }

    @Test
    void aScratchKeepsNoFrameOverItsLimitAndReportsATruncatedFrameAsWithout() throws IOException {
        long[] big = new long[Wire.Scratch.KEEP / 8 + 1];
        Arrays.setAll(big, i -> i);
        Wire.Buf b = Wire.Buf.frame(Wire.RESULT, 16 + 8 * big.length);
        b.putLong(7);
        WireValues.putLongList(b, big);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        b.writeFrameTo(all);
        all.write(resultFrame(List.of(1L)));
        all.write(resultFrame(List.of(2L)));
        DataInputStream in = stream(all.toByteArray());
        Wire.Scratch scratch = new Wire.Scratch();
        Wire.Frame huge = Wire.readFrame(in, "w", scratch);
        assertArrayEquals(big, (long[]) WireValues.getColumn(skipId(huge), null));
        Wire.Frame small = Wire.readFrame(in, "w", scratch);
        assertNotSame(huge.body(), small.body(), "a body over the limit is not kept");
        assertSame(small.body(), Wire.readFrame(in, "w", scratch).body());

        byte[] frame = resultFrame(List.of(3L)); // as large as the kept array: read into it, as the cut one is
        byte[] truncated = Arrays.copyOf(resultFrame(List.of(4L)), frame.length - 3);
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        two.write(frame);
        two.write(truncated);
        DataInputStream cut = stream(two.toByteArray());
        Wire.Frame whole = Wire.readFrame(cut, "worker 3", scratch);
        assertSame(small.body(), whole.body());
        EOFException e = assertThrows(EOFException.class, () -> Wire.readFrame(cut, "worker 3", scratch));
        assertTrue(e.getMessage().contains("stream from worker 3 ended inside a frame of"), e.getMessage());
    }

    @Test
    void anUnreadableValueNestedInAListBecomesThatElementsFailureAndTheRestIsRead() throws IOException {
        Wire.Buf b = new Wire.Buf(64);
        WireValues.putElements(b, List.of(1L, List.of(2L, java.net.URI.create("a:b")), "three"), 0, 3);
        Wire.In in = new Wire.In(b.a, 0, b.n);
        Object[] back = WireValues.getElements(in, WireSerialization.filter(ProcessPool.DEFAULT_ALLOWED_CLASSES + ";!*"));
        assertEquals(1L, back[0]);
        WireValues.Failure f = assertInstanceOf(WireValues.Failure.class, back[1]);
        assertTrue(f.error().getMessage().contains("java.net.URI"), f.error().getMessage());
        assertEquals("three", back[2]);
        assertEquals(b.n, in.p);
    }

    @Test
    void aCorruptCountIsRejectedNotAllocated() {
        Wire.Buf b = new Wire.Buf(16);
        b.put(WireValues.T_LONG_LIST);
        b.putInt(Integer.MAX_VALUE);
        b.putLong(1);
        assertThrows(IOException.class, () -> WireValues.getColumn(new Wire.In(b.a, 0, b.n), null));
        assertThrows(IOException.class, () -> WireValues.getElements(new Wire.In(b.a, 0, b.n), null));
    }

    @Test
    void homogeneousListsBecomePrimitiveColumnsAndMixedOnesObjects() throws IOException {
        assertArrayEquals(new long[] {1, -2, Long.MAX_VALUE}, (long[]) column(List.of(1L, -2L, Long.MAX_VALUE)));
        assertArrayEquals(new int[] {1, 2}, (int[]) column(List.of(1, 2)));
        assertArrayEquals(new double[] {0.5, Double.NaN}, (double[]) column(List.of(0.5, Double.NaN)));
        Object[] mixed = (Object[]) column(Arrays.asList(1L, 2, null, "x"));
        assertEquals(Arrays.asList(1L, 2, null, "x"), Arrays.asList(mixed));
        assertEquals(3L, WireValues.columnElement(column(List.of(3L)), 0));
    }

    private static Object column(List<?> xs) throws IOException {
        Wire.Buf b = new Wire.Buf(64);
        WireValues.putElements(b, xs, 0, xs.size());
        Wire.In in = new Wire.In(b.a, 0, b.n);
        Object column = WireValues.getColumn(in, null);
        assertEquals(b.n, in.p, "consumed exactly what was written");
        return column;
    }

    @Test
    void exceptionsTravelWithClassMessageTraceAndCauses() throws IOException {
        Wire.Buf b = new Wire.Buf(64);
        Exception original = new IllegalStateException("outer", new ArithmeticException("inner"));
        WireThrowables.putThrowable(b, original);
        RemoteThrowable back = WireThrowables.getThrowable(new Wire.In(b.a, 0, b.n));
        assertEquals("java.lang.IllegalStateException: outer", back.toString());
        assertEquals(frames(original.getStackTrace()), frames(back.getStackTrace()));
        assertEquals("java.lang.ArithmeticException: inner", back.getCause().toString());
    }

    private static List<String> frames(StackTraceElement[] trace) {
        return Arrays.stream(trace).map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":"
                + f.getLineNumber() + ")").toList();
    }

    @Test
    void theAllowListRejectsOtherClassesByName() throws IOException {
        byte[] uri = WireSerialization.serialize(java.net.URI.create("http://example.org/"));
        Exception e = assertThrows(IOException.class,
                () -> WireSerialization.deserialize(uri, WireSerialization.filter(ProcessPool.DEFAULT_ALLOWED_CLASSES + ";!*")));
        assertTrue(e.getMessage().contains("java.net.URI is not on the pool's deserialization allow-list"),
                e.getMessage());
        assertInstanceOf(java.net.URI.class, assertDoesNotThrow(uri));
    }

    @Test
    void onlyTheNamedJavaUtilClassesAreAllowed() throws IOException {
        String allowList = ProcessPool.DEFAULT_ALLOWED_CLASSES + ";!*";
        byte[] queue = WireSerialization.serialize(new java.util.PriorityQueue<>(List.of(3, 1, 2)));
        Exception e = assertThrows(IOException.class,
                () -> WireSerialization.deserialize(queue, WireSerialization.filter(allowList)));
        assertTrue(e.getMessage().contains("java.util.PriorityQueue is not on the pool's deserialization allow-list"),
                e.getMessage());
        java.util.Map<String, List<Integer>> map = new java.util.TreeMap<>(java.util.Map.of("a", List.of(1, 2)));
        assertEquals(map, assertDoesNotThrow(WireSerialization.serialize(map)));
    }

    @Test
    void anArrayLongerThanItsMessageCanCarryIsRefusedBeforeItIsAllocated() throws IOException {
        byte[] bytes = WireSerialization.serialize(new long[4]);
        int lengthAt = bytes.length - 4 * Long.BYTES - Integer.BYTES; // the stream ends: length, then the elements
        assertEquals(4, java.nio.ByteBuffer.wrap(bytes).getInt(lengthAt));
        java.nio.ByteBuffer.wrap(bytes).putInt(lengthAt, 100_000_000); // 800 MB stated in a message of ~70 bytes
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Exception e = assertThrows(IOException.class, () -> WireSerialization.deserialize(bytes,
                WireSerialization.filter(ProcessPool.DEFAULT_ALLOWED_CLASSES + ";!*")));
        assertTrue(e.getMessage().contains("cannot be genuine"), e.getMessage());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 8 << 20, "refusing the array allocated " + allocated + " bytes");
    }

    @Test
    void aValueOverTheLimitsNamesThemNotItsClass() throws IOException {
        java.util.Map<Integer, Integer> map = new java.util.HashMap<>();
        for (int i = 0; i < 100; i++) {
            map.put(i, i);
        }
        byte[] bytes = WireSerialization.serialize(map);
        Exception e = assertThrows(IOException.class, () -> WireSerialization.deserialize(bytes,
                WireSerialization.filter("maxarray=16;" + ProcessPool.DEFAULT_ALLOWED_CLASSES + ";!*")));
        assertTrue(e.getMessage().contains("over the pool's deserialization limits"), e.getMessage());
        assertTrue(e.getMessage().contains("deserializationLimits"), e.getMessage());
        assertEquals(map, assertDoesNotThrow(bytes));
    }

    private static Object assertDoesNotThrow(byte[] bytes) {
        try {
            return WireSerialization.deserialize(bytes, WireSerialization.filter(ProcessPool.DEFAULT_ALLOWED_CLASSES + ";java.net.URI;!*"));
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    record Inner(String label, Long boxed) implements java.io.Serializable {
    }

    record Point(int x, long y, double z, boolean b, Integer maybe, java.math.BigInteger big, Inner inner)
            implements java.io.Serializable {
    }

    record Positive(int v) implements java.io.Serializable {
        Positive {
            if (v < 0) {
                throw new IllegalArgumentException("v must be >= 0, got " + v);
            }
        }
    }

    record WithList(List<Long> xs) implements java.io.Serializable {
    }

    record Replaced(int v) implements java.io.Serializable {
        private Object readResolve() {
            return this;
        }
    }

    record NotSerializable(int v) {
    }

    private static final String TEST_CLASSES = ProcessPool.DEFAULT_ALLOWED_CLASSES + ";org.poolbench.pool.*;!*";

    @Test
    void aRecordTravelsByItsComponentsWithoutSerializationAndComesBackEqual() throws IOException {
        Point p = new Point(-3, 1L << 40, 0.25, true, null, java.math.BigInteger.TEN.pow(40), new Inner("in", 7L));
        Wire.Buf b = new Wire.Buf(16);
        WireValues.put(b, p, 0);
        assertEquals(WireValues.T_RECORD, b.a[0]);
        assertEquals(-1, indexOf(b, new byte[] {(byte) 0xAC, (byte) 0xED}), "no serialization stream inside");
        Wire.In in = new Wire.In(b.a, 0, b.n);
        assertEquals(p, WireValues.get(in, WireSerialization.filter(TEST_CLASSES), 0));
        assertEquals(b.n, in.p);
    }

    private static int indexOf(Wire.Buf b, byte[] what) {
        for (int i = 0; i + what.length <= b.n; i++) {
            if (Arrays.equals(b.a, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aRecordTheAllowListRejectsFailsThatElementOnlyAndNamesItsClass() throws IOException {
        Wire.Buf b = new Wire.Buf(64);
        WireValues.putElements(b, List.of(1L, new Inner("x", 1L), "three"), 0, 3);
        Wire.In in = new Wire.In(b.a, 0, b.n);
        Object[] back = WireValues.getElements(in, WireSerialization.filter("java.lang.*;!*"));
        assertEquals(1L, back[0]);
        WireValues.Failure f = assertInstanceOf(WireValues.Failure.class, back[1]);
        assertTrue(f.error().getMessage().contains(Inner.class.getName() + " is not on the pool's deserialization "
                + "allow-list"), f.error().getMessage());
        assertEquals("three", back[2]);
        assertEquals(b.n, in.p);
    }

    @Test
    void aRecordWhoseConstructorRefusesTheValuesFailsThatValueAsDeserializationWould() throws IOException {
        Wire.Buf b = new Wire.Buf(64);
        b.put(WireValues.T_LIST);
        b.putInt(2);
        WireValues.put(b, new Positive(5), 1);
        int record = b.n;
        WireValues.put(b, new Positive(6), 1);
        b.bb.putInt(b.n - 4, -6); // the component's int, the body's last four bytes: a value the constructor refuses
        assertEquals(WireValues.T_RECORD, b.a[record]);
        Wire.In in = new Wire.In(b.a, 0, b.n);
        Object[] back = WireValues.getElements(in, WireSerialization.filter(TEST_CLASSES));
        assertEquals(new Positive(5), back[0]);
        WireValues.Failure f = assertInstanceOf(WireValues.Failure.class, back[1]);
        assertTrue(f.error().getMessage().contains("v must be >= 0, got -6"), f.error().getMessage());
        assertEquals(b.n, in.p);
    }

    @Test
    void recordsThatSerializationTreatsDifferentlyAreStillSerializedWhole() throws IOException {
        for (Object v : List.of(new WithList(List.of(1L)), new Replaced(1))) {
            Wire.Buf b = new Wire.Buf(16);
            WireValues.put(b, v, 0);
            assertEquals(WireValues.T_SERIAL, b.a[0], v.toString());
            assertEquals(v, WireValues.get(new Wire.In(b.a, 0, b.n), WireSerialization.filter(TEST_CLASSES), 0));
        }
        assertThrows(java.io.NotSerializableException.class, () -> WireValues.put(new Wire.Buf(16), new NotSerializable(1),
                0));
    }
}
