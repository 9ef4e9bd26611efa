package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Builder.initializer: CPython's Pool(initializer=, initargs=). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessPoolInitializerTest {

    @AfterEach
    void noWorkerLeft() throws InterruptedException {
        PoolTesting.assertNoWorkersLeft();
    }

    @Test
    void theInitializerRunsInEveryWorkerBeforeAnyTaskAlsoInRecycledOnes() {
        try (ProcessPool pool = ProcessPool.builder().workers(2).maxTasksPerChild(2)
                .initializer(PoolTesting::initialize, "ready").build()) {
            List<String> seen = pool.map(x -> PoolTesting.initialized + x, List.of(1, 2, 3, 4, 5, 6, 7, 8), 1);
            assertEquals(List.of("ready1", "ready2", "ready3", "ready4", "ready5", "ready6", "ready7", "ready8"), seen);
        }
        assertEquals(null, PoolTesting.initialized, "it ran in the workers, not here");
    }

    @Test
    void aFailingInitializerFailsTheBuildWithItsStackTrace() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProcessPool.builder().workers(2)
                .initializer(PoolTesting::initialize, "fail now").build());
        assertTrue(e.getCause() instanceof WorkerDiedException, String.valueOf(e.getCause()));
        String tail = String.join("\n", ((WorkerDiedException) e.getCause()).stderrTail());
        assertTrue(tail.contains("initializer refuses 'fail now'"), tail);
    }

    @Test
    void anArgumentThatCannotBeSentIsRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class,
                () -> ProcessPool.builder().initializer(x -> x, new Object()));
        assertEquals(Set.of(), PoolTesting.liveWorkers());
    }
}
