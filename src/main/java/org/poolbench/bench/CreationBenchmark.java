package org.poolbench.bench;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Level;
import org.poolbench.backend.Backends;
import org.poolbench.pool.ProcessPool;

/**
 * Creation: what does it cost to get something that can run a task, use it once, and be rid of it?
 *
 * <p>The seeds say "process creation is slow, thread creation cheap". This class puts numbers on every rung of that
 * ladder, in one unit (microseconds): a platform thread (start + join), a virtual thread (start + join), a native
 * process ({@code /bin/true}, spawn + wait), a bare JVM (spawn → ready → exit), a thread pool of N (create → first
 * task done → shut down) and a process pool of N worker JVMs (create → all ready → one task each → closed).
 *
 * <p>What to expect: virtual threads around a microsecond, platform threads tens of microseconds, a native process
 * about a millisecond, a JVM tens to hundreds of milliseconds. The pool's start-up flags (see docs/POOL.md) and
 * parallel start should keep a pool of N close to one JVM's start, not N times it.
 *
 * <p>Here creation is the measurement, so everything is created inside the benchmark method (every other family
 * creates its pools in the set-up). Each method checks that its thread, process or pool really ran.
 *
 * <p>Run only this: {@code java -cp target/benchmarks.jar org.openjdk.jmh.Main CreationBenchmark -p workers=1,2}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CreationBenchmark {

    /** CPUs this JVM may use; 0 skips the check. */
    @Param({"0"})
    public int cores;

    private final AtomicInteger ran = new AtomicInteger();
    private int expectedRuns;

    /** The size of the pools created by the pool benchmarks; the others do not use it. */
    @State(Scope.Benchmark)
    public static class PoolSize {
        @Param({"1"})
        public int workers;
    }

    @org.openjdk.jmh.annotations.Setup(Level.Trial)
    public void checkCores() {
        Cores.check(cores);
    }

    /** Every thread started must have run its task. */
    @TearDown(Level.Iteration)
    public void verify() {
        if (ran.get() != expectedRuns) {
            throw new IllegalStateException("started " + expectedRuns + " threads but " + ran.get() + " ran");
        }
    }

    @Benchmark
    public void platformThread() throws InterruptedException {
        expectedRuns++;
        Thread t = Thread.ofPlatform().start(ran::incrementAndGet);
        t.join();
    }

    @Benchmark
    public void virtualThread() throws InterruptedException {
        expectedRuns++;
        Thread t = Thread.ofVirtual().start(ran::incrementAndGet);
        t.join();
    }

    @Benchmark
    public int nativeProcess() throws IOException, InterruptedException {
        int exit = new ProcessBuilder("/bin/true").start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("/bin/true exited with " + exit);
        }
        return exit;
    }

    @Benchmark
    public int jvm() throws IOException, InterruptedException {
        int exit = ReadyProbe.spawnReadyExit();
        if (exit != 0) {
            throw new IllegalStateException("probe JVM exited with " + exit);
        }
        return exit;
    }

    @Benchmark
    public int threadPool(PoolSize size) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(size.workers);
        try {
            Future<Integer> first = pool.submit(() -> 41 + 1);
            int answer = first.get();
            if (answer != 42) {
                throw new IllegalStateException("thread pool answered " + answer);
            }
            return answer;
        } finally {
            pool.shutdown();
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("thread pool did not shut down");
            }
        }
    }

    @Benchmark
    public int processPool(PoolSize size) {
        try (ProcessPool pool = ProcessPool.builder().workers(size.workers).jvmArgs(Backends.workerJvmArgs())
                .build()) {
            // one task per worker, so every worker JVM has really started and answered
            java.util.List<Integer> answers = pool.map(x -> x + 1, java.util.Collections.nCopies(size.workers, 41), 1);
            for (int a : answers) {
                if (a != 42) {
                    throw new IllegalStateException("process pool answered " + a);
                }
            }
            return answers.size();
        }
    }
}
