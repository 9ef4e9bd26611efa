package org.poolbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.poolbench.backend.Backends;
import org.poolbench.results.Alternation;
import org.poolbench.results.ResultRow;
import org.poolbench.workload.Workloads;

class PlanTest {

    @Test
    void scalingPinsEveryCoreCountWithAsManyWorkers() {
        Plan plan = Plan.build(Profile.QUICK, List.of("scaling"), List.of("factorial"), Backends.names(), 4,
                List.of(1, 2, 4), List.of());
        List<JmhInvocation> inv = plan.invocations;
        // parallel at 2 cores; at 4 (the top) one JVM, started on 4 cores, for sequential taking its turns at 1, 2
        // and 4 cores, the backends at 4 and the one-worker pools the 1-core check rests on (every point divided by
        // sequential's 1-core time); process-per-task (quick: at full cores only)
        assertEquals(3, inv.size());
        assertEquals(List.of("2"), inv.get(0).params().get("workers"));
        assertEquals(2, inv.get(0).cores());
        assertEquals(List.of("sequential/thread-pool/fork-join/virtual-threads/thread-per-task/process-pool"
                + "/thread-pool@1:1/process-pool@1:1"), inv.get(1).params().get("backend"));
        assertEquals(4, inv.get(1).cores());
        assertEquals(List.of("4"), inv.get(1).params().get("workers"));
        assertEquals(List.of("1/2/4"), inv.get(1).params().get(Alternation.CORES));
        assertEquals(10, inv.get(1).alternated(), "sequential at three core counts, five backends at 4, two at 1 "
                + "core");
        assertEquals(10 * Plan.PRECISE_ITERATIONS, Profile.QUICK.measuredIterations(inv.get(1)),
                "each point gets the iterations of a point of its own");
        assertEquals(List.of("4"), inv.get(2).params().get("workers"));
        assertEquals(List.of("process-per-task"), inv.get(2).params().get("backend"));
        assertEquals(List.of("fork-join", "virtual-threads", "thread-per-task"), plan.skipped.stream()
                .filter(r -> r.cores() == 1 && r.workers() == 1 && !r.backend().equals("process-per-task"))
                .map(ResultRow::backend).toList(), "quick: at 1 core only the pools the check rests on");
        assertEquals(List.of("thread-pool", "virtual-threads", "process-pool"), plan.skipped.stream()
                .filter(r -> r.workers() != null && r.workers() == 8).map(ResultRow::backend).toList(),
                "quick does not oversubscribe; full does");
        assertEquals(List.of(1, 2), plan.skipped.stream().filter(r -> r.backend().equals("process-per-task"))
                .map(ResultRow::cores).toList(), "quick records process-per-task below full cores as skipped");
        assertEquals(7, Plan.build(Profile.FULL, List.of("scaling"), List.of("factorial"), Backends.names(), 4,
                List.of(1, 2, 4), List.of()).invocations.size(), "full measures process-per-task at every k");
        for (JmhInvocation i : inv) {
            assertEquals(List.of(String.valueOf(i.cores())), i.params().get("cores"), "cores param is checked");
        }
    }

    @Test
    void withTheJvmsDefaultsSequentialRunsInAJvmPinnedFromTheStartAtEachCoreCount() {
        // ergonomics sizes the JVM by the CPUs it starts on, so switching the mask later would not measure that JVM
        Plan plan = Plan.build(Profile.QUICK, List.of("scaling"), List.of("factorial"), List.of("sequential"), 4,
                List.of(1, 2, 4), List.of(), false);
        assertEquals(List.of(1, 2, 4), plan.invocations.stream().map(JmhInvocation::cores).toList());
        assertTrue(plan.invocations.stream().noneMatch(i -> i.params().containsKey(Alternation.CORES)));
        Plan one = Plan.build(Profile.QUICK, List.of("scaling"), List.of("factorial"), List.of("sequential"), 4,
                List.of(4), List.of());
        assertTrue(one.invocations.stream().noneMatch(i -> i.params().containsKey(Alternation.CORES)),
                "one core count: nothing to alternate");
    }

    @Test
    void pointsLeftOutByDesignAreRecordedAsSkipped() {
        Plan plan = Plan.build(Profile.QUICK, Plan.FAMILIES, Workloads.NAMES, Backends.names(), 2, List.of(1, 2),
                List.of());
        assertTrue(plan.skipped.stream().anyMatch(r -> r.family().equals("io") && r.backend().equals("process-pool")
                && r.workers() == 64), plan.skipped.toString());
        assertTrue(plan.skipped.stream().allMatch(r -> "skipped".equals(r.status()) && r.note() != null));
        // quick: io from concurrency 4, concurrency 1 recorded as left out for every backend
        assertEquals(List.of("thread-pool", "virtual-threads", "process-pool"), plan.skipped.stream()
                .filter(r -> r.family().equals("io") && Integer.valueOf(1).equals(r.workers()))
                .map(ResultRow::backend).toList());
        assertEquals(0, plan.invocations.stream().filter(i -> i.family().equals("io"))
                .filter(i -> i.params().get("workers").contains("1")).count());
        assertTrue(plan.invocations.stream().filter(i -> i.family().equals("io"))
                .filter(i -> i.params().get("backend").contains("process-pool"))
                .allMatch(i -> i.params().get("workers").stream().mapToInt(Integer::parseInt)
                        .allMatch(w -> w <= Plan.IO_PROCESS_CAP)));
    }

    @Test
    void theCeilingRunsFirstAtEveryCoreCountWithOneAndKThreads() {
        Plan plan = Plan.build(Profile.QUICK, Plan.FAMILIES, Workloads.NAMES, Backends.names(), 2, List.of(1, 2),
                List.of());
        JmhInvocation ceiling = plan.invocations.get(0);
        assertEquals("ceiling", ceiling.family());
        assertEquals(List.of("1/2"), ceiling.params().get("alternateWorkers"), "1 and 2 threads take turns");
        assertEquals(List.of("1/2"), ceiling.params().get("alternateCores"), "the one thread on one core");
        assertEquals(List.of("2"), ceiling.params().get("cores"));
        assertEquals(2, ceiling.alternated());
        assertEquals(2 * Profile.QUICK.iterations, Profile.QUICK.measuredIterations(ceiling),
                "each turn gets the iterations of a point of its own");
        assertEquals("scaling", plan.invocations.get(1).family(), "the ceiling comes before scaling, 1 core in its JVM");

        Plan wide = Plan.build(Profile.QUICK, List.of("ceiling"), Workloads.NAMES, Backends.names(), 4,
                List.of(1, 2, 4), List.of());
        assertEquals(List.of(2, 4), wide.invocations.stream().map(JmhInvocation::cores).toList());
        assertEquals(List.of("1/2"), wide.invocations.get(0).params().get("alternateWorkers"));
        assertEquals(null, wide.invocations.get(0).params().get("alternateCores"), "2 cores: both turns on 2");
        assertEquals(List.of("1/4"), wide.invocations.get(1).params().get("alternateCores"));

        Plan smoke = Plan.build(Profile.SMOKE, List.of("ceiling"), Workloads.NAMES, Backends.names(), 2, List.of(2),
                List.of());
        assertEquals(List.of("1/2"), smoke.invocations.get(0).params().get("alternateWorkers"),
                "smoke measures one and k threads at its one core count");
    }

    @Test
    void processPerTaskRunsApartWithOneJobPerIteration() {
        Plan plan = Plan.build(Profile.QUICK, List.of("scaling"), Workloads.NAMES, Backends.names(), 2,
                List.of(1, 2), List.of());
        for (JmhInvocation inv : plan.invocations) {
            List<String> backends = inv.params().get("backend");
            if (backends.contains("process-per-task")) {
                assertEquals(List.of("process-per-task"), backends);
                // CPU work: the profile's 15, one job each (8 left half-widths of 12-18 %); downloads: 8
                boolean download = inv.params().get("workload").equals(List.of("download"));
                int n = download ? Plan.SLOW_ITERATIONS : Profile.QUICK.iterations;
                assertEquals(n, Profile.QUICK.measuredIterations(inv), inv.describe());
                assertEquals(1, Profile.QUICK.warmupIterations(inv));
                assertTrue(Profile.QUICK.jmhArgs(inv).containsAll(List.of("-i", "" + n, "-wi", "1")));
            } else if (inv.params().get("workload").equals(List.of("download"))) {
                int points = inv.alternated(); // sequential alternates 1 and 2 cores, the others backends
                assertEquals(points * Plan.SLOW_ITERATIONS, Profile.QUICK.measuredIterations(inv), "a job of waits");
            } else {
                // the verdicts' points (full cores, and sequential at every core count) get more iterations, and
                // the one-worker pools that the 1-core check rests on more than the curve's other inner points
                boolean precise = inv.cores() == 2 || backends.equals(List.of("sequential"));
                boolean oneCore = inv.cores() == 1 && inv.params().get("workload").equals(List.of("factorial"));
                int points = inv.alternated();
                assertEquals(points * (precise ? Plan.PRECISE_ITERATIONS
                        : oneCore ? Plan.ONE_CORE_ITERATIONS : Plan.INNER_ITERATIONS),
                        Profile.QUICK.measuredIterations(inv), inv.describe());
                String w = inv.params().get("workload").get(0);
                assertEquals(w.equals("squares") ? Plan.SHORT_JOB_ITERATION_MILLIS
                        : w.equals("factorial") ? Plan.ONE_JOB_ITERATION_MILLIS : Profile.QUICK.iterationMillis,
                        Profile.QUICK.iterationMillis(inv), "one job per iteration for factorial: " + inv.describe());
            }
        }
        List<JmhInvocation> perTask = plan.invocations.stream()
                .filter(i -> i.params().get("backend").contains("process-per-task")).toList();
        assertEquals(Workloads.NAMES.size(), perTask.size(), "a JVM per workload");
        assertTrue(perTask.stream().allMatch(i -> i.cores() == 2), "quick: at full cores only");
    }

    @Test
    void theEstimateCountsJobsLongerThanAnIteration() {
        JmhInvocation shortJobs = new JmhInvocation("scaling", "x", 1, java.util.Map.of("a", List.of("1")));
        JmhInvocation longJobs = shortJobs.expecting(1.0);
        double perPointShort = Profile.QUICK.secondsPerPoint(shortJobs);
        // fork + 1.5 s warm-up + 15 × 0.2 s
        assertEquals(Profile.FORK_SECONDS + 1.5 + 15 * 0.2, perPointShort, 1e-9);
        // each iteration is one whole 1 s job; two more run in the set-up
        assertEquals(Profile.FORK_SECONDS + 2 + 2 + 15, Profile.QUICK.secondsPerPoint(longJobs), 1e-9);
    }

    @Test
    void resourceProbesCoverEveryWorkload() {
        Plan plan = Plan.build(Profile.QUICK, List.of("resource"), Workloads.NAMES, Backends.names(), 2,
                List.of(1, 2), List.of());
        for (String w : Workloads.NAMES) {
            assertTrue(plan.probes.stream().anyMatch(p -> p.get(0).equals(w) && p.get(1).equals("process-pool")),
                    w + ": " + plan.probes);
            assertTrue(plan.probes.stream().anyMatch(p -> p.get(0).equals(w) && p.get(1).equals("thread-pool")));
        }
        assertTrue(plan.probes.contains(List.of("factorial", "sequential", "1")));
    }

    @Test
    void syncAndIpcRunAFewPointsInSmokeAndBothChartsWorthInQuick() {
        Plan smoke = Plan.build(Profile.SMOKE, List.of("sync", "ipc"), Workloads.NAMES, Backends.names(), 2,
                List.of(2), List.of());
        Plan quick = Plan.build(Profile.QUICK, List.of("sync", "ipc"), Workloads.NAMES, Backends.names(), 2,
                List.of(1, 2), List.of());
        assertTrue(smoke.points() <= 16, "smoke points: " + smoke.points());
        assertTrue(quick.points() > smoke.points());
        for (Plan p : List.of(smoke, quick)) {
            List<String> patterns = p.invocations.stream().map(JmhInvocation::benchmark).toList();
            assertTrue(patterns.contains("\\.SyncBenchmark\\.threads$") && patterns.contains(
                    "\\.SyncBenchmark\\.processes$") && patterns.contains("\\.IpcBenchmark\\.processRoundTrip$")
                    && patterns.contains("\\.IpcBenchmark\\.processStream$"), patterns.toString());
            assertTrue(p.invocations.stream().allMatch(i -> i.cores() == 2));
        }
        JmhInvocation threads = quick.invocations.stream()
                .filter(i -> i.benchmark().contains("SyncBenchmark\\.threads")).findFirst().orElseThrow();
        assertEquals(List.of("1", "2", "4"), threads.params().get("workers"));
        assertEquals(5, threads.params().get("primitive").size());
        JmhInvocation stream = quick.invocations.stream()
                .filter(i -> i.benchmark().contains("processStream")).findFirst().orElseThrow();
        assertEquals(List.of("8", "8192", "1048576"), stream.params().get("messageBytes"));
        assertEquals(4, stream.params().get("transport").size());
        // many producers: a ring and a pipe each, k = 1, 2, 4 and the top core count in quick; the top in smoke
        JmhInvocation producers = quick.invocations.stream()
                .filter(i -> i.benchmark().contains("manyProducers")).findFirst().orElseThrow();
        assertEquals(List.of("ring", "pipes"), producers.params().get("transport"));
        assertEquals(List.of("1", "2", "4"), producers.params().get("workers"));
        assertEquals(List.of("2"), smoke.invocations.stream().filter(i -> i.benchmark().contains("manyProducers"))
                .findFirst().orElseThrow().params().get("workers"));
        assertEquals(List.of(1, 2, 4, 6), LessonPlan.producers(Profile.QUICK, 6));
        assertEquals(List.of(1, 2, 4, 8, 16), LessonPlan.producers(Profile.FULL, 8));
        assertEquals(List.of(2), LessonPlan.producers(Profile.SMOKE, 1));
        // without process-pool among the backends, only the thread methods run
        Plan threadsOnly = Plan.build(Profile.QUICK, List.of("sync", "ipc"), Workloads.NAMES,
                List.of("thread-pool"), 2, List.of(2), List.of());
        assertTrue(threadsOnly.invocations.stream().noneMatch(i -> i.benchmark().contains("process")));
        assertEquals(4, threadsOnly.invocations.size()); // sync threads, two ipc thread methods, memoryCopy
    }

    @Test
    void coreCountsDoubleUpToTheMachine() {
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 64), Cpus.doublings(64));
        assertEquals(List.of(1, 2, 4, 6), Cpus.doublings(6));
        assertEquals(List.of(1), Cpus.doublings(1));
        assertEquals(List.of(0, 1, 2, 3, 8, 10, 11), Cpus.parseList("0-3,8,10-11"));
    }

    @Test
    void granularityMeasuresEveryTaskSizesBackendsBackToBackInOneJvm() {
        Plan plan = Plan.build(Profile.QUICK, List.of("granularity"), Workloads.NAMES, Backends.names(), 2,
                List.of(1, 2), List.of());
        List<JmhInvocation> factorial = plan.invocations.stream()
                .filter(i -> i.benchmark().endsWith("factorial$")).toList();
        assertEquals(1, factorial.size(), "one JVM warms the pools once for every size");
        JmhInvocation i = factorial.get(0);
        assertEquals(List.of("300/1000/2000/3000"), i.params().get("taskSize"));
        assertEquals(List.of("sequential/thread-pool/process-pool"), i.params().get("backend"));
        // each backend at each size with the iterations of a point of its own
        assertEquals(3 * 4 * Profile.QUICK.iterations, Profile.QUICK.measuredIterations(i));
        assertEquals(1, i.points());
        assertEquals(12, i.reportedPoints());
        assertEquals(20.0, JmhLauncher.setUpWarmUpSeconds(i), 1e-9, "the two pools warm 10 s each, once");
        JmhInvocation full = Plan.build(Profile.FULL, List.of("granularity"), Workloads.NAMES, Backends.names(), 2,
                List.of(1, 2), List.of()).invocations.stream().filter(f -> f.benchmark().endsWith("factorial$"))
                .findFirst().orElseThrow();
        assertEquals(List.of("100/300/1000/2000/3000/10000/30000"), full.params().get("taskSize"), "full: 100! to 30000!");
        JmhInvocation smoke = Plan.build(Profile.SMOKE, List.of("granularity"), Workloads.NAMES, Backends.names(), 2,
                List.of(1, 2), List.of()).invocations.stream().filter(f -> f.benchmark().endsWith("factorial$"))
                .findFirst().orElseThrow();
        assertEquals(List.of("3000"), smoke.params().get("taskSize"));
        assertEquals(3, smoke.reportedPoints());
        JmhInvocation chunks = plan.invocations.stream().filter(c -> c.benchmark().endsWith("squaresChunks$"))
                .findFirst().orElseThrow();
        assertEquals(List.of("thread-pool/process-pool"), chunks.params().get("backend"));
        assertEquals(10, chunks.reportedPoints(), "5 chunk sizes, 2 backends each");
    }

    @Test
    void theTransportFamilyPutsTheSharedMemoryPoolBesideThePipesOneAndNowhereElse() {
        Plan plan = Plan.build(Profile.QUICK, List.of("granularity", "transport"), Workloads.NAMES, Backends.names(), 2,
                List.of(1, 2), List.of());
        List<JmhInvocation> sizes = plan.invocations.stream().filter(i -> i.benchmark().endsWith("factorial$")
                && i.family().equals("granularity")).toList();
        assertEquals(List.of("100/300/600/1000/1500/2000/3000"),
                sizes.stream().map(i -> String.join(",", i.params().get("taskSize"))).toList(),
                "100! too, where the crossover over shared memory may lie, and 600! and 1500! between the crossovers");
        assertEquals(List.of("sequential/thread-pool/process-pool/process-pool-shm"), sizes.get(0).params().get("backend"));
        assertEquals(30.0, JmhLauncher.setUpWarmUpSeconds(sizes.get(0)), 1e-9, "both pools warm like the thread pool");
        List<JmhInvocation> all = plan.invocations.stream().filter(i -> i.family().equals("transport")).toList();
        assertEquals(4, all.size());
        JmhInvocation paired = all.get(1);
        assertEquals("\\.ScalingBenchmark\\.", paired.benchmark(), "factorial at full cores: the scaling job");
        assertEquals(List.of("process-pool/process-pool-shm"), paired.params().get("backend"), "taking turns in one JVM");
        assertEquals(List.of("2"), paired.params().get("cores"));
        assertEquals(List.of("transport"), paired.params().get("family"), "its rows go to the transport family");
        assertEquals(2 * 10, JmhLauncher.setUpWarmUpSeconds(paired), 1e-9, "each pool warms its factorial 10 s");
        List<JmhInvocation> transport = all.stream().filter(i -> i != paired).toList();
        assertTrue(transport.stream().allMatch(i -> i.params().get("transport").equals(List.of("pipe", "shared-memory"))));
        assertEquals(List.of("1", "2"), transport.get(1).params().get("workers"),
                "jvmStartup: one bare JVM, and as many as the pool's workers (its floor)");
        assertEquals(List.of("10000"), transport.get(2).params().get("idleMillis"));
        assertEquals(2 * (3 + 3), JmhLauncher.setUpWarmUpSeconds(transport.get(0)), 1e-9,
                "apply warms 3 s and map 3 s, for each transport");
        assertEquals(2 * 2 * 10, JmhLauncher.setUpWarmUpSeconds(transport.get(2)), 1e-9,
                "an idle spell of 10 s in a warm-up and a measured iteration, for each transport");
        // without the transport family the shared-memory pool is measured nowhere, even with every backend asked for
        Plan without = Plan.build(Profile.FULL, List.of("scaling", "granularity", "creation", "io"), Workloads.NAMES,
                Backends.names(), 2, List.of(1, 2), List.of());
        assertTrue(without.invocations.stream().noneMatch(i -> i.params().values().stream()
                .anyMatch(v -> String.join(",", v).contains("process-pool-shm"))));
        assertEquals(2, Plan.build(Profile.SMOKE, List.of("transport"), Workloads.NAMES, Backends.names(), 2,
                List.of(2), List.of()).invocations.size(), "smoke: the round trips and the idle pool");
        assertEquals(0, Plan.build(Profile.QUICK, List.of("transport"), Workloads.NAMES, List.of("thread-pool"), 2,
                List.of(2), List.of()).invocations.size(), "no process pool asked for, nothing to compare");
    }

    @Test
    void scalingMeasuresEachWorkloadsBackendsBackToBack() {
        Plan plan = Plan.build(Profile.QUICK, List.of("scaling"), Workloads.NAMES, Backends.names(), 2,
                List.of(1, 2), List.of());
        for (JmhInvocation i : plan.invocations) {
            assertEquals(1, i.params().get("workload").size(), "a JVM per workload, for its settings: " + i);
        }
        // per workload: one JVM for sequential at 1 and 2 cores, parallel at 2 and (factorial only) the one-worker
        // pools at 1; and one for process-per-task
        assertEquals(3 + 3, plan.invocations.size());
        assertEquals(3 + 5 + 5 + 3 * 3, plan.skipped.stream().filter(r -> r.family().equals("scaling")
                && (r.cores() == 1 || r.workers() == 4) && !r.backend().equals("process-per-task")).count(),
                "at 1 core: factorial's other 3 backends, squares' and download's 5; every workload oversubscribed "
                + "on 3 backends");
        // each workload's sequential points at 1 and 2 cores, in one JVM with the full-core points they divide
        List<JmhInvocation> together = plan.invocations.stream()
                .filter(i -> i.params().containsKey(Alternation.CORES)).toList();
        assertEquals(3, together.size());
        for (int w = 0; w < 3; w++) {
            JmhInvocation sequential = together.get(w);
            assertEquals(List.of("1/2"), sequential.params().get(Alternation.CORES));
            String oneCore = Workloads.NAMES.get(w).equals("factorial") ? "/thread-pool@1:1/process-pool@1:1" : "";
            assertEquals(List.of("sequential/thread-pool/fork-join/virtual-threads/thread-per-task/process-pool"
                    + oneCore), sequential.params().get("backend"), "quick at 1 core: the one-worker pools of the "
                    + "check, on factorial");
            assertEquals(2, sequential.cores());
            assertEquals(List.of(Workloads.NAMES.get(w)), sequential.params().get("workload"));
        }
    }

    @Test
    void quickDoesNotOversubscribeAndLeavesNoEmptyInvocation() {
        Plan plan = Plan.build(Profile.QUICK, List.of("scaling"), List.of("squares"), Backends.names(), 2,
                List.of(1, 2), List.of());
        for (JmhInvocation i : plan.invocations) {
            assertEquals(List.of("squares"), i.params().get("workload"), i.describe());
            assertTrue(!i.params().get("workers").equals(List.of("4")), i.describe());
        }
    }

    @Test
    void theEstimateCountsTheSetUpWarmUpOfPoolsThatJmhDoesNotSee() {
        Plan plan = Plan.build(Profile.QUICK, List.of("scaling", "granularity"), Workloads.NAMES, Backends.names(), 2,
                List.of(1, 2), List.of());
        JmhInvocation size = plan.invocations.stream().filter(i -> i.benchmark().endsWith("factorial$")).findFirst()
                .orElseThrow();
        assertEquals(20.0, JmhLauncher.setUpWarmUpSeconds(size), 1e-9, "thread-pool and process-pool, 10 s each");
        JmhInvocation factorial = plan.invocations.stream().filter(i -> i.cores() == 2
                && List.of("factorial").equals(i.params().get("workload"))
                && i.params().get("workers").equals(List.of("2"))
                && i.params().get("backend").get(0).contains("process-pool")).findFirst().orElseThrow();
        assertEquals(20.0, JmhLauncher.setUpWarmUpSeconds(factorial), 1e-9,
                "only the process pools warm for 10 s: at 2 cores and at 1");
        JmhInvocation sequential = Plan.build(Profile.FULL, List.of("scaling"), List.of("squares"),
                List.of("sequential"), 2, List.of(1, 2), List.of()).invocations.get(0);
        assertEquals(List.of("sequential"), sequential.params().get("backend"));
        assertEquals(0.0, JmhLauncher.setUpWarmUpSeconds(sequential), 1e-9);
        assertTrue(JmhLauncher.estimateSeconds(Profile.QUICK, size)
                > size.points() * Profile.QUICK.secondsPerPoint(size) + 20);
    }

    @Test
    void coresGivenDescendingPlanTheSameRunAndLabelTheSameAsAscending() {
        // --cores 2,1 once labelled the overhead rows with 1 core (the last given) while they ran on 2
        List<String> families = Plan.FAMILIES;
        for (Profile profile : Profile.values()) {
            Plan ascending = Plan.build(profile, families, Workloads.NAMES, Backends.names(), 2, List.of(1, 2),
                    List.of());
            Plan descending = Plan.build(profile, families, Workloads.NAMES, Backends.names(), 2, List.of(2, 1),
                    List.of());
            Plan repeated = Plan.build(profile, families, Workloads.NAMES, Backends.names(), 2, List.of(2, 1, 2),
                    List.of());
            for (Plan p : List.of(descending, repeated)) {
                assertEquals(2, p.topCores(), profile.id());
                assertEquals(ascending.invocations, p.invocations, profile.id());
                assertEquals(ascending.probes, p.probes, profile.id());
                assertEquals(ascending.skipped, p.skipped, profile.id());
            }
            assertTrue(descending.invocations.stream().filter(i -> i.family().equals("overhead"))
                    .allMatch(i -> i.cores() == 2), profile.id() + ": overhead runs at the top core count");
            ResultRow overhead = ResultRow.builder().family("overhead").benchmark("roundTrip").build();
            assertEquals(2, RunCommand.withCores(List.of(overhead), descending).get(0).cores(),
                    "an overhead row is labelled with the top core count, not the last one given");
            assertEquals(RunCommand.withCores(List.of(overhead), ascending),
                    RunCommand.withCores(List.of(overhead), descending));
        }
        assertEquals(List.of(1, 2, 4), Plan.ascending(List.of(4, 1, 2, 1)));
        assertEquals(4, Plan.topCores(List.of(4, 1, 2), 8));
        assertEquals(8, Plan.topCores(List.of(), 8), "no core counts: the machine's");
    }
}
