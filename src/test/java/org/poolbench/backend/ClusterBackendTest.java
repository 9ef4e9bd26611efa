package org.poolbench.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.poolbench.cluster.ClusterConfigs;
import org.poolbench.cluster.HostPort;
import org.poolbench.workload.DownloadServer;
import org.poolbench.workload.Workload;
import org.poolbench.workload.Workloads;

/**
 * The cluster backend over two embedded members in this JVM (started once for the class) and a client: every
 * workload's answer, task failures, and a member that dies in the middle of a map.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterBackendTest {

    private static final String NAME = "poolbench-test-" + ProcessHandle.current().pid();
    private static final List<HazelcastInstance> MEMBERS = new ArrayList<>();
    private static HostPort first;
    private static HazelcastInstance client;

    /** Runs of each input of {@link #slowSquare}: the embedded members share this JVM's statics. */
    private static final AtomicIntegerArray RUNS = new AtomicIntegerArray(64);

    @BeforeAll
    static void startMembers() {
        ClusterConfigs.quietLogging();
        // the killed member's warnings are expected here
        java.util.logging.Logger.getLogger("com.hazelcast").setLevel(java.util.logging.Level.SEVERE);
        first = HostPort.loopback(freePort());
        MEMBERS.add(Hazelcast.newHazelcastInstance(ClusterConfigs.member(NAME, first, List.of(first), 2)));
        MEMBERS.add(startMember());
        client = com.hazelcast.client.HazelcastClient.newHazelcastClient(
                ClusterConfigs.client(NAME, List.of(first), 10_000));
    }

    private static HazelcastInstance startMember() {
        HostPort self = HostPort.loopback(freePort());
        return Hazelcast.newHazelcastInstance(ClusterConfigs.member(NAME, self, List.of(first, self), 2));
    }

    @AfterAll
    static void stopMembers() {
        if (client != null) {
            client.shutdown();
        }
        MEMBERS.forEach(m -> m.getLifecycleService().terminate());
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"factorial", "squares", "download"})
    void twoMembersRunEachWorkloadCorrectly(String name) {
        int tasks = switch (name) {
            case "factorial" -> 6;
            case "squares" -> 5_000;
            default -> 8;
        };
        try (DownloadServer server = Workloads.serverFor(name, 0, 1024)) {
            Workload<Object, Object> job = Workloads.create(name, tasks, server);
            ClusterBackend backend = ClusterBackend.over(client, 0);
            assertEquals(2, backend.members());
            assertEquals(4, backend.workers(), "two members of two executor threads each");
            for (int chunksize : new int[] {Backend.AUTO_CHUNKSIZE, 1, 7}) {
                if (name.equals("squares") && chunksize == 1) {
                    continue; // 5000 round trips prove nothing chunk size 7 does not
                }
                job.verify(backend.map(job.task(), job.inputs(), chunksize));
            }
            assertEquals(List.of(), backend.map(job.task(), List.of()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTaskThatThrowsFailsTheMapNamingItsIndex() {
        ClusterBackend backend = ClusterBackend.over(client, 0);
        BackendException e = assertThrows(BackendException.class,
                () -> backend.map(x -> 10 / x, List.of(1L, 2L, 0L, 4L), 1));
        assertTrue(e.getMessage().startsWith("cluster: task 2 (input 0) failed"), e.getMessage());
        assertInstanceOf(ArithmeticException.class, e.getCause());
    }

    @Test
    void usesOnlyTheMembersAskedFor() {
        ClusterBackend one = ClusterBackend.over(client, 1);
        assertEquals(1, one.members());
        assertEquals(2, one.workers());
        assertEquals(List.of(1L, 4L, 9L), one.map((Long x) -> x * x, List.of(1L, 2L, 3L), 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterBackend.over(client, 5));
        assertTrue(e.getMessage().contains("asked for 5 cluster members but the cluster has 2"), e.getMessage());
    }

    /** The thread-name prefix of the member that {@link #aMemberThatDiesMidMapReRunsOnlyItsChunks} kills. */
    private static volatile String doomedThreads;
    /** Counted down when a task starts on one of {@link #doomedThreads}: the member holds work. */
    private static final CountDownLatch DOOMED_BUSY = new CountDownLatch(1);

    static int slowSquare(int x) {
        RUNS.incrementAndGet(x);
        String doomed = doomedThreads;
        if (doomed != null && Thread.currentThread().getName().startsWith(doomed)) {
            DOOMED_BUSY.countDown();
        }
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return x * x;
    }

    /** A third member dies while it holds chunks: only those chunks run again, elsewhere, and the answer is right. */
    @Test
    void aMemberThatDiesMidMapReRunsOnlyItsChunks() throws Exception {
        HazelcastInstance doomed = startMember();
        try {
            ClusterBackend backend = ClusterBackend.over(client, 0);
            assertEquals(3, backend.members());
            int n = 48;
            List<Integer> inputs = IntStream.range(0, n).boxed().toList();
            java.util.concurrent.atomic.AtomicBoolean mapDone = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicBoolean killedDuringMap = new java.util.concurrent.atomic.AtomicBoolean();
            doomedThreads = "hz." + doomed.getName() + ".";
            Thread killer = Thread.ofPlatform().start(() -> {
                boolean busy;
                try {
                    busy = DOOMED_BUSY.await(30, TimeUnit.SECONDS); // the member has begun a chunk
                } catch (InterruptedException e) {
                    return;
                }
                killedDuringMap.set(busy && !mapDone.get());
                doomed.getLifecycleService().terminate();
            });
            List<Integer> out = backend.map(ClusterBackendTest::slowSquare, inputs, 2);
            mapDone.set(true);
            killer.join();
            assertTrue(killedDuringMap.get(), "the third member was not killed while it ran a chunk of the map");
            assertEquals(inputs.stream().map(x -> x * x).toList(), out);
            int extra = 0;
            for (int i = 0; i < n; i++) {
                assertTrue(RUNS.get(i) >= 1, "input " + i + " never ran");
                extra += RUNS.get(i) - 1;
            }
            // the dead member held at most 2 chunks (its 2 executor threads) of 2 tasks each
            assertTrue(extra <= 4, extra + " tasks ran twice; only the dead member's 4 at most may");
        } finally {
            doomedThreads = null;
            doomed.getLifecycleService().terminate();
        }
    }
}
