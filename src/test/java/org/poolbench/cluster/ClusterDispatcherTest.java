package org.poolbench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dispatcher over two embedded members in this JVM (started once for the class) and a client: results in input
 * order at any chunk size, packed or not; each failure {@link ClusterDispatcher#map} names; the members used; a
 * member that dies in the middle of a map; and a client passed in outliving the dispatcher.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterDispatcherTest {

    private static final String NAME = "poolbench-dispatch-test-" + ProcessHandle.current().pid();
    private static final List<HazelcastInstance> MEMBERS = new ArrayList<>();
    private static HostPort first;
    private static HazelcastInstance client;

    /** Runs of each input of {@link #slowSquare}: the embedded members share this JVM's statics. */
    private static final AtomicIntegerArray RUNS = new AtomicIntegerArray(64);

    @BeforeAll
    static void startMembers() {
        ClusterConfigs.quietLogging();
        // the killed member's and the refused class's warnings are expected here
        java.util.logging.Logger.getLogger("com.hazelcast").setLevel(java.util.logging.Level.SEVERE);
        first = HostPort.loopback(LocalCluster.freePort());
        MEMBERS.add(Hazelcast.newHazelcastInstance(ClusterConfigs.member(NAME, first, List.of(first), 2)));
        MEMBERS.add(startMember());
        client = HazelcastClient.newHazelcastClient(ClusterConfigs.client(NAME, List.of(first), 10_000));
    }

    private static HazelcastInstance startMember() {
        HostPort self = HostPort.loopback(LocalCluster.freePort());
        return Hazelcast.newHazelcastInstance(ClusterConfigs.member(NAME, self, List.of(first, self), 2));
    }

    @AfterAll
    static void stopMembers() {
        if (client != null) {
            client.shutdown();
        }
        MEMBERS.forEach(m -> m.getLifecycleService().terminate());
    }

    @Test
    void mapsInInputOrderAtAnyChunkSize() {
        ClusterDispatcher dispatcher = ClusterDispatcher.over(client, 0);
        assertEquals(2, dispatcher.members());
        assertEquals(4, dispatcher.threads(), "two members of two executor threads each");
        List<Long> longs = LongStream.range(0, 50).boxed().toList();
        List<Long> squares = longs.stream().map(x -> x * x).toList();
        List<Long> withNull = Arrays.asList(1L, null, 3L);
        for (int chunkSize : new int[] {1, 3, 7, 50, 51}) {
            assertEquals(squares, dispatcher.map((Long x) -> x * x, longs, chunkSize));
            assertEquals(longs.stream().map(x -> "#" + x).toList(), dispatcher.map(x -> "#" + x, longs, chunkSize));
            assertEquals(Arrays.asList(1L, null, 9L),
                    dispatcher.map((Long x) -> x == null ? null : x * x, withNull, chunkSize));
        }
        assertEquals(List.of(), dispatcher.map((Long x) -> x, List.<Long>of(), 1));
        assertThrows(IllegalArgumentException.class, () -> dispatcher.map((Long x) -> x, longs, 0));
    }

    /** Lists of {@code Long}s travel packed, any other list as itself: both arrive equal. */
    @Test
    void resultsSurviveJavaSerializationPackedOrNot() throws Exception {
        for (List<Object> values : List.<List<Object>>of(List.of(), List.of(1L, -2L, Long.MAX_VALUE),
                Arrays.asList(1L, null), List.of("a", 1L), List.of(1, 2))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(new ClusterDispatcher.Results<>(values));
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertEquals(values, ((ClusterDispatcher.Results<?>) in.readObject()).values());
            }
        }
    }

    @Test
    void aTaskThatThrowsFailsTheMapNamingItsIndexAndInput() {
        ClusterDispatcher dispatcher = ClusterDispatcher.over(client, 0);
        DispatchException e = assertThrows(DispatchException.class,
                () -> dispatcher.map((Long x) -> 10 / x, List.of(1L, 2L, 0L, 4L), 1));
        assertTrue(e.getMessage().startsWith("task 2 (input 0) failed: java.lang.ArithmeticException"),
                e.getMessage());
        assertInstanceOf(ArithmeticException.class, e.getCause());
    }

    /** A value of a class outside the members' allow-list never reaches the task. */
    @Test
    void aChunkTheMembersRefuseFailsTheMap() {
        ClusterDispatcher dispatcher = ClusterDispatcher.over(client, 0);
        List<PriorityQueue<Integer>> inputs = List.of(new PriorityQueue<>(List.of(1)));
        DispatchException e = assertThrows(DispatchException.class,
                () -> dispatcher.map(PriorityQueue::size, inputs, 1));
        assertTrue(e.getMessage().startsWith("a task failed: "), e.getMessage());
        StringBuilder chain = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            chain.append(c).append(" <- ");
        }
        assertTrue(chain.toString().contains("java.util.PriorityQueue"), chain.toString());
    }

    @Test
    void anInterruptedCallerStopsWaiting() {
        ClusterDispatcher dispatcher = ClusterDispatcher.over(client, 0);
        Thread.currentThread().interrupt();
        try {
            DispatchException e = assertThrows(DispatchException.class,
                    () -> dispatcher.map(ClusterDispatcherTest::sleepy, List.of(1, 2), 1));
            assertEquals("interrupted while waiting for results", e.getMessage());
            assertInstanceOf(InterruptedException.class, e.getCause());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
        } finally {
            Thread.interrupted();
        }
    }

    static int sleepy(int x) {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return x;
    }

    @Test
    void usesOnlyTheMembersAskedFor() throws Exception {
        ClusterDispatcher one = ClusterDispatcher.over(client, 1);
        assertEquals(1, one.members());
        assertEquals(2, one.threads());
        assertEquals(List.of(1L, 4L, 9L), one.map((Long x) -> x * x, List.of(1L, 2L, 3L), 1));
        assertEquals(42, one.call((Callable<Integer> & Serializable) () -> 42));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterDispatcher.over(client, 5));
        assertTrue(e.getMessage().contains("asked for 5 cluster members but the cluster has 2"), e.getMessage());
    }

    @Test
    void closeLeavesAClientPassedInConnected() {
        ClusterDispatcher dispatcher = ClusterDispatcher.over(client, 0);
        assertEquals(null, dispatcher.localCluster());
        dispatcher.close();
        assertTrue(client.getLifecycleService().isRunning());
        assertEquals(List.of(4L), ClusterDispatcher.over(client, 0).map((Long x) -> x * x, List.of(2L), 1));
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
            ClusterDispatcher dispatcher = ClusterDispatcher.over(client, 0);
            assertEquals(3, dispatcher.members());
            int n = 48;
            List<Integer> inputs = IntStream.range(0, n).boxed().toList();
            AtomicBoolean mapDone = new AtomicBoolean();
            AtomicBoolean killedDuringMap = new AtomicBoolean();
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
            List<Integer> out = dispatcher.map(ClusterDispatcherTest::slowSquare, inputs, 2);
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
