package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The API against sequential results, on one shared pool of two workers (none of these tests harms a worker). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolTest {

    private ProcessPool pool;
    private List<Long> pids;

    record Point(int x, int y) implements Serializable {
    }

    static final class NotSerializable {
        @Override
        public String toString() {
            return "NotSerializable";
        }
    }

    @BeforeAll
    void start() {
        pool = ProcessPool.builder().workers(2).build();
        pids = pool.workerPids();
        assertEquals(2, pids.size());
    }

    @AfterEach
    void workersSurvivedAndNoOtherIsLeft() {
        assertEquals(pids, pool.workerPids(), "no test here should cost a worker");
        assertEquals(Set.copyOf(pids), PoolTesting.liveWorkers(), "worker processes besides the shared pool's");
    }

    @AfterAll
    void stop() throws InterruptedException {
        pool.close();
        assertEquals(Set.of(), PoolTesting.awaitGone(pids, java.time.Duration.ofSeconds(5)));
        PoolTesting.assertNoWorkersLeft();
    }

    private static List<Long> longs(int n) {
        return LongStream.range(0, n).boxed().toList();
    }

    private static long square(long x) {
        return x * x;
    }

    @Test
    void mapAgreesWithSequentialForEveryChunksize() {
        List<Long> xs = longs(1000);
        List<Long> expected = xs.stream().map(ProcessPoolTest::square).toList();
        assertEquals(expected, pool.map(ProcessPoolTest::square, xs));
        for (int chunksize : new int[] {1, 3, 7, 999, 1000, 5000}) {
            assertEquals(expected, pool.map(ProcessPoolTest::square, xs, chunksize), "chunksize " + chunksize);
        }
        assertEquals(List.of(), pool.map(ProcessPoolTest::square, List.of()));
        assertThrows(IllegalArgumentException.class, () -> pool.map(ProcessPoolTest::square, xs, 0));
    }

    /** Chunks of longs take the worker's column path until a result is something other than a Long. */
    @Test
    void aChunkOfLongsKeepsEveryResultWhateverItsType() {
        List<Long> xs = longs(100);
        SerializableFunction<Long, Object> mixed =
                x -> x % 10 == 3 ? "s" + x : x % 10 == 7 ? null : x % 10 == 9 ? (Object) (int) (long) x : x * x;
        List<Object> expected = new ArrayList<>();
        for (Long x : xs) {
            expected.add(mixed.apply(x));
        }
        for (int chunksize : new int[] {1, 5, 50, 100}) {
            assertEquals(expected, pool.map(mixed, xs, chunksize), "chunksize " + chunksize);
        }
        assertEquals(Arrays.asList("zero", 1L, 2L), pool.map(x -> x == 0 ? "zero" : x, List.of(0L, 1L, 2L), 3));

        Iterator<Long> it = pool.imap(x -> 10 / x, List.of(1L, 0L, 2L, 5L), 4);
        assertEquals(10L, it.next());
        TaskFailedException e = assertThrows(TaskFailedException.class, it::next);
        assertEquals("java.lang.ArithmeticException", e.remoteClassName());
        assertEquals(5L, it.next());
        assertEquals(2L, it.next());
    }

    /**
     * The argument arrays of ended chunks carry the next call's arguments (PayloadArrays): a call of other values,
     * of other types and in smaller chunks that reuse larger arrays, sends only its own.
     */
    @Test
    void theArgumentArraysOfEndedChunksCarryTheNextCallsOwnArguments() {
        List<Long> xs = longs(20_000);
        assertEquals(xs.stream().map(x -> x * x).toList(), pool.map(x -> x * x, xs, 5000));
        long kept = pool.payloadBytesKept();
        assertTrue(kept >= 4 * 45_000, "the four chunks' arrays are kept: " + kept);

        List<Long> ys = xs.stream().map(x -> -3 * x - 1).toList();
        assertEquals(ys.stream().map(x -> x + 1).toList(), pool.map(x -> x + 1, ys, 3000)); // 27 KB in 45 KB arrays
        List<String> words = xs.subList(0, 9000).stream().map(x -> "w" + x).toList();
        assertEquals(words.stream().map(String::length).toList(), pool.map(String::length, words, 3000));
    }

    @Test
    void valuesOfEveryKindRoundTrip() {
        List<Object> xs = new ArrayList<>(Arrays.asList(1L, 2, 3.5, "héllo", null, true, BigInteger.TEN.pow(40),
                new byte[] {1, 2}, new int[] {3, 4}, new long[] {5}, new double[] {6.5}, List.of(1L, 2L),
                List.of("a", List.of(1, 2.0)), new Point(1, 2), Map.of("k", 1)));
        List<Object> back = pool.map(x -> x, xs, 4);
        assertEquals(xs.size(), back.size());
        for (int i = 0; i < xs.size(); i++) {
            Object x = xs.get(i);
            Object y = back.get(i);
            if (x instanceof byte[] a) {
                assertArrayEquals(a, (byte[]) y);
            } else if (x instanceof int[] a) {
                assertArrayEquals(a, (int[]) y);
            } else if (x instanceof long[] a) {
                assertArrayEquals(a, (long[]) y);
            } else if (x instanceof double[] a) {
                assertArrayEquals(a, (double[]) y);
            } else {
                assertEquals(x, y, "element " + i);
            }
        }
        assertEquals(List.of(3, 7), pool.map(p -> p.x() + p.y(), List.of(new Point(1, 2), new Point(3, 4))));
    }

    @Test
    void capturedValuesTravelWithTheFunction() {
        for (long k = 1; k <= 3; k++) {
            long offset = k;
            assertEquals(List.of(offset, offset + 1), pool.map(x -> x + offset, List.of(0L, 1L)));
        }
    }

    @Test
    void moreFunctionsThanAWorkerCachesStillRunCorrectly() {
        // each captured k makes a new function: more than Worker.FN_CACHE of them evict, and the mirror must agree
        for (int round = 0; round < 2; round++) {
            for (long k = 0; k < Worker.FN_CACHE + 20; k++) {
                long captured = k;
                assertEquals(List.of(captured, captured + 1), pool.map(x -> x + captured, List.of(0L, 1L), 1));
            }
        }
    }

    @Test
    void aChattyWorkerNeverBlocks() {
        long lines = pool.apply(n -> {
            for (int i = 0; i < n; i++) {
                System.err.println("chatter line " + i + " ".repeat(100));
            }
            return (long) n;
        }, 100_000);
        assertEquals(100_000L, lines);
    }

    @Test
    void imapKeepsOrderAndImapUnorderedYieldsEachResultOnce() {
        List<Long> xs = longs(200);
        List<Long> expected = xs.stream().map(ProcessPoolTest::square).toList();
        for (int chunksize : new int[] {1, 7, 200}) {
            List<Long> got = new ArrayList<>();
            pool.imap(ProcessPoolTest::square, xs, chunksize).forEachRemaining(got::add);
            assertEquals(expected, got);
            List<Long> unordered = new ArrayList<>();
            pool.imapUnordered(ProcessPoolTest::square, xs, chunksize).forEachRemaining(unordered::add);
            assertEquals(expected.size(), unordered.size());
            assertEquals(new HashSet<>(expected), new HashSet<>(unordered));
        }
        Iterator<Long> it = pool.imap(ProcessPoolTest::square, List.of(3L));
        assertEquals(9L, it.next());
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    @Test
    void starmapApplyAndApplyAsyncAgreeWithSequential() throws Exception {
        List<Map.Entry<Long, Long>> pairs = LongStream.range(0, 50).mapToObj(i -> Map.entry(i, 2 * i)).toList();
        List<Long> expected = pairs.stream().map(p -> p.getKey() * p.getValue()).toList();
        assertEquals(expected, pool.starmap((Long a, Long b) -> a * b, pairs));
        assertEquals(expected, pool.starmap((Long a, Long b) -> a * b, pairs, 3));
        assertEquals(49L, pool.apply(ProcessPoolTest::square, 7L));
        assertEquals("HI", pool.apply(String::toUpperCase, "hi"));
        List<CompletableFuture<Long>> futures = longs(20).stream()
                .map(x -> pool.applyAsync(ProcessPoolTest::square, x)).toList();
        for (int i = 0; i < futures.size(); i++) {
            assertEquals((long) i * i, futures.get(i).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aThrowingTaskSurfacesItsRemoteTraceAndTheWorkerLivesOn() {
        TaskFailedException e = assertThrows(TaskFailedException.class,
                () -> pool.map(x -> 10 / x, List.of(1, 0, 2, 5), 2));
        assertEquals("java.lang.ArithmeticException", e.remoteClassName());
        assertEquals("/ by zero", e.remoteMessage());
        assertTrue(e.getMessage().contains("task 1"), e.getMessage());
        assertTrue(pids.contains(e.workerPid()));
        StackTraceElement top = e.getCause().getStackTrace()[0];
        assertEquals(ProcessPoolTest.class.getName(), top.getClassName(), "remote trace: " + top);
        assertTrue(e.getCause().toString().startsWith("java.lang.ArithmeticException: / by zero"));

        TaskFailedException single = assertThrows(TaskFailedException.class,
                () -> pool.apply(x -> { throw new IllegalStateException("boom " + x, new RuntimeException("root")); },
                        1));
        assertEquals("boom 1", single.remoteMessage());
        assertEquals("java.lang.RuntimeException: root", single.getCause().getCause().toString());
        ExecutionException async = assertThrows(ExecutionException.class,
                () -> pool.applyAsync(x -> 1 / (int) x, 0).get(30, TimeUnit.SECONDS));
        assertTrue(async.getCause() instanceof TaskFailedException);

        // imap fails only the position that threw, and goes on
        Iterator<Integer> it = pool.imap(x -> 10 / x, List.of(1, 0, 2), 1);
        assertEquals(10, it.next());
        assertThrows(TaskFailedException.class, it::next);
        assertEquals(5, it.next());
    }

    @Test
    void printingToSystemOutCannotCorruptTheProtocol() {
        List<Long> got = pool.map(x -> {
            System.out.println("PBWORKER noise \u0000\u0001\u0002 " + x);
            System.out.print("no newline");
            return x + 1;
        }, longs(100), 10);
        assertEquals(LongStream.range(1, 101).boxed().toList(), got);
    }

    @Test
    void somethingThatCannotBeSentGivesAClearError() {
        IllegalArgumentException arg = assertThrows(IllegalArgumentException.class,
                () -> pool.map(Object::toString, List.of("ok", new NotSerializable())));
        assertTrue(arg.getMessage().contains("argument 1"), arg.getMessage());
        assertTrue(arg.getMessage().contains("NotSerializableException"), arg.getMessage());

        NotSerializable captured = new NotSerializable();
        IllegalArgumentException fn = assertThrows(IllegalArgumentException.class,
                () -> pool.apply(x -> captured.toString() + x, 1));
        assertTrue(fn.getMessage().contains("cannot be sent to a worker"), fn.getMessage());

        TaskFailedException result = assertThrows(TaskFailedException.class,
                () -> pool.apply(x -> new NotSerializable(), 1));
        assertTrue(result.getMessage().contains("NotSerializableException"), result.getMessage());
    }

    @Test
    void classesOutsideTheAllowListAreRejectedWithAHint() {
        TaskFailedException e = assertThrows(TaskFailedException.class,
                () -> pool.apply(x -> java.net.URI.create("http://example.org/" + x), 1));
        assertTrue(e.getMessage().contains("allowClasses(\"java.net.*\")"), e.getMessage());
    }

    @Test
    void theParentRefusesAResultOverTheBuildersLimits() {
        assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().deserializationLimits(0, 1, 1));
        try (ProcessPool strict = ProcessPool.builder().workers(1).deserializationLimits(16, 1_000, 1 << 20).build()) {
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> strict.apply(n -> {
                java.util.Map<Integer, Integer> m = new java.util.HashMap<>();
                for (int i = 0; i < n; i++) {
                    m.put(i, i);
                }
                return m;
            }, 100));
            assertTrue(e.getMessage().contains("over the pool's deserialization limits"), e.getMessage());
            assertEquals(Map.of(1, 1), strict.apply(n -> Map.of(n, n), 1));
        }
    }

    @Test
    void aFiftyMegabyteResultArrives() {
        byte[] big = pool.apply(n -> {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) i;
            }
            return b;
        }, 50 << 20);
        assertEquals(50 << 20, big.length);
        assertEquals((byte) 12345, big[12345]);
        assertEquals((byte) (big.length - 1), big[big.length - 1]);
    }

    @Test
    void eightThreadsSubmittingAtOnceGetTheirOwnResults() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long base = 1000L * t;
                done.add(threads.submit(() -> {
                    List<Long> xs = LongStream.range(base, base + 300).boxed().toList();
                    List<Long> expected = xs.stream().map(x -> x * 3).toList();
                    for (int round = 0; round < 5; round++) {
                        if (!expected.equals(pool.map(x -> x * 3, xs, 1 + round * 7))
                                || pool.apply(x -> x * 3, base) != base * 3) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : done) {
                assertTrue(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Runs in a worker: waits (bounded) for the test to create {@code release}, then returns {@code -x}. */
    static int awaitRelease(int x, String started, String release) {
        try {
            Files.writeString(Path.of(started), "x");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(Path.of(release)) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return Files.exists(Path.of(release)) ? -x : -1;
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void imapStreamsTheFirstResultWhileALaterTaskStillRuns(@TempDir Path dir) throws Exception {
        Path release = dir.resolve("release");
        Path started = dir.resolve("started");
        String releasePath = release.toString();
        String startedPath = started.toString();
        Iterator<Integer> it = pool.imap(x -> x == 3 ? awaitRelease(x, startedPath, releasePath) : x,
                List.of(0, 1, 2, 3), 1);
        assertEquals(0, it.next()); // delivered while task 3 waits for the release file we have not written yet
        assertTrue(!Files.exists(release));
        Files.writeString(release, "go");
        assertEquals(List.of(1, 2, -3), List.of(it.next(), it.next(), it.next()));
    }

    @Test
    void workersRunInOtherProcesses() {
        Set<Long> seen = new HashSet<>(pool.map(PoolTesting::pid, IntStream.range(0, 40).boxed().toList(), 1));
        assertTrue(pids.containsAll(seen), seen + " vs " + pids);
        assertTrue(!seen.contains(ProcessHandle.current().pid()));
        assertEquals(2, pool.workers());
    }
}
