package org.poolbench.bench;

import com.hazelcast.core.HazelcastInstance;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.poolbench.backend.Backend;
import org.poolbench.backend.Backends;
import org.poolbench.backend.ClusterBackend;
import org.poolbench.cluster.LocalCluster;
import org.poolbench.pool.ProcessPool;
import org.poolbench.workload.Workload;
import org.poolbench.workload.Workloads;

/*
 * The next rung past processes: the same workloads on Hazelcast cluster members (backend "cluster"), beside the
 * process pool, in one run. On this machine the members are JVMs started by the benchmark (LocalCluster: 127.0.0.1,
 * one core each where there are enough); with `run --cluster host:port,...` they are members already running on
 * other hosts, and only the creation methods still start local ones.
 *
 * scaling (ms/op): one whole job, 12 factorials of 50000!..70000! or 10^6 squares, at chunk size auto, on k members
 * of one core each against k process-pool workers and, at k = 1, sequential (the speedup baseline). For the cluster,
 * workers = members. Expect factorial to scale on members about as well as on worker processes (each chunk costs a
 * serialized round trip over loopback TCP instead of a pipe, small next to a factorial), and squares to get slower
 * on both, more so on the cluster: every number crosses a socket twice, Java-serialized.
 *
 * memberUp, memberJoin, firstTask (us/op, the cluster's rungs of the creation ladder): one member JVM from spawn
 * to "joined" (its own cluster); one member joining a cluster of members-1 until the client sees all of them; a
 * cluster of `members` members from nothing to a connected client and the first task's result. Expect a member to
 * cost a worker JVM's start plus Hazelcast's own start (hundreds of ms to seconds; members map an AOT cache of their
 * classes, made in the trial's setup), the members of a cluster to start all at once, and the first task to add a
 * client's start. Members are stopped after each
 * invocation, outside the measured time.
 *
 * roundTrip (us/op): one trivial task (square a long) on one warm single-core member through
 * IExecutorService.submitToMember(...).get(), against ProcessPool.apply on one warm worker: a socket, a client and a
 * member's executor against a pipe and a worker loop. Expect the cluster to be several times slower.
 *
 * tinyTasks (tasks/s): map(square) over 100 000 longs at the automatic chunk size (4 chunks per worker), cluster
 * against process pool, each with `workers` single-core members / workers. Expect the pool's pipes to move more.
 *
 * Members and pools are created in @Setup(Level.Trial) and stopped in @TearDown(Level.Trial), except in the creation
 * methods, where creation is the measurement. Every job and task checks its answer (jobs after the invocation,
 * outside the timed region), so a broken backend fails the run instead of looking fast.
 *
 * Run only this:
 *   mvn -B -q package -DskipTests
 *   java -jar target/benchmarks.jar ClusterBenchmark -f 1 -wi 1 -i 3 -p workers=2
 *   ./run-bench.sh quick --families cluster
 */
public class ClusterBenchmark {

    static final int TINY_TASKS = 100_000;

    /** Checks that the JVM runs on the cores its rows claim (0 skips the check). */
    @State(Scope.Benchmark)
    public static class Pinned {
        @Param({"0"})
        public int cores;

        @Setup(Level.Trial)
        public void check() {
            Cores.check(cores);
        }
    }

    /** A running backend of `workers` workers (cluster: single-core members) and a job of `workload`. */
    @State(Scope.Benchmark)
    public static class Scaling {
        @Param({"factorial", "squares"})
        public String workload;

        @Param({"sequential", "process-pool", "cluster"})
        public String backend;

        /** Workers; for the cluster, members of one core each. */
        @Param({"1"})
        public int workers;

        Workload<Object, Object> job;
        Backend pool;
        List<Object> last;

        @Setup(Level.Trial)
        public void setUp() {
            job = Workloads.create(workload, 0, null);
            job.expected();
            pool = Backends.create(backend, workers);
        }

        @TearDown(Level.Invocation)
        public void verify() {
            job.verify(last);
            last = null;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public List<Object> scaling(Pinned pinned, Scaling s) {
        s.last = s.pool.map(s.job.task(), s.job.inputs(), Backend.AUTO_CHUNKSIZE);
        return s.last;
    }

    /** An empty local cluster to start one member in, per invocation. */
    @State(Scope.Thread)
    public static class FirstMember {
        LocalCluster cluster;

        @Setup(Level.Trial)
        public void setUp() {
            cluster = LocalCluster.empty(1);
        }

        @TearDown(Level.Invocation)
        public void stop() throws InterruptedException {
            cluster.stopLast();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            cluster.close();
        }
    }

    /** One member JVM from spawn to "joined" (alone: it is the first). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int memberUp(Pinned pinned, FirstMember f) {
        f.cluster.addMembers(1);
        int up = f.cluster.pids().size();
        if (up != 1) {
            throw new IllegalStateException(up + " members running, wanted 1");
        }
        return up;
    }

    /** A running cluster of members - 1, and a client watching it. */
    @State(Scope.Thread)
    public static class Joining {
        /** The cluster's size once the new member has joined (at least 2). */
        @Param({"2"})
        public int members;

        LocalCluster cluster;
        HazelcastInstance client;

        @Setup(Level.Trial)
        public void setUp() {
            if (members < 2) {
                throw new IllegalArgumentException("memberJoin needs members >= 2, got " + members);
            }
            cluster = LocalCluster.start(members - 1, 1);
            client = cluster.connectClient();
        }

        @TearDown(Level.Invocation)
        public void leave() throws InterruptedException {
            cluster.stopLast();
            awaitSize(client, members - 1);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (client != null) {
                client.shutdown();
            }
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** Waits (up to 30 s) until the client sees {@code size} members. */
    static void awaitSize(HazelcastInstance client, int size) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.getCluster().getMembers().size() != size) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the client sees " + client.getCluster().getMembers().size()
                        + " members after 30 s, wanted " + size);
            }
            Thread.onSpinWait();
        }
    }

    /** One member joining members - 1 others, until the client sees it. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int memberJoin(Pinned pinned, Joining j) {
        j.cluster.addMembers(1);
        awaitSize(j.client, j.members);
        return j.members;
    }

    /** A cluster to build per invocation, stopped after it outside the measured time. */
    @State(Scope.Thread)
    public static class Fresh {
        @Param({"1"})
        public int members;

        ClusterBackend backend;

        /** The member AOT cache is made here, once, so no measured start includes making it. */
        @Setup(Level.Trial)
        public void prepare() {
            LocalCluster.prepare();
        }

        @TearDown(Level.Invocation)
        public void stop() {
            if (backend != null) {
                backend.close();
                backend = null;
            }
        }
    }

    /** From nothing to the first task's answer: members members, a connected client, one trivial task. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long firstTask(Pinned pinned, Fresh f) throws ExecutionException, InterruptedException {
        f.backend = ClusterBackend.local(f.members, 1);
        if (f.backend.dispatcher().members() != f.members) {
            throw new IllegalStateException(f.backend.dispatcher().members() + " members, wanted " + f.members);
        }
        return checkedSquare(f.backend.dispatcher().call(new Square(7)), 7);
    }

    /** One warm single-core member (cluster) or one warm worker (process-pool). */
    @State(Scope.Benchmark)
    public static class Warm {
        @Param({"cluster", "process-pool"})
        public String backend;

        ClusterBackend cluster;
        ProcessPool pool;
        long next;

        @Setup(Level.Trial)
        public void setUp() {
            switch (backend) {
                case "cluster" -> cluster = (ClusterBackend) Backends.create("cluster", 1);
                case "process-pool" -> pool = ProcessPool.builder().workers(1).build();
                default -> throw new IllegalArgumentException("roundTrip compares cluster and process-pool, not "
                        + backend);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (cluster != null) {
                cluster.close();
            }
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** One trivial task there and back. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long roundTrip(Pinned pinned, Warm w) throws ExecutionException, InterruptedException {
        long x = w.next++ & 0xffff;
        long r = w.cluster != null ? w.cluster.dispatcher().call(new Square(x))
                : w.pool.apply(ClusterBenchmark::square, x);
        return checkedSquare(r, x);
    }

    /** A running backend of `workers` workers and 100 000 longs to square. */
    @State(Scope.Benchmark)
    public static class Tiny {
        @Param({"cluster", "process-pool"})
        public String backend;

        @Param({"1"})
        public int workers;

        Backend pool;
        List<Long> inputs;
        long expectedSum;

        @Setup(Level.Trial)
        public void setUp() {
            pool = Backends.create(backend, workers);
            inputs = LongStream.range(0, TINY_TASKS).boxed().toList();
            expectedSum = LongStream.range(0, TINY_TASKS).map(x -> x * x).sum();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** map(square) over 100 000 longs at the automatic chunk size; one op = one task. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TINY_TASKS)
    public long tinyTasks(Pinned pinned, Tiny t) {
        List<Long> out = t.pool.map(ClusterBenchmark::square, t.inputs, Backend.AUTO_CHUNKSIZE);
        long sum = 0;
        for (Long v : out) {
            sum += v;
        }
        if (out.size() != TINY_TASKS || sum != t.expectedSum) {
            throw new IllegalStateException(t.backend + ": map(square) returned a wrong result: " + out.size()
                    + " items, sum " + sum);
        }
        return sum;
    }

    static long square(long x) {
        return x * x;
    }

    private static long checkedSquare(long r, long x) {
        if (r != x * x) {
            throw new IllegalStateException("square(" + x + ") returned " + r);
        }
        return r;
    }

    /** The trivial task, as a Callable the executor can ship. */
    static final class Square implements Callable<Long>, Serializable {
        private static final long serialVersionUID = 1L;
        private final long x;

        Square(long x) {
            this.x = x;
        }

        @Override
        public Long call() {
            return x * x;
        }
    }
}
