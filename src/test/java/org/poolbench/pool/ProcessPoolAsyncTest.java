package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** mapAsync and starmapAsync: CPython's map_async, with CompletableFuture stages as callback and error_callback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolAsyncTest {
    private static ProcessPool pool;

    @BeforeAll
    static void start() {
        pool = ProcessPool.builder().workers(2).build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        pool.close();
        PoolTesting.assertNoWorkersLeft();
    }

    @Test
    void mapAsyncCompletesWithTheResultsInOrder() throws Exception {
        List<Integer> xs = IntStream.range(0, 1000).boxed().toList();
        CompletableFuture<List<Integer>> f = pool.mapAsync(x -> x * 2, xs, 7);
        assertEquals(xs.stream().map(x -> x * 2).toList(), f.get(30, TimeUnit.SECONDS));
        assertEquals(List.of(), pool.mapAsync(x -> x, List.<Integer>of()).get(1, TimeUnit.SECONDS));
    }

    @Test
    void mapAsyncFailsWithWhatMapWouldThrowAndExceptionallyIsTheErrorCallback() throws Exception {
        AtomicReference<Throwable> errorCallback = new AtomicReference<>();
        CompletableFuture<List<Integer>> f = pool.mapAsync(x -> 10 / (x - 3), List.of(1, 2, 3, 4), 1);
        CompletableFuture<List<Integer>> handled = f.exceptionally(e -> {
            errorCallback.set(e);
            return List.of();
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        TaskFailedException failed = assertInstanceOf(TaskFailedException.class, e.getCause());
        assertTrue(failed.getMessage().contains("task 2"), failed.getMessage());
        assertEquals(List.of(), handled.get(30, TimeUnit.SECONDS));
        assertInstanceOf(TaskFailedException.class, errorCallback.get());
    }

    @Test
    void starmapAsyncAppliesToEachPair() throws Exception {
        CompletableFuture<List<Long>> f = pool.starmapAsync((Long a, Long b) -> a * b,
                List.of(Map.entry(2L, 3L), Map.entry(4L, 5L), Map.entry(6L, 7L)));
        assertEquals(List.of(6L, 20L, 42L), f.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aDependentActionMaySubmitMoreWorkWithoutWaitingOnThePoolThread() throws Exception {
        CompletableFuture<List<Integer>> chained = pool.mapAsync(x -> x + 1, List.of(1, 2, 3))
                .thenCompose(ys -> pool.mapAsync(y -> y * 10, ys));
        assertEquals(List.of(20, 30, 40), chained.get(30, TimeUnit.SECONDS));
    }
}
