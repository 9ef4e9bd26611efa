package org.poolbench.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.runner.IterationType;
import org.poolbench.results.Alternation;

/**
 * The machine's own ceiling: how much faster does pure arithmetic get on k cores, with nothing a backend could add?
 *
 * <p>One operation is one fixed job: {@link #CHAINS} independent xorshift chains of {@link #STEPS} steps each, a
 * dependent chain of shifts and xors on one {@code long} that touches no memory and allocates nothing. {@code workers}
 * platform threads (created once per trial) take chains from a shared counter until none is left, so the work
 * divides evenly at any thread count. Run pinned to k cores with 1 and with k threads: {@code T(1) / T(k)} is what k
 * cores can give at best here, the line a backend's speedup should be read against, below the ideal y = k when the
 * cores share something (SMT siblings, a turbo budget, a hypervisor's time slice). Below all CPUs, each iteration runs
 * on the k a probe found fastest ({@link FastestCpus}), as scaling's points do, so the ceiling is over the fastest
 * core, the baseline every speedup has.
 *
 * <p>What to expect: on k real, idle cores a speedup close to k; on a shared or virtual machine less, and that gap is
 * the machine's, not any backend's. One thread's time should not change with the cores it may use.
 *
 * <p>Every job's checksum (the xor of the chains' final values) is compared with one computed in the set-up, so a
 * loop the JIT removed or a chain that was skipped fails the run.
 *
 * <p>run-bench.sh runs 1 and k threads taking turns in one JVM ({@code alternateWorkers=1/2}), so that a slow stretch
 * of the machine falls on both alike instead of on whichever ran in it; at the run's most cores the one thread takes
 * its turns on the fastest single CPU ({@code alternateCores=1/2}), as sequential's 1-core baseline takes its turns
 * beside the full-core points, so the ceiling's 1-core time and the speedups' share one stretch of time.
 *
 * <p>Run only this: {@code java -cp target/benchmarks.jar org.openjdk.jmh.Main CeilingBenchmark -p workers=1,2};
 * pinned and taking turns: {@code taskset -c 0,1 java ... CeilingBenchmark -p alternateWorkers=1/2
 * -p alternateCores=1/2 -p workers=2 -p cores=2 -wi 2 -i 30}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CeilingBenchmark {

    /** Chains per job: many, so that k threads finish within one chain of each other. */
    public static final int CHAINS = 1024;

    /** Steps per chain: about 50 µs on a 2020s core, so a job is about 50 ms on one thread. */
    public static final int STEPS = 20_000;

    /** Threads spinning at once. */
    @Param({"1"})
    public int workers;

    /** CPUs this JVM may use; 0 skips the check. */
    @Param({"0"})
    public int cores;

    /**
     * Thread counts to take turns between, iteration by iteration ({@code 1/2}; {@link Alternation}), instead of
     * {@code workers}: the ratio of the two then divides neighbouring iterations, not two blocks of time.
     */
    @Param({""})
    public String alternateWorkers;

    /**
     * With {@link #alternateWorkers}, the core count of each of its turns ({@code 1/2}: one thread on the fastest CPU,
     * two on both); empty: every turn on {@code cores}.
     */
    @Param({""})
    public String alternateCores;

    private List<Alternation.Turn> turns;
    private int warmupIterations;
    private int measuredIterations;
    private int current;
    private ExecutorService threads;
    private FastestCpus fastest;
    private long expected;
    private long last;

    @Setup(Level.Trial)
    public void setUp() {
        Cores.check(cores);
        fastest = FastestCpus.ofRun();
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        turns = alternateWorkers == null || alternateWorkers.isBlank() ? List.of(new Alternation.Turn(null, cores, workers))
                : Alternation.workerTurns(null, alternateWorkers, alternateCores == null ? "" : alternateCores, cores);
        current = turns.get(0).workers();
        expected = 0;
        for (int c = 0; c < CHAINS; c++) {
            expected ^= chain(c);
        }
        threads = Executors.newFixedThreadPool(turns.stream().mapToInt(Alternation.Turn::workers).max().orElseThrow(), Thread.ofPlatform().name("poolbench-spin-", 0).daemon()
                .factory());
    }

    /**
     * This iteration's thread count ({@link Alternation#index}: warm-up and measured iterations each counted from 0)
     * and, with fewer cores than the run has, the fastest of the moment ({@link FastestCpus}), as scaling's points.
     */
    @Setup(Level.Iteration)
    public void choose(IterationParams iteration) {
        int index = iteration.getType() == IterationType.WARMUP ? warmupIterations++ : measuredIterations++;
        Alternation.Turn turn = turns.get(Alternation.index(index, turns.size()));
        current = turn.workers();
        if (turn.cores() > 0 && turn.cores() < fastest.size()) {
            fastest.moveTo(turn.cores());
        } else if (turns.size() > 1 && turn.cores() > 0) { // after a turn on fewer cores: every thread back
            fastest.moveToAll();
        }
    }

    /** The threads this iteration spins on. */
    int spinning() {
        return current;
    }

    @Benchmark
    public long spin() throws InterruptedException, ExecutionException {
        AtomicInteger next = new AtomicInteger();
        List<Callable<Long>> spinners = new ArrayList<>(current);
        for (int t = 0; t < current; t++) {
            spinners.add(() -> {
                long x = 0;
                for (int c; (c = next.getAndIncrement()) < CHAINS; ) {
                    x ^= chain(c);
                }
                return x;
            });
        }
        long sum = 0;
        for (Future<Long> f : threads.invokeAll(spinners)) {
            sum ^= f.get();
        }
        last = sum;
        return sum;
    }

    @TearDown(Level.Invocation)
    public void verify() {
        if (last != expected) {
            throw new IllegalStateException("spin checksum " + last + ", expected " + expected);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        threads.shutdownNow();
        if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("spin threads did not end");
        }
    }

    /** One chain: xorshift64 from a seed derived from {@code c}, {@link #STEPS} dependent steps. */
    static long chain(int c) {
        long x = 0x9E3779B97F4A7C15L * (c + 1);
        for (int i = 0; i < STEPS; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
