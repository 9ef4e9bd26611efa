package org.poolbench.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.poolbench.backend.Backends;
import org.poolbench.pool.ProcessPool;

/*
 * The process pool over pipes against the same pool over shared memory (ProcessPool.Transport), one figure each:
 * does "tiny tasks do not pay for a process pool" hold once the transport is memory?
 *
 * roundTrip: one tiny task (square a long) through apply, back to back, in µs. Over pipes each way costs a write, a
 * read and a wake-up; over shared memory the caller reads its result from the ring itself while it watches.
 * mapSquares: map(square) over 10^6 boxed longs at CPython's auto chunksize, items per second.
 * Factorial at full cores is not here: run-bench.sh measures it with ScalingBenchmark, process-pool and
 * process-pool-shm taking turns in one JVM (-p backend=process-pool/process-pool-shm), because the figure is a
 * difference of a few per cent (a waiting side that spins must not take the work's CPU) and a block per transport
 * puts the machine's phases between them.
 * firstResults: a pool of as many workers as cores built and its first results back (map of one square per worker),
 * in ms: the transport's set-up (two rings per worker) must not show. Its floor, jvmStartup (run with workers=1), is
 * one bare JVM's spawn-to-first-frame, and pipeFloor is the round trip's floor: OverheadBenchmark's, measured here
 * beside them.
 * idle: a pool of as many workers as cores, left alone for idleMillis; the secondary metric `idleCpu` is the CPU the
 * workers and this JVM used meanwhile, in per cent of one core (a transport that spins while idle shows here).
 *
 * Every op checks what it computed (a broken transport cannot look fast).
 *
 * Run only this:
 *   mvn -B -q package -DskipTests
 *   java -jar target/benchmarks.jar TransportBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 *   java -jar target/benchmarks.jar ScalingBenchmark -p workload=factorial -p backend=process-pool/process-pool-shm
 */
public class TransportBenchmark {

    private static final int MAP_ITEMS = 1_000_000;

    private static long square(long x) {
        return x * x;
    }

    static ProcessPool pool(String transport, int workers) {
        ProcessPool.Transport t = ProcessPool.Transport.of(transport, "transport");
        ProcessPool pool = ProcessPool.builder().workers(workers).transport(t).jvmArgs(Backends.workerJvmArgs()).build();
        if (pool.transport() != t) {
            pool.close();
            throw new IllegalStateException("asked for " + t.label() + ", got " + pool.transport().label());
        }
        return pool;
    }

    /** A running pool of one worker per core over {@code transport}. */
    @State(Scope.Benchmark)
    public static class Warm {
        @Param({"pipe", "shared-memory"})
        public String transport;

        ProcessPool pool;
        List<Long> inputs;
        long expectedSum;
        long next;

        @Setup(Level.Trial)
        public void setUp() {
            pool = pool(transport, Runtime.getRuntime().availableProcessors());
            inputs = LongStream.range(0, MAP_ITEMS).boxed().toList();
            expectedSum = LongStream.range(0, MAP_ITEMS).map(x -> x * x).sum();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.close();
        }
    }

    /**
     * Round trips for {@link WarmUp#PROCESS_NANOS} before the first iteration: over shared memory the first 2-3 s of
     * back-to-back applies ran at 10-90 µs before settling at 2-3 µs (both sides' code still compiling, so results
     * missed the caller's watch and came through the reader thread), which one JMH warm-up iteration did not cover.
     */
    @State(Scope.Benchmark)
    public static class WarmApply {
        @Setup(Level.Trial)
        public void setUp(Warm w) {
            long[] x = {0};
            WarmUp.runFor(1, WarmUp.PROCESS_NANOS, () -> OverheadBenchmark.checkedApply(w.pool, x[0]++ & 0xffff));
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long roundTrip(Warm w, WarmApply warmed) {
        return OverheadBenchmark.checkedApply(w.pool, w.next++ & 0xffff);
    }

    /** A running PipeEcho: the floor of a round trip over pipes, measured beside the pool's (OverheadBenchmark). */
    @State(Scope.Benchmark)
    public static class Echo {
        Process echo;
        DataOutputStream out;
        DataInputStream in;
        long next;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            echo = new ProcessBuilder(OverheadBenchmark.echoCommand()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            out = new DataOutputStream(new BufferedOutputStream(echo.getOutputStream()));
            in = new DataInputStream(new BufferedInputStream(echo.getInputStream()));
            if (in.readInt() != 1 || in.readByte() != 0) {
                throw new IllegalStateException("PipeEcho did not start");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            out.close();
            if (!echo.waitFor(10, TimeUnit.SECONDS)) {
                echo.destroyForcibly().waitFor();
            }
        }
    }

    /** OverheadBenchmark.pipeFloor: one request-sized frame to a second JVM and back, in a blocking read. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long pipeFloor(Echo e) throws IOException {
        return OverheadBenchmark.echo(e.out, e.in, e.next++, false);
    }

    /** OverheadBenchmark.jvmStartup: {@code workers} bare JVMs (run with workers=1) from spawn to their first frame. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int jvmStartup(OverheadBenchmark.Spawn s) throws IOException {
        return OverheadBenchmark.spawn(s);
    }

    /** mapSquares' own warm-up: the encoders and each worker's loop compile while the map runs (OverheadBenchmark). */
    @State(Scope.Benchmark)
    public static class WarmMap {
        @Setup(Level.Trial)
        public void setUp(Warm w) {
            WarmUp.runFor(1, WarmUp.PROCESS_NANOS, () -> checkedSum(w, w.pool.map(TransportBenchmark::square, w.inputs)));
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(MAP_ITEMS)
    public long mapSquares(Warm w, WarmMap warmed) {
        return checkedSum(w, w.pool.map(TransportBenchmark::square, w.inputs));
    }

    private static long checkedSum(Warm w, List<Long> out) {
        return OverheadBenchmark.checkedSum(out, MAP_ITEMS, w.expectedSum);
    }

    /** A pool to build per invocation, closed after it outside the measured time. */
    @State(Scope.Thread)
    public static class Startup {
        @Param({"pipe", "shared-memory"})
        public String transport;

        ProcessPool pool;

        @TearDown(Level.Invocation)
        public void end() {
            if (pool != null) {
                pool.close();
                pool = null;
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long firstResults(Startup s) {
        int n = Runtime.getRuntime().availableProcessors();
        s.pool = pool(s.transport, n);
        return OverheadBenchmark.firstResults(s.pool, n);
    }

    /** The CPU an idle pool used during one invocation of {@link #idle}, in per cent of one core. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class IdleCpu {
        /** Per cent of one core; JMH sums events over an iteration, and each iteration is one invocation. */
        public double idleCpu;

        @Setup(Level.Iteration)
        public void reset() {
            idleCpu = 0;
        }
    }

    /** How long {@link #idle} leaves the pool alone. */
    @State(Scope.Benchmark)
    public static class Idle {
        @Param({"10000"})
        public int idleMillis;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long idle(Warm w, Idle idle, IdleCpu cpu) throws InterruptedException {
        if (w.pool.apply(TransportBenchmark::square, 3L) != 9L) { // the pool answers; from here on it has nothing to do
            throw new IllegalStateException("apply(square, 3) was wrong");
        }
        Thread.sleep(1); // past the waiting sides' yield phase
        long before = cpuNanos(w.pool);
        long start = System.nanoTime();
        Thread.sleep(idle.idleMillis);
        long wall = System.nanoTime() - start;
        long used = cpuNanos(w.pool) - before;
        cpu.idleCpu = 100.0 * used / wall;
        if (w.pool.apply(TransportBenchmark::square, 4L) != 16L) { // and it still answers after its nap
            throw new IllegalStateException("apply(square, 4) after idling was wrong");
        }
        return used;
    }

    /** CPU time of the workers and of this JVM (JMH's threads are idle meanwhile: an upper bound on the pool's). */
    private static long cpuNanos(ProcessPool pool) {
        long sum = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        for (long pid : pool.workerPids()) {
            sum += ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
                    .orElseThrow(() -> new IllegalStateException("no CPU time for worker " + pid)).toNanos();
        }
        return sum;
    }
}
