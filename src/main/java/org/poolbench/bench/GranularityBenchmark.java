package org.poolbench.bench;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.poolbench.backend.Backend;
import org.poolbench.results.Alternation;
import org.poolbench.workload.Factorial;
import org.poolbench.workload.Squares;

/**
 * Granularity: how big must a task be before a process pool pays for its inter-process traffic?
 *
 * <p>{@link #factorial} runs jobs of factorial tasks whose work spans about a microsecond ({@code 100!}) to about
 * ten milliseconds ({@code 30000!}), one task per message ({@code chunksize = 1}), so that every task pays the full
 * per-task cost of its backend. Each size has its own task count, chosen so a job holds tens of milliseconds of work
 * ({@link #TASKS}). Per-task time is {@code score / tasks}; the sequential backend gives each size's pure work, and
 * the report names the crossover: the smallest size from which the process pool beats sequential code.
 *
 * <p>{@link #squaresChunks} sweeps the chunk size for 100 000 squares: at {@code chunksize = 1} the process pool sends
 * 100 000 messages each way, at 10 000 only ten; this is why CPython's {@code Pool.map} chunks by default.
 *
 * <p>What to expect: thread-pool pays off from a few microseconds, process-pool from tens to hundreds; with chunking,
 * the process pool's per-item cost falls by orders of magnitude.
 *
 * <p>run-bench.sh measures all sizes' backends in one JVM, taking turns iteration by iteration
 * ({@code -p backend=sequential/thread-pool/process-pool -p taskSize=300/1000/2000/3000}: each backend at the first
 * size, then at the next): the crossover compares them, and on a machine whose speed moves in phases of seconds,
 * blocks of their own put a phase between them (docs/METHODOLOGY.md, "Blocking"); one JVM warms the pools once
 * instead of once per size. results.csv gets one point per backend and size, split from the iterations.
 *
 * <p>Run only this: {@code java -cp target/benchmarks.jar org.openjdk.jmh.Main GranularityBenchmark -p workers=2}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GranularityBenchmark {

    /** Tasks per job for each factorial size: about 10–100 ms of sequential work per job on a 2020s core. */
    static final Map<Integer, Integer> TASKS = Map.of(
            100, 16_384, 300, 8_192, 600, 4_096, 1_000, 2_048, 1_500, 1_024, 2_000, 512, 3_000, 256, 10_000, 32,
            30_000, 8);

    /** Numbers per job in the chunk-size sweep. */
    static final int SQUARES = 100_000;

    /**
     * What both jobs share: the backend, its workers, and the core check. {@code backend} may list several,
     * separated by '/': all of them are started, and each iteration uses the next in turn ({@link Alternation}).
     */
    @State(Scope.Benchmark)
    public static class Pool {
        @Param({"sequential", "thread-pool", "process-pool"})
        public String backend;

        @Param({"2"})
        public int workers;

        /** CPUs this JVM may use; 0 skips the check. */
        @Param({"0"})
        public int cores;

        /** The backend of the current iteration. */
        Backend pool;
        TakingTurns backends;
        /** How many task sizes each backend takes turns at (set by {@link FactorialJob}), and the current one's index. */
        int sizes = 1;
        int size;

        @Setup(Level.Trial)
        public void setUp() {
            Cores.check(cores);
            backends = new TakingTurns(backend, workers);
            pool = backends.current();
        }

        /** Each backend in turn, at each task size in turn. */
        @Setup(Level.Iteration)
        public void turn(IterationParams iteration) {
            size = backends.turn(iteration, sizes) / backends.names.size();
            pool = backends.current();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (backends != null) {
                backends.close();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class FactorialJob {
        /**
         * n in n!: the task size, or several separated by '/' ({@code 300/1000/2000/3000}), which every backend then
         * takes its turns at, size by size ({@link Alternation#TASK_SIZE}).
         */
        @Param({"100", "300", "1000", "2000", "3000", "10000", "30000"})
        public String taskSize;

        /** One job per task size, in the order of {@link #taskSize}. */
        List<Factorial> jobs;
        /** The job of the current invocation. */
        Factorial job;
        List<Factorial.Digest> last;

        /**
         * Builds the jobs and runs the largest through the pool for {@link WarmUp#PROCESS_FACTORIAL_NANOS}, threads as
         * well as processes, then each other size a few times: BigInteger's Toom-Cook multiplication is compiled late
         * wherever two tasks at once share two cores with the compiler (in a quick run that warmed only the process
         * pool for 10 s, the thread pool's 1000!-10000! points got 15-50 % faster over their measured iterations).
         * The largest size's product tree runs every multiplication the smaller ones do (schoolbook below 300!,
         * Karatsuba from about 1000!, Toom-Cook from about 2000!), so its warm-up compiles theirs too. Sequential
         * code has a core of its own for the compiler and was flat after one job.
         */
        @Setup(Level.Trial)
        public void setUp(Pool pool) {
            List<Integer> sizes = Alternation.taskSizes(taskSize);
            jobs = sizes.stream().map(n -> new Factorial(List.of(n), TASKS.getOrDefault(n, 8))).toList();
            jobs.forEach(Factorial::expected);
            pool.sizes = jobs.size();
            Factorial largest = jobs.get(sizes.indexOf(Collections.max(sizes)));
            pool.backends.forEach((name, backend) -> {
                WarmUp.runFor(1, "sequential".equals(name) ? 0 : WarmUp.PROCESS_FACTORIAL_NANOS,
                        () -> largest.verify(backend.map(largest.task(), largest.inputs(), 1)));
                for (Factorial other : jobs) {
                    if (other != largest) {
                        WarmUp.runFor(3, 0, () -> other.verify(backend.map(other.task(), other.inputs(), 1)));
                    }
                }
            });
            job = jobs.get(0);
        }

        @TearDown(Level.Invocation)
        public void verify() {
            job.verify(last);
            last = null;
        }
    }

    @State(Scope.Benchmark)
    public static class SquaresJob {
        @Param({"1", "10", "100", "1000", "10000"})
        public int chunksize;

        final Squares job = new Squares(SQUARES);
        List<Long> last;

        /** Runs the job through the pool ({@link WarmUp}), so worker JVMs have compiled the task first. */
        @Setup(Level.Trial)
        public void setUp(Pool pool) {
            pool.backends.forEach((name, backend) -> WarmUp.run(name, 1,
                    () -> job.verify(backend.map(job.task(), job.inputs(), chunksize))));
        }

        @TearDown(Level.Invocation)
        public void verify() {
            job.verify(last);
            last = null;
        }
    }

    @Benchmark
    public List<Factorial.Digest> factorial(Pool pool, FactorialJob f) {
        f.job = f.jobs.get(pool.size);
        f.last = pool.pool.map(f.job.task(), f.job.inputs(), 1);
        return f.last;
    }

    @Benchmark
    public List<Long> squaresChunks(Pool pool, SquaresJob s) {
        s.last = pool.pool.map(s.job.task(), s.job.inputs(), s.chunksize);
        return s.last;
    }
}
