package org.poolbench.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
import org.poolbench.backend.Backends;
import org.poolbench.pool.ProcessPool;

/*
 * What the process pool costs on top of the pipes it runs on.
 *
 * roundTrip vs pipeFloor: one tiny task (square a long) through ProcessPool.apply, against the floor the machine
 * allows: one frame of the same format sent to a second JVM (PipeEcho) and read back, waiting in a blocking read
 * (pipeFloor) or yielding until the answer is there, as apply waits (pipeFloorYielding). The pool adds a hand-off
 * between its threads, its encoding and its bookkeeping; expect it within about 2x the floor. Microseconds per op.
 *
 * mapSquares: ProcessPool.map(square) over 10^6 longs at CPython's auto chunksize (4 chunks per worker), in items
 * per second (one op = one item). Lists of Long travel as bare arrays of numbers, so this measures the pipe's
 * bandwidth and the boxing more than the frames. Expect tens of millions per second.
 *
 * poolStartup and poolFirstResults vs jvmStartup: building a pool of 1, 2 and N (= available processors) workers until every worker has
 * answered its handshake (and until its first results are back), against as many JVMs' spawn-to-ready (PipeEcho started with the very flags the pool's
 * workers get, all at once). Workers start in parallel, so expect a pool of n to be ready in little more than n bare
 * JVMs; on a machine with few cores n JVMs booting at once take longer than one. Pools are closed after each
 * invocation, outside the measured time.
 *
 * Every op checks its result and throws if it is wrong, so a broken pool cannot look fast.
 *
 * Run only this:
 *   mvn -B -q package -DskipTests
 *   java -jar target/benchmarks.jar OverheadBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 */
public class OverheadBenchmark {

    private static final int MAP_ITEMS = 1_000_000;

    /** The command line of the pool's workers, with PipeEcho as the main class: the same JVM, the same flags. */
    static List<String> echoCommand() {
        try (ProcessPool one = ProcessPool.builder().workers(1).jvmArgs(Backends.workerJvmArgs()).build()) {
            long pid = one.workerPids().get(0);
            ProcessHandle.Info info = ProcessHandle.of(pid).orElseThrow().info();
            List<String> cmd = new ArrayList<>();
            cmd.add(info.command().orElseThrow());
            cmd.addAll(List.of(info.arguments().orElseThrow()));
            // the worker's main class, then its socket path: PipeEcho instead, on stdin/stdout
            int main = cmd.indexOf("org.poolbench.pool.PoolWorker");
            if (main < 0) {
                throw new IllegalStateException("no worker main class in " + cmd);
            }
            List<String> echo = new ArrayList<>(cmd.subList(0, main));
            echo.add(PipeEcho.class.getName());
            return echo;
        }
    }

    /** A running pool of N workers and a running PipeEcho, for the round trip, the floor and map. */
    @State(Scope.Benchmark)
    public static class Warm {
        ProcessPool pool;
        List<Long> inputs;
        long expectedSum;
        Process echo;
        DataOutputStream echoOut;
        DataInputStream echoIn;
        long next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        pool = ProcessPool.builder().workers(Runtime.getRuntime().availableProcessors())
                .jvmArgs(Backends.workerJvmArgs()).build();
        inputs = LongStream.range(0, MAP_ITEMS).boxed().toList();
        expectedSum = LongStream.range(0, MAP_ITEMS).map(x -> x * x).sum();
        echo = new ProcessBuilder(echoCommand()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        echoOut = new DataOutputStream(new BufferedOutputStream(echo.getOutputStream()));
        echoIn = new DataInputStream(new BufferedInputStream(echo.getInputStream()));
        if (echoIn.readInt() != 1 || echoIn.readByte() != 0) {
            throw new IllegalStateException("PipeEcho did not start");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        pool.close();
        echoOut.close();
        if (!echo.waitFor(10, TimeUnit.SECONDS)) {
            echo.destroyForcibly().waitFor();
        }
    }
    }

    private static long square(long x) {
        return x * x;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long roundTrip(Warm w) {
        return checkedApply(w.pool, w.next++ & 0xffff);
    }

    /** {@code apply(square, x)}, checked (also TransportBenchmark's round trip). */
    static long checkedApply(ProcessPool pool, long x) {
        long r = pool.apply(OverheadBenchmark::square, x);
        if (r != x * x) {
            throw new IllegalStateException("apply(square, " + x + ") returned " + r);
        }
        return r;
    }

    /** One frame as big as an apply's request (a CHUNK of one long), echoed back and checked; blocking read. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long pipeFloor(Warm w) throws IOException {
        return echo(w, false);
    }

    /**
     * The same, but waiting for the answer the way {@code apply} does: yielding the processor until bytes are there
     * (up to 200 us), then a blocking read. Where thread wake-ups are slow this floor is lower than the blocking one.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long pipeFloorYielding(Warm w) throws IOException {
        return echo(w, true);
    }

    private static long echo(Warm w, boolean yielding) throws IOException {
        return echo(w.echoOut, w.echoIn, w.next++, yielding);
    }

    /** One request-sized frame to a running PipeEcho and back, checked (also TransportBenchmark's floor). */
    static long echo(DataOutputStream echoOut, DataInputStream echoIn, long x, boolean yielding) throws IOException {
        echoOut.writeInt(1 + 8 + 8 + 1 + 1 + 4 + 8); // type, chunk id, fn id, arity, list tag, count, the long
        echoOut.writeByte(3);
        echoOut.writeLong(x);
        echoOut.writeLong(1);
        echoOut.writeByte(1);
        echoOut.writeByte(11);
        echoOut.writeInt(1);
        echoOut.writeLong(x);
        echoOut.flush();
        if (yielding) {
            long start = System.nanoTime();
            while (echoIn.available() == 0 && System.nanoTime() - start < 200_000) {
                Thread.yield();
            }
        }
        int length = echoIn.readInt();
        byte type = echoIn.readByte();
        long back = echoIn.readLong();
        echoIn.skipNBytes(length - 1 - 8);
        if (type != 3 || back != x) {
            throw new IllegalStateException("echo returned type " + type + ", value " + back + " for " + x);
        }
        return back;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(MAP_ITEMS)
    public long mapSquares(Warm w, WarmMap warmed) {
        return checkedSum(w, w.pool.map(OverheadBenchmark::square, w.inputs));
    }

    /**
     * mapSquares' own warm-up, before JMH's: the parent's encoder and decoder and each worker's loop compile while
     * the map runs, and after JMH's 1.5 s alone quick runs still got faster through all 15
     * measured iterations (18 to 27 M items/s). As long as a process pool's other trials warm ({@link WarmUp}).
     */
    @State(Scope.Benchmark)
    public static class WarmMap {
        @Setup(Level.Trial)
        public void setUp(Warm w) {
            WarmUp.runFor(1, WarmUp.PROCESS_NANOS, () -> checkedSum(w, w.pool.map(OverheadBenchmark::square, w.inputs)));
        }
    }

    private static long checkedSum(Warm w, List<Long> out) {
        return checkedSum(out, MAP_ITEMS, w.expectedSum);
    }

    /** The sum of {@code out}, map(square)'s result; throws unless it has {@code items} items summing to {@code expected}. */
    static long checkedSum(List<Long> out, int items, long expected) {
        long sum = 0;
        for (Long v : out) {
            sum += v;
        }
        if (out.size() != items || sum != expected) {
            throw new IllegalStateException("map(square) returned a wrong result: " + out.size() + " items");
        }
        return sum;
    }

    /** A pool to build per invocation, closed after it outside the measured time. */
    @State(Scope.Thread)
    public static class Startup {
        /** Workers in the pool; 0 means {@link Runtime#availableProcessors()} (run-bench.sh passes the number). */
        @Param({"1", "2", "0"})
        public int workers;

        int n;
        ProcessPool pool;

        @Setup(Level.Trial)
        public void setUp() {
            n = workers == 0 ? Runtime.getRuntime().availableProcessors() : workers;
        }

        @TearDown(Level.Invocation)
        public void end() {
            if (pool != null) {
                pool.close();
                pool = null;
            }
        }
    }

    /** PipeEcho JVMs to start at once per invocation, ended after it outside the measured time. */
    @State(Scope.Thread)
    public static class Spawn {
        /** JVMs started at once; 0 means {@link Runtime#availableProcessors()}, as for {@link Startup}. */
        @Param({"1", "2", "0"})
        public int workers;

        int n;
        List<String> echoCommand;
        final List<Process> echoes = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp() {
            n = workers == 0 ? Runtime.getRuntime().availableProcessors() : workers;
            echoCommand = echoCommand();
        }

        @TearDown(Level.Invocation)
        public void end() throws Exception {
            for (Process echo : echoes) {
                echo.getOutputStream().close();
                if (!echo.waitFor(10, TimeUnit.SECONDS)) {
                    echo.destroyForcibly().waitFor();
                }
            }
            echoes.clear();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int poolStartup(Startup s) {
        s.pool = ProcessPool.builder().workers(s.n).jvmArgs(Backends.workerJvmArgs()).build();
        int ready = s.pool.workerPids().size();
        if (ready != s.n) {
            throw new IllegalStateException(ready + " workers ready, wanted " + s.n);
        }
        return ready;
    }

    /**
     * A pool built and its first results back: {@code map(square)} over one number per worker. A worker answers its
     * handshake before it has set up deserialization (the JDK's serial-filter configuration, some 30 ms of a fresh
     * JVM), so this, not {@link #poolStartup}, is what a program that starts a pool and uses it at once waits for.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long poolFirstResults(Startup s) {
        s.pool = ProcessPool.builder().workers(s.n).jvmArgs(Backends.workerJvmArgs()).build();
        return firstResults(s.pool, s.n);
    }

    /** map(square) over 1..n with chunksize 1 (a task per worker), checked: a new pool's first results. */
    static long firstResults(ProcessPool pool, int n) {
        List<Long> xs = LongStream.range(1, n + 1).boxed().toList();
        List<Long> out = pool.map(OverheadBenchmark::square, xs, 1);
        long sum = 0;
        for (int i = 0; i < xs.size(); i++) {
            if (out.get(i) != xs.get(i) * xs.get(i)) {
                throw new IllegalStateException("map(square) returned " + out + " for " + xs);
            }
            sum += out.get(i);
        }
        return sum;
    }

    /**
     * {@code workers} JVMs from spawn to their first frame, started at once: the floor for a pool of as many workers.
     * With one JVM per core they still share the cores with each other's JIT and GC threads while they boot, so on a
     * small machine n JVMs take longer than one (docs/POOL.md).
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int jvmStartup(Spawn s) throws IOException {
        return spawn(s);
    }

    /** Starts {@code s.workers} PipeEcho JVMs at once and waits for each one's first frame (also TransportBenchmark's). */
    static int spawn(Spawn s) throws IOException {
        for (int i = 0; i < s.n; i++) {
            s.echoes.add(new ProcessBuilder(s.echoCommand).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process echo : s.echoes) {
            DataInputStream in = new DataInputStream(echo.getInputStream());
            int length = in.readInt();
            if (length != 1 || in.readByte() != 0) {
                throw new IllegalStateException("PipeEcho did not start");
            }
        }
        return s.echoes.size();
    }
}
