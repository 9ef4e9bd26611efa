package org.poolbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SyncBenchmark's plainSeen probe, one round each, outside JMH: the parent sees its threads' adds to a plain static
 * field and none of its worker processes', while both see every add to the counter they were told to share.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharesNothingTest {

    @Test
    void threadsShareThePlainFieldProcessesDoNot() throws Exception {
        SyncBenchmark bench = new SyncBenchmark();
        SyncBenchmark.Threads threads = new SyncBenchmark.Threads();
        threads.workers = 2;
        threads.increments = 10_000;
        threads.primitive = "atomic-long";
        threads.setUp();
        SyncBenchmark.Lost seenByThreads = new SyncBenchmark.Lost();
        try {
            assertEquals(20_000, bench.threads(threads, new SyncBenchmark.PerIncrement(), seenByThreads));
        } finally {
            threads.tearDown();
        }
        assertEquals(20_000, seenByThreads.updates);
        assertEquals(20_000, seenByThreads.plainSeen, "the parent did not see its threads' plain adds");

        SyncBenchmark.Processes processes = new SyncBenchmark.Processes();
        processes.workers = 2;
        processes.increments = 10_000;
        processes.primitive = "shm-atomic";
        processes.setUp();
        SyncBenchmark.Lost seenByParent = new SyncBenchmark.Lost();
        try {
            assertEquals(20_000, bench.processes(processes, new SyncBenchmark.PerIncrement(), seenByParent),
                    "the shared counter missed adds");
        } finally {
            processes.tearDown();
        }
        assertEquals(20_000, seenByParent.updates);
        assertEquals(0, seenByParent.lostUpdates);
        assertEquals(0, seenByParent.plainSeen, "the parent saw its worker processes' plain adds");
    }
}
