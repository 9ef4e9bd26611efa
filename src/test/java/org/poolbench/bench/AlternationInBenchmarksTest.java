package org.poolbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.options.TimeValue;

/** The benchmarks that take turns between points within one JVM: they really switch, in the order results assume. */
class AlternationInBenchmarksTest {

    private static IterationParams iteration(IterationType type) {
        return new IterationParams(type, 1, TimeValue.milliseconds(100), 1);
    }

    @Test
    void theCeilingSpinsOnOneThreadAndOnTwoInTurn() throws Exception {
        CeilingBenchmark b = new CeilingBenchmark();
        b.workers = 2;
        b.alternateWorkers = "1/2";
        b.setUp();
        try {
            List<Integer> seen = new ArrayList<>();
            b.choose(iteration(IterationType.WARMUP));
            b.choose(iteration(IterationType.WARMUP));
            for (int i = 0; i < 4; i++) {
                b.choose(iteration(IterationType.MEASUREMENT));
                seen.add(b.spinning());
                b.spin();
                b.verify(); // the same checksum on either thread count
            }
            assertEquals(List.of(1, 2, 2, 1), seen);
        } finally {
            b.tearDown();
        }
    }

    @Test
    void theCeilingsOneThreadTakesItsTurnsOnOneCpu() throws Exception {
        List<Integer> start = Affinity.current();
        assumeTrue(start.size() >= 2, "needs two CPUs");
        CeilingBenchmark b = new CeilingBenchmark();
        b.workers = start.size();
        b.cores = start.size();
        b.alternateWorkers = "1/" + start.size();
        b.alternateCores = "1/" + start.size();
        b.setUp();
        try {
            List<Integer> cpus = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                b.choose(iteration(IterationType.MEASUREMENT));
                cpus.add(Affinity.current().size());
                b.spin();
                b.verify();
            }
            assertEquals(List.of(1, start.size(), start.size(), 1), cpus);
        } finally {
            b.tearDown();
            Affinity.restrict(start);
        }
    }

    @Test
    void sequentialSwitchesItsCpuMaskIterationByIteration() {
        List<Integer> start = Affinity.current();
        assumeTrue(start.size() >= 2, "needs two CPUs");
        ScalingBenchmark b = new ScalingBenchmark();
        b.workload = "squares";
        b.backend = "sequential";
        b.workers = 1;
        b.cores = start.size();
        b.tasks = 1_000;
        b.alternateCores = "1/" + start.size();
        b.setUp();
        List<Integer> seen = new ArrayList<>();
        try {
            b.takeTurn(iteration(IterationType.WARMUP));
            assertEquals(1, Runtime.getRuntime().availableProcessors(), "warm-up starts with the first count");
            for (int i = 0; i < 4; i++) {
                b.takeTurn(iteration(IterationType.MEASUREMENT));
                seen.add(otherThreadsOn(start) > 0 ? start.size() : 1); // this thread is pinned at either count
                b.job();
                b.verify();
            }
        } finally {
            b.tearDown();
        }
        assertEquals(List.of(1, start.size(), start.size(), 1), seen, "A B B A");
        assertEquals(start, Affinity.ofThisThread(), "the JVM ends on the CPUs it started with");
    }

    @Test
    void oneCoreIterationsRunOnOneOfTheRunsCpusAndFullOnesOnAll() {
        List<Integer> start = Affinity.current();
        assumeTrue(start.size() >= 2, "needs two CPUs");
        ScalingBenchmark b = new ScalingBenchmark();
        b.workload = "squares";
        b.backend = "sequential";
        b.workers = 1;
        b.cores = start.size();
        b.tasks = 1_000;
        b.alternateCores = "1/" + start.size();
        b.setUp();
        try {
            for (int i = 0; i < 4; i++) {
                b.takeTurn(iteration(IterationType.MEASUREMENT));
                List<Integer> mine = Affinity.ofThisThread();
                assertEquals(1, mine.size(), "iteration " + i + ": the benchmark thread on one CPU");
                assertTrue(start.containsAll(mine), mine + " is one of the run's CPUs " + start);
                long free = otherThreadsOn(start);
                if (i == 0 || i == 3) {
                    assertEquals(0, free, "1-core iteration " + i + ": every thread on the one CPU");
                } else {
                    assertTrue(free > 0, "full-core iteration " + i + ": the JVM's other threads on every CPU");
                    // the work's thread and the stop-the-world thread beside the benchmark thread, compilers free
                    assertEquals(List.of(mine), masksOfThreadsNamed("sequential"), "iteration " + i);
                    assertEquals(List.of(mine), masksOfThreadsNamed("VM Thread"), "iteration " + i);
                    assertTrue(masksOfThreadsNamed("C2 CompilerThre").contains(start), "iteration " + i);
                }
            }
        } finally {
            b.tearDown();
        }
    }

    /** The CPU masks of this JVM's threads called {@code name} ({@code /proc/self/task/<tid>/comm}). */
    private static List<List<Integer>> masksOfThreadsNamed(String name) {
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            List<List<Integer>> out = new ArrayList<>();
            for (java.nio.file.Path t : tasks.toList()) {
                try {
                    if (java.nio.file.Files.readString(t.resolve("comm")).strip().equals(name)) {
                        out.add(Affinity.parseList(java.nio.file.Files.readAllLines(t.resolve("status")).stream()
                                .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                                .split(":", 2)[1].strip()));
                    }
                } catch (java.io.IOException e) {
                    // a thread that ended meanwhile
                }
            }
            return out;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** How many threads of this JVM may run on every CPU of {@code all}. */
    private static long otherThreadsOn(List<Integer> all) {
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            return tasks.filter(t -> {
                try {
                    return java.nio.file.Files.readAllLines(t.resolve("status")).stream()
                            .filter(l -> l.startsWith("Cpus_allowed_list:"))
                            .anyMatch(l -> Affinity.parseList(l.substring(l.indexOf(':') + 1).strip()).equals(all));
                } catch (java.io.IOException e) {
                    return false; // a thread that ended meanwhile
                }
            }).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aPinnedPointMovesItsWorkerProcessesWithIt() {
        List<Integer> start = Affinity.current();
        assumeTrue(start.size() >= 2, "needs two CPUs");
        Affinity.restrict(List.of(start.get(0))); // as a fork that the launcher pinned to one core
        // and told the run's CPUs
        System.setProperty(FastestCpus.PROPERTY, String.join(",", start.stream().map(String::valueOf).toList()));
        ScalingBenchmark b = new ScalingBenchmark();
        b.workload = "squares";
        b.backend = "process-pool";
        b.workers = 1;
        b.cores = 1;
        b.tasks = 1_000;
        try {
            b.setUp();
            List<Long> workers = ProcessHandle.current().descendants().map(ProcessHandle::pid).toList();
            assertTrue(!workers.isEmpty(), "the pool started a worker JVM");
            for (int i = 0; i < 4; i++) {
                b.takeTurn(iteration(IterationType.MEASUREMENT));
                List<Integer> mine = Affinity.current();
                assertEquals(1, mine.size());
                for (long pid : workers) {
                    assertEquals(mine, Affinity.of(pid), "worker " + pid + " follows the JVM to cpu " + mine);
                }
                assertEquals(1_000, b.job().size());
                b.verify();
            }
        } finally {
            b.tearDown();
            System.clearProperty(FastestCpus.PROPERTY);
            Affinity.restrict(start);
        }
    }

    @Test
    void sequentialTakesItsTurnsBesideTheFullCorePointsAndTheirWorkersGetEveryCpuBack() {
        List<Integer> start = Affinity.current();
        assumeTrue(start.size() >= 2, "needs two CPUs");
        ScalingBenchmark b = new ScalingBenchmark();
        b.workload = "squares";
        b.backend = "sequential/process-pool";
        b.workers = start.size();
        b.cores = start.size();
        b.tasks = 1_000;
        b.alternateCores = "1/" + start.size();
        List<String> seen = new ArrayList<>();
        try {
            b.setUp();
            List<Long> workers = ProcessHandle.current().descendants().map(ProcessHandle::pid).toList();
            assertTrue(!workers.isEmpty(), "the pool started its worker JVMs");
            for (int i = 0; i < 6; i++) { // turns: sequential@1, sequential@n, process-pool@n, then backward
                b.takeTurn(iteration(IterationType.MEASUREMENT));
                int jvm = Affinity.ofThisThread().size();
                int worker = Affinity.of(workers.get(0)).size();
                seen.add(jvm + "/" + worker);
                if (i == 2 || i == 3) {
                    assertEquals(start, Affinity.ofThisThread(), "turn " + i + ": the pool's turn on every CPU");
                    for (long pid : workers) {
                        assertEquals(start, Affinity.of(pid), "turn " + i + ": worker " + pid);
                    }
                }
                assertEquals(1_000, b.job().size());
                b.verify();
            }
        } finally {
            b.tearDown();
        }
        int n = start.size();
        assertEquals(List.of("1/1", "1/" + n, n + "/" + n, n + "/" + n, "1/" + n, "1/1"), seen,
                "this thread's CPUs / a worker's: sequential at 1 core moves the whole tree; at n its threads are "
                        + "pinned while the workers keep n; the pool's turns have every CPU");
        assertEquals(start, Affinity.ofThisThread(), "the JVM ends on the CPUs it started with");
    }

    @Test
    void aOneWorkerPoolTakesItsTurnsOnOneCpuBesideTheFullCorePoints() {
        List<Integer> start = Affinity.current();
        assumeTrue(start.size() >= 2, "needs two CPUs");
        ScalingBenchmark b = new ScalingBenchmark();
        b.workload = "squares";
        b.backend = "sequential/process-pool/process-pool@1:1";
        b.workers = start.size();
        b.cores = start.size();
        b.tasks = 1_000;
        b.alternateCores = "1/" + start.size();
        List<String> seen = new ArrayList<>();
        List<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid).toList();
        List<Long> workers = List.of();
        try {
            b.setUp();
            workers = ProcessHandle.current().children() // each pool also keeps a shell for its FIFOs
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .map(ProcessHandle::pid).filter(p -> !before.contains(p)).toList();
            assertEquals(start.size() + 1, workers.size(), "a pool of n workers and a pool of one");
            for (int i = 0; i < 8; i++) { // sequential@1, sequential@n, process-pool@n, process-pool@1:1, backward
                b.takeTurn(iteration(IterationType.MEASUREMENT));
                int jvm = Affinity.ofThisThread().size();
                int worker = workers.stream().mapToInt(pid -> Affinity.of(pid).size()).max().orElseThrow();
                seen.add(jvm + "/" + worker);
                assertEquals(1_000, b.job().size());
                b.verify();
            }
        } finally {
            b.tearDown();
        }
        int n = start.size();
        assertEquals(List.of("1/1", "1/" + n, n + "/" + n, "1/1", "1/1", n + "/" + n, "1/" + n, "1/1"), seen,
                "this thread's CPUs / the most any worker has: the one-worker pool's turn moves the JVM and every "
                        + "worker to one CPU, the full pool's turn gives them all back");
        assertEquals(start, Affinity.ofThisThread(), "the JVM ends on the CPUs it started with");
        for (long pid : workers) {
            assertTrue(ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty(), "worker " + pid + " ended");
        }
    }

    @Test
    void anEntryOnMoreCoresThanTheJvmIsRejected() {
        List<Integer> start = Affinity.current();
        ScalingBenchmark b = new ScalingBenchmark();
        b.workload = "squares";
        b.backend = "sequential/thread-pool@" + (start.size() + 1) + ":1";
        b.workers = 1;
        b.cores = start.size();
        b.tasks = 1_000;
        b.alternateCores = "1/" + start.size();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::setUp);
        assertTrue(e.getMessage().contains("thread-pool@" + (start.size() + 1) + ":1"), e.getMessage());
        b.tearDown();
    }

    @Test
    void theFastestCpusAreTheQuickestByTheProbeInAlternatingOrder() {
        java.util.Map<Integer, Long> nanos = java.util.Map.of(4, 30L, 5, 10L, 6, 20L);
        List<Integer> probed = new ArrayList<>();
        FastestCpus f = new FastestCpus(List.of(4, 5, 6), cpu -> {
            probed.add(cpu);
            return nanos.get(cpu);
        });
        assertEquals(List.of(5), f.fastest(1));
        assertEquals(List.of(4, 5, 6), probed, "every CPU probed, forward");
        probed.clear();
        assertEquals(List.of(5, 6), f.fastest(2), "the two quickest, ascending");
        assertEquals(List.of(6, 5, 4), probed, "then backward, so no CPU is always probed first");
        probed.clear();
        assertEquals(List.of(4, 5, 6), f.fastest(3));
        assertTrue(probed.isEmpty(), "nothing to choose at every CPU");
        assertTrue(f.lastProbe().contains("cpu 5 0.0 ms"), f.lastProbe());
        assertThrows(IllegalArgumentException.class, () -> f.fastest(4));
        assertThrows(IllegalArgumentException.class, () -> f.fastest(0));
    }

    @Test
    void onlySequentialMayAlternateCores() {
        List<Integer> start = Affinity.current();
        ScalingBenchmark b = new ScalingBenchmark();
        b.workload = "squares";
        b.backend = "thread-pool";
        b.workers = 1;
        b.tasks = 1_000;
        b.alternateCores = "1/" + start.size();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::setUp);
        assertTrue(e.getMessage().contains("has no sequential"), e.getMessage());
        b.tearDown();
    }

    @Test
    void granularityBackendsTakeTurnsAndAllClose() {
        GranularityBenchmark.Pool pool = new GranularityBenchmark.Pool();
        pool.backend = "sequential/thread-pool";
        pool.workers = 2;
        pool.setUp();
        TakingTurns turns = pool.backends;
        List<String> used = new ArrayList<>();
        try {
            assertEquals(List.of("sequential", "thread-pool"), turns.names);
            for (int i = 0; i < 4; i++) {
                pool.turn(iteration(IterationType.MEASUREMENT));
                used.add(pool.pool == turns.get("sequential") ? "sequential" : "thread-pool");
                assertSame(turns.current(), pool.pool);
            }
            pool.turn(iteration(IterationType.WARMUP));
            assertSame(turns.get("sequential"), pool.pool, "warm-up iterations are counted apart");
        } finally {
            pool.tearDown();
        }
        assertEquals(List.of("sequential", "thread-pool", "thread-pool", "sequential"), used);
        assertTrue(turns.closed());
    }

    @Test
    void granularityBackendsTakeTurnsAtEachTaskSizeSizeBySize() {
        GranularityBenchmark.Pool pool = new GranularityBenchmark.Pool();
        pool.backend = "sequential/fork-join";
        pool.workers = 2;
        pool.setUp();
        pool.sizes = 2; // as FactorialJob sets it for taskSize=300/1000
        List<String> used = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                pool.turn(iteration(IterationType.MEASUREMENT));
                used.add((pool.pool == pool.backends.get("sequential") ? "sequential" : "fork-join") + "@"
                        + List.of(300, 1000).get(pool.size));
            }
        } finally {
            pool.tearDown();
        }
        assertEquals(List.of("sequential@300", "fork-join@300", "sequential@1000", "fork-join@1000",
                "fork-join@1000", "sequential@1000", "fork-join@300", "sequential@300"), used,
                "the order JmhJson splits the iterations by (Alternation.withTaskSizes)");
    }

    @Test
    void eachIterationRunsAndChecksTheJobOfItsTaskSize() {
        GranularityBenchmark.Pool pool = new GranularityBenchmark.Pool();
        pool.backend = "sequential"; // no pool to warm for seconds
        pool.workers = 1;
        pool.setUp();
        GranularityBenchmark.FactorialJob f = new GranularityBenchmark.FactorialJob();
        f.taskSize = "300/1000";
        List<Integer> tasks = new ArrayList<>();
        try {
            f.setUp(pool);
            assertEquals(2, pool.sizes);
            for (int i = 0; i < 4; i++) {
                pool.turn(iteration(IterationType.MEASUREMENT));
                tasks.add(new GranularityBenchmark().factorial(pool, f).size());
                assertSame(f.jobs.get(pool.size), f.job);
                f.verify();
            }
        } finally {
            pool.tearDown();
        }
        assertEquals(List.of(GranularityBenchmark.TASKS.get(300), GranularityBenchmark.TASKS.get(1000),
                GranularityBenchmark.TASKS.get(1000), GranularityBenchmark.TASKS.get(300)), tasks);
    }

    @Test
    void scalingBackendsTakeTurnsAndEveryJobIsChecked() {
        ScalingBenchmark b = new ScalingBenchmark();
        b.workload = "squares";
        b.backend = "thread-pool/sequential";
        b.workers = 2;
        b.tasks = 1_000;
        b.setUp();
        try {
            for (int i = 0; i < 4; i++) {
                b.takeTurn(iteration(IterationType.MEASUREMENT));
                assertEquals(1_000, b.job().size());
                b.verify();
            }
        } finally {
            b.tearDown();
        }
    }
}
