package org.poolbench.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * workload's answer at every chunk size, a task's failure as a {@link BackendException}, and the members used. How
 * chunks are dispatched, and a member that dies mid-map: {@code cluster.ClusterDispatcherTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterBackendTest {

    private static final String NAME = "poolbench-test-" + ProcessHandle.current().pid();
    private static final List<HazelcastInstance> MEMBERS = new ArrayList<>();
    private static HostPort first;
    private static HazelcastInstance client;

    @BeforeAll
    static void startMembers() {
        ClusterConfigs.quietLogging();
        // only errors in the test output: a failing task is part of the tests
        java.util.logging.Logger.getLogger("com.hazelcast").setLevel(java.util.logging.Level.SEVERE);
        first = HostPort.loopback(freePort());
        MEMBERS.add(Hazelcast.newHazelcastInstance(ClusterConfigs.member(NAME, first, List.of(first), 2)));
        HostPort second = HostPort.loopback(freePort());
        MEMBERS.add(Hazelcast.newHazelcastInstance(ClusterConfigs.member(NAME, second, List.of(first, second), 2)));
        client = com.hazelcast.client.HazelcastClient.newHazelcastClient(
                ClusterConfigs.client(NAME, List.of(first), 10_000));
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
            assertEquals(2, backend.dispatcher().members());
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
        assertEquals(1, one.dispatcher().members());
        assertEquals(2, one.workers());
        assertEquals(List.of(1L, 4L, 9L), one.map((Long x) -> x * x, List.of(1L, 2L, 3L), 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterBackend.over(client, 5));
        assertTrue(e.getMessage().contains("asked for 5 cluster members but the cluster has 2"), e.getMessage());
    }
}
