package org.poolbench.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.poolbench.pool.SerializableFunction;

/** The in-process backends; the process backends have their own tests. */
@Timeout(60)
class ThreadBackendsTest {

    static final List<String> THREAD_BACKENDS =
            List.of("sequential", "thread-pool", "fork-join", "virtual-threads", "thread-per-task");

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "thread-pool", "fork-join", "virtual-threads", "thread-per-task"})
    void agreesWithSequentialInOrder(String name) {
        List<Integer> inputs = IntStream.range(0, 1000).boxed().toList();
        SerializableFunction<Integer, String> fn = x -> Integer.toHexString(x * 31);
        List<String> expected = inputs.stream().map(fn).toList();
        try (Backend b = Backends.create(name, 3)) {
            for (int chunksize : new int[] {0, 1, 7, 5000}) {
                assertEquals(expected, b.map(fn, inputs, chunksize), name + " chunksize " + chunksize);
            }
            assertEquals(List.of(), b.map(fn, List.of()));
            assertEquals(name, b.name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "thread-pool", "fork-join", "virtual-threads", "thread-per-task"})
    void aFailingTaskFailsTheMapAndNamesItsIndex(String name) {
        SerializableFunction<Integer, Integer> fn = x -> {
            if (x == 42) {
                throw new ArithmeticException("bad input " + x);
            }
            return x;
        };
        try (Backend b = Backends.create(name, 2)) {
            BackendException e = assertThrows(BackendException.class,
                    () -> b.map(fn, IntStream.range(0, 100).boxed().toList(), 5));
            assertInstanceOf(ArithmeticException.class, e.getCause());
            assertTrue(e.getMessage().contains("task 42"), e.getMessage());
            // the backend still works after a failure
            assertEquals(List.of(1, 2), b.map(fn, List.of(1, 2)));
        }
    }

    @Test
    void sequentialRunsEveryJobOnItsOwnThreadAndCloseEndsIt() throws InterruptedException {
        Thread[] seen = new Thread[1];
        java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (Backend b = Backends.create("sequential", 1)) {
            b.map(x -> {
                names.add(Thread.currentThread().getName());
                seen[0] = Thread.currentThread();
                return x;
            }, IntStream.range(0, 50).boxed().toList());
            b.map(x -> names.add(Thread.currentThread().getName()), List.of(1, 2, 3));
        }
        // as a one-worker pool runs a job: on one thread of the backend's, the caller waiting
        assertEquals(java.util.Set.of(Backends.SEQUENTIAL_THREAD), names);
        seen[0].join(5_000);
        assertTrue(!seen[0].isAlive(), "close ends the sequential backend's thread");
    }

    @Test
    void autoChunksizeFollowsCPython() {
        assertEquals(1, Backend.effectiveChunksize(3, 4, 0));
        assertEquals(63, Backend.effectiveChunksize(1000, 4, 0)); // ceil(1000 / 16)
        assertEquals(125_000, Backend.effectiveChunksize(1_000_000, 2, 0));
        assertEquals(9, Backend.effectiveChunksize(1000, 4, 9));
        assertThrows(IllegalArgumentException.class, () -> Backend.effectiveChunksize(10, 1, -1));
    }

    @Test
    void unknownNamesAndBadWorkerCountsAreRefusedWithTheValidChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.create("green-threads", 2));
        assertTrue(e.getMessage().contains("green-threads") && e.getMessage().contains("thread-pool"),
                e.getMessage());
        for (int w : new int[] {0, -3}) {
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> Backends.create("thread-pool", w));
            assertTrue(bad.getMessage().contains(String.valueOf(w)), bad.getMessage());
        }
    }

    @Test
    void namesListEveryThreadBackend() {
        assertTrue(Backends.names().containsAll(THREAD_BACKENDS), Backends.names().toString());
    }
}
