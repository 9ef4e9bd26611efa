package org.poolbench.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.poolbench.bench.Contenders;
import org.poolbench.bench.Contenders.Update;
import org.poolbench.bench.IpcEcho;
import org.poolbench.jvm.JavaBinary;
import org.poolbench.pool.PoolTesting;
import org.poolbench.pool.ProcessPool;

/** The ipc package's contracts: the race and its cures, in threads and processes; transports; cleanup after kills. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IpcTest {

    private static final int N = 1_000_000;

    /** Descendants alive when the class began: an earlier class's, not this class's to answer for. */
    private static Set<Long> before = Set.of();

    @BeforeAll
    static void noteEarlierChildren() {
        before = earlierChildren();
    }

    @AfterAll
    static void nothingLeft() throws InterruptedException {
        nothingLeft(before);
    }

    /** The running descendants of this JVM now. */
    static Set<Long> earlierChildren() {
        return ProcessHandle.current().descendants().filter(p -> PoolTesting.running(p.pid()))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /**
     * Asserts that no descendant this class started is still running, waiting up to 10 s for exits under way. Those
     * in {@code earlier} were running before the class began (test classes share one JVM, in an order that differs
     * between checkouts): they are reported on stderr, not failed on.
     */
    static void nothingLeft(Set<Long> earlier) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!left(earlier).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<String> older = ProcessHandle.current().descendants().filter(p -> earlier.contains(p.pid()))
                .filter(p -> PoolTesting.running(p.pid())).map(IpcTest::describe).toList();
        if (!older.isEmpty()) {
            System.err.println("child processes started before this test class still run: " + older);
        }
        List<String> left = left(earlier);
        if (!left.isEmpty()) { // who is starting processes now: a late launch from another class shows up here
            Thread.getAllStackTraces().forEach((t, stack) -> {
                if (Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("java.lang.Process"))) {
                    System.err.println("thread " + t.getName() + " in a process call: " + Arrays.toString(stack));
                }
            });
        }
        assertEquals(List.of(), left, "child processes left");
    }

    private static List<String> left(Set<Long> earlier) {
        return ProcessHandle.current().descendants().filter(p -> !earlier.contains(p.pid()))
                .filter(p -> PoolTesting.running(p.pid())).map(IpcTest::describe).toList();
    }

    /** pid, parent, state and command line, read from /proc where ProcessHandle gives none (long command lines). */
    private static String describe(ProcessHandle p) {
        String stat;
        String cmd;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            stat = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 3)[0] + " ppid "
                    + stat.substring(stat.lastIndexOf(')') + 2).split(" ", 3)[1];
            cmd = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"))).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            stat = "?";
            cmd = p.info().commandLine().orElse("?");
        }
        String age = p.info().startInstant().map(t -> Duration.between(t, Instant.now()).toMillis() + " ms old")
                .orElse("age ?");
        return p.pid() + " (" + stat + ", " + age + ") " + (cmd.length() > 300 ? cmd.substring(0, 300) + "..." : cmd);
    }

    /** k threads each add N to the counter of {@code a}; returns the final count. */
    private static long threads(SharedLongArray a, Update update, int k) throws Exception {
        a.set(Contenders.COUNTER, 0);
        a.set(Contenders.GATE, 0);
        ExecutorService ex = Executors.newFixedThreadPool(k);
        try {
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                fs.add(ex.submit(() -> Contenders.run(a, update, N, k)));
            }
            for (Future<Long> f : fs) {
                assertEquals(N, f.get());
            }
        } finally {
            ex.shutdownNow();
        }
        return a.get(Contenders.COUNTER);
    }

    /** One-worker pools each add N to the counter of {@code a}; returns the final count. */
    private static long processes(List<ProcessPool> pools, SharedLongArray a, Update update) throws Exception {
        a.set(Contenders.COUNTER, 0);
        a.set(Contenders.GATE, 0);
        String spec = Contenders.spec(a.name(), update, N, pools.size());
        List<java.util.concurrent.CompletableFuture<Long>> done = pools.stream()
                .map(p -> p.applyAsync(Contenders::contend, spec)).toList();
        for (var d : done) {
            assertEquals(N, d.get(60, TimeUnit.SECONDS));
        }
        return a.get(Contenders.COUNTER);
    }

    /** Races a few times: a race can, rarely, lose nothing; three tries in a row that lose nothing is a failure. */
    private static long lostInSomeRound(java.util.concurrent.Callable<Long> round, long expected) throws Exception {
        long count = expected;
        for (int i = 0; i < 3 && count == expected; i++) {
            count = round.call();
        }
        return expected - count;
    }

    @Test
    void threadsLoseUpdatesWithoutALockAndNoneWithOne() throws Exception {
        try (SharedLongArray a = SharedLongArray.create(2)) {
            long lost = lostInSomeRound(() -> threads(a, Update.RACY, 2), 2L * N);
            assertTrue(lost > 0, "two racing threads lost no update in three rounds");
            assertEquals(2L * N, threads(a, Update.ATOMIC, 2));
            assertEquals(2L * N, threads(a, Update.LOCKED, 2));
            assertEquals(0, a.getLock().holder(), "lock left taken");
        }
    }

    @Test
    void processesLoseUpdatesWithoutALockAndNoneWithOne() throws Exception {
        try (SharedLongArray a = SharedLongArray.create(2);
             ProcessPool one = ProcessPool.builder().workers(1).build();
             ProcessPool two = ProcessPool.builder().workers(1).build()) {
            List<ProcessPool> pools = List.of(one, two);
            long lost = lostInSomeRound(() -> processes(pools, a, Update.RACY), 2L * N);
            assertTrue(lost > 0, "two racing processes lost no update in three rounds");
            assertEquals(2L * N, processes(pools, a, Update.ATOMIC));
            assertEquals(2L * N, processes(pools, a, Update.LOCKED));
        }
    }

    @Test
    void valueAndArraySeenAcrossProcessesAndDeletedByOwner() throws Exception {
        Path file;
        try (SharedLong v = SharedLong.create(100);
             SharedLongArray squares = SharedLongArray.create(4);
             ProcessPool pool = ProcessPool.builder().workers(1).build()) {
            file = Segment.pathOf(squares.name(), "");
            assertTrue(Files.exists(file));
            String names = v.name() + "," + squares.name();
            long sum = pool.apply(IpcTest::squaresInto, names);
            assertEquals(30, sum);
            assertArrayEquals(new long[] {1, 4, 9, 16}, squares.toArray());
            assertEquals(130, v.get());
            assertThrows(UncheckedIOException.class, () -> SharedLong.create(v.name(), 0));
        }
        assertFalse(Files.exists(file), "segment file left after its owner closed it");
        assertThrows(UncheckedIOException.class, () -> SharedLongArray.open("no-such-segment-here"));
        assertThrows(IllegalArgumentException.class, () -> SharedLongArray.create("bad/name", 1));
    }

    /** In a worker: writes the squares of 1..4 into the array, adds their sum to the value. */
    static long squaresInto(String names) {
        String[] n = names.split(",");
        try (SharedLong v = SharedLong.open(n[0]); SharedLongArray a = SharedLongArray.open(n[1])) {
            long sum = 0;
            for (int i = 0; i < a.length(); i++) {
                a.set(i, (long) (i + 1) * (i + 1));
                sum += a.get(i);
            }
            v.getAndAdd(sum);
            return sum;
        }
    }

    @Test
    void socketPipeRoundTripsEverySizeBothWays() throws Exception {
        try (Listener listener = Listener.open()) {
            Process echo = javaMain(List.of(), IpcEcho.class, "socket", listener.address());
            try (Connection c = listener.accept()) {
                listener.close();
                assertFalse(Files.exists(Path.of(listener.address())), "socket file left after close");
                roundTrips(c, echo);
            } finally {
                assertTrue(echo.waitFor(20, TimeUnit.SECONDS), "echo did not exit at EOF");
            }
        }
    }

    @Test
    void jdkPipeRoundTripsEverySize() throws Exception {
        Process echo = javaMain(List.of(), IpcEcho.class, "pipe");
        try (Connection c = Connection.toChild(echo)) {
            roundTrips(c, echo);
        } finally {
            assertTrue(echo.waitFor(20, TimeUnit.SECONDS), "echo did not exit at EOF");
        }
    }

    private static void roundTrips(Connection c, Process echo) throws IOException {
        assertEquals(0, c.recv().length, "no ready message from pid " + echo.pid());
        Random random = new Random(42);
        for (int size : new int[] {1, 8, 1000, 65_536, 65_537, 1 << 20}) {
            byte[] m = new byte[size];
            random.nextBytes(m);
            m[0] = 1; // echo it
            c.send(m);
            assertArrayEquals(m, c.recv(), "size " + size);
        }
        // a stream: messages not starting with 1 are counted, an empty one asks for the count
        for (int i = 0; i < 10; i++) {
            c.send(new byte[1000]);
        }
        c.send(new byte[0]);
        assertEquals(10_000, java.nio.ByteBuffer.wrap(c.recv()).getLong());
    }

    @Test
    void ringRoundTripsAndManyProducersReachOneConsumer() throws Exception {
        try (SharedQueue toEcho = SharedQueue.create(1 << 23); SharedQueue back = SharedQueue.create(1 << 23)) {
            Process echo = javaMain(SharedQueue.JVM_ARGS, IpcEcho.class, "ring", toEcho.name(), back.name());
            try {
                assertEquals(0, back.poll(20, TimeUnit.SECONDS).length, "echo not ready");
                Random random = new Random(7);
                for (int size : new int[] {1, 8, 1000, 65_536, 1 << 20}) {
                    byte[] m = new byte[size];
                    random.nextBytes(m);
                    m[0] = 1;
                    toEcho.put(m);
                    assertArrayEquals(m, back.poll(20, TimeUnit.SECONDS), "size " + size);
                }
                toEcho.put(new byte[300]);
                toEcho.put(new byte[0]);
                assertEquals(300, java.nio.ByteBuffer.wrap(back.poll(20, TimeUnit.SECONDS)).getLong());
            } finally {
                echo.destroy();
                assertTrue(echo.waitFor(20, TimeUnit.SECONDS), "ring echo did not stop");
            }
        }
        int producers = 3;
        int each = 2000;
        try (SharedQueue q = SharedQueue.create(1 << 16);
             ProcessPool pool = ProcessPool.builder().workers(producers).jvmArgs(SharedQueue.JVM_ARGS).build()) {
            List<String> tasks = IntStream.range(0, producers).mapToObj(p -> q.name() + "/" + p + "/" + each).toList();
            List<java.util.concurrent.CompletableFuture<Long>> running = tasks.stream()
                    .map(t -> pool.applyAsync(IpcTest::produce, t)).toList();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < producers * each; i++) {
                got.add(new String(q.poll(30, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            }
            for (var r : running) {
                assertEquals(each, r.get(30, TimeUnit.SECONDS));
            }
            assertEquals(null, q.poll());
            for (int p = 0; p < producers; p++) { // each producer's messages arrive complete and in its order
                int producer = p;
                List<String> mine = got.stream().filter(s -> s.startsWith(producer + ":")).toList();
                assertEquals(IntStream.range(0, each).mapToObj(i -> producer + ":" + i).toList(), mine);
            }
        }
    }

    /** In a worker: puts {@code each} messages {@code p:i} into the queue. */
    static long produce(String task) {
        String[] f = task.split("/");
        try (SharedQueue q = SharedQueue.open(f[0])) {
            int each = Integer.parseInt(f[2]);
            for (int i = 0; i < each; i++) {
                q.put((f[1] + ":" + i).getBytes(StandardCharsets.UTF_8));
            }
            return each;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void managerServesListsAndMapsToWorkersAndEndsWithItsOwner() throws Exception {
        long serverPid;
        String address;
        try (Manager m = Manager.start(); ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            serverPid = m.serverPid();
            address = m.address();
            Manager.ListProxy records = m.list("records");
            records.appendString("Sam,10");
            records.appendString("Adam,9");
            List<Integer> sizes = pool.map(IpcTest::appendRecord,
                    List.of(address + "|Kevin,9", address + "|Jeff,8"), 1);
            assertEquals(2, sizes.size());
            assertEquals(4, records.size());
            assertEquals(List.of("Sam,10", "Adam,9"), records.toStrings().subList(0, 2));
            assertTrue(records.toStrings().containsAll(List.of("Kevin,9", "Jeff,8")));
            assertEquals("Jeff,8".length() + 0, records.toStrings().stream().filter(s -> s.startsWith("Jeff"))
                    .findFirst().orElseThrow().length());
            assertThrows(IndexOutOfBoundsException.class, () -> records.get(99));
            Manager.DictProxy d = m.dict("scores");
            assertFalse(d.put("Sam", new byte[] {10}));
            assertTrue(d.put("Sam", new byte[] {11}));
            assertArrayEquals(new byte[] {11}, d.get("Sam"));
            assertEquals(null, d.get("nobody"));
            assertEquals(1, d.size());
            // a burst of concurrent appends from both workers: the server loses none
            List<Integer> burst = pool.map(IpcTest::appendMany, List.of(address, address), 1);
            assertEquals(List.of(500, 500), burst);
            assertEquals(4 + 1000, records.size());
        }
        assertTrue(awaitGone(serverPid), "manager server " + serverPid + " outlived close()");
        assertFalse(Files.exists(Path.of(address)), "manager socket file left");
    }

    static int appendRecord(String task) {
        String[] f = task.split("\\|");
        try (Manager m = Manager.connect(f[0])) {
            return m.list("records").appendString(f[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int appendMany(String address) {
        try (Manager m = Manager.connect(address)) {
            Manager.ListProxy l = m.list("records");
            for (int i = 0; i < 500; i++) {
                l.appendString("x" + i);
            }
            return 500;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void killedOwnersLeaveNothingBehind() throws Exception {
        // a worker owns a segment, a lock it holds, and a socket, then is killed
        try (ProcessPool pool = ProcessPool.builder().workers(1).build()) {
            long pid = pool.workerPids().get(0);
            String made = pool.apply(IpcTest::ownThingsAndHoldTheLock, "x");
            String[] names = made.split("\\|");
            Path segment = Segment.pathOf(names[0], "");
            Path socket = Path.of(names[1]);
            assertTrue(Files.exists(segment) && Files.exists(socket));
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            assertTrue(awaitGone(pid), "worker " + pid + " did not die");
            try (SharedLock lock = SharedLock.open(names[0])) {
                assertEquals(pid, lock.holder());
                assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "a dead holder's lock was not taken over");
                assertEquals(ProcessHandle.current().pid(), lock.holder());
                lock.unlock();
            }
            Segment.sweepStale(); // (another JVM's create may have swept them already: only the outcome counts)
            assertFalse(Files.exists(segment), "segment of a killed owner left");
            assertFalse(Files.exists(socket), "socket of a killed owner left");
        }
        // the owner of a manager is killed: the server exits and takes its socket file along
        Process owner = javaMain(List.of(), ManagerOwner.class);
        String[] line = new java.io.BufferedReader(new java.io.InputStreamReader(owner.getInputStream(),
                StandardCharsets.UTF_8)).readLine().trim().split(" ");
        long serverPid = Long.parseLong(line[0]);
        assertTrue(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false));
        owner.destroyForcibly().waitFor();
        assertTrue(awaitGone(serverPid), "manager server " + serverPid + " outlived its killed owner");
        assertFalse(Files.exists(Path.of(line[1])), "manager socket left after its owner was killed");
    }

    /** In a worker: creates a lock segment (taking the lock) and a listener it never closes. */
    static String ownThingsAndHoldTheLock(String ignored) {
        SharedLock lock = SharedLock.create();
        lock.lock();
        try {
            Listener l = Listener.open();
            return lock.name() + "|" + l.address();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void lockExcludesThreadsAcrossAttachments() throws Exception {
        try (SharedLock lock = SharedLock.create(); SharedLock same = SharedLock.open(lock.name())) {
            assertTrue(lock.tryLock());
            assertFalse(same.tryLock());
            assertFalse(same.tryLock(20, TimeUnit.MILLISECONDS));
            lock.unlock();
            assertTrue(same.tryLock());
            same.unlock();
            assertEquals(0, lock.holder());
        }
    }

    @Test
    void closedConnectionGivesEof() throws Exception {
        try (Listener l = Listener.open(); Connection a = Connection.connect(l.address()); Connection b = l.accept()) {
            a.send("hi".getBytes(StandardCharsets.UTF_8));
            a.close();
            assertEquals("hi", new String(b.recv(), StandardCharsets.UTF_8));
            assertThrows(EOFException.class, b::recv);
        }
    }

    static boolean awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!running(pid)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static boolean running(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try { // a zombie (exited, not yet collected) is gone
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts {@code main} of a class in a JVM like this one (same java, class path). */
    static Process javaMain(List<String> jvmArgs, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(JavaBinary.command());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void segmentsRefuseWrongSizes() {
        assertThrows(IllegalArgumentException.class, () -> SharedLongArray.create(0));
        assertThrows(IllegalArgumentException.class, () -> SharedQueue.create(1000));
        try (SharedQueue q = SharedQueue.create(1024)) {
            assertNotEquals(0, q.maxMessageBytes());
            assertThrows(IllegalArgumentException.class, () -> q.offer(new byte[1024], 0, 1024));
        }
    }
}
