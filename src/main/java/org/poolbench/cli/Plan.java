package org.poolbench.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.poolbench.results.Alternation;
import org.poolbench.results.JmhJson;
import org.poolbench.results.ResultRow;

/**
 * What a run measures: the JMH invocations of each family, the resource probes, and the points left out by design
 * (recorded as {@code skipped} rows, so a reader sees them missing on purpose).
 *
 * <p>Scaling pins each invocation to k cores and uses k workers (as many workers as cores), and at the machine's
 * full core count also 2k workers (for thread-pool, virtual-threads and process-pool in {@code quick}; 2k and 4k for
 * every backend in {@code full}), so oversubscription shows. {@code sequential} runs with
 * one worker at each core count: its flat line checks that pinning changes nothing but the cores. The other families
 * run at the machine's full core count.
 *
 * <p>Before scaling, the {@code ceiling} family measures what the machine itself gives: at each core count k, one
 * thread and k threads of a spin loop with no allocation ({@code CeilingBenchmark}), so a chart can show the
 * machine's limit beside the ideal line.
 */
final class Plan {

    /** The families a run can measure, in the order they run: the registry's ({@link Family}). */
    static final List<String> FAMILIES = Family.names();

    /**
     * The teaching material's other half (shared state, messages): the families smoke and full run by default and
     * quick only when asked for ({@link Family#byDefault}).
     */
    static final List<String> LESSONS = Arrays.stream(Family.values())
            .filter(f -> f.byDefault(Profile.SMOKE) && !f.byDefault(Profile.QUICK)).map(Family::id).toList();

    /**
     * The families a profile runs when {@code --families} is not given ({@link Family#byDefault}). quick leaves out
     * {@link #LESSONS} so that the run with every claim's figures stays under half an hour on 2 cores (CPython
     * included); {@code ./run-bench.sh quick --families sync,ipc} measures them at quick's precision. {@code cluster}
     * starts member JVMs for every point and runs only when named ({@code --families cluster}), in every profile.
     */
    static List<String> defaultFamilies(Profile profile) {
        return Arrays.stream(Family.values()).filter(f -> f.byDefault(profile)).map(Family::id).toList();
    }

    /**
     * Measured iterations for points whose jobs take seconds ({@code process-per-task} in scaling: a JVM per chunk;
     * downloads one or four at a time in io):
     * the profile's count would take minutes per point. Their error bars are wider for it.
     */
    static final int SLOW_ITERATIONS = 8;

    /** The most worker JVMs the io family starts: each is a whole JVM (tens of MB), and 2 cores cannot use more. */
    static final int IO_PROCESS_CAP = 16;

    final List<JmhInvocation> invocations = new ArrayList<>();
    /** Resource probes: {workload, backend, workers}. */
    final List<List<String>> probes = new ArrayList<>();
    /** Points left out by design; {@code runId} is filled in by the run. */
    final List<ResultRow> skipped = new ArrayList<>();
    /** The most cores any point is pinned to: see {@link #topCores(List, int)}. */
    private int topCores;

    private Plan() {
    }

    /**
     * Core counts as a plan measures them: ascending, each once, whatever order {@code --cores} gave them in (so that
     * {@code --cores 2,1} and {@code --cores 1,2} plan the same run).
     */
    static List<Integer> ascending(List<Integer> coreCounts) {
        return coreCounts.stream().distinct().sorted().toList();
    }

    /**
     * The top core count: the largest of {@code coreCounts} (not the last given), or {@code cpus} when there is none.
     * The one place it is derived: the families measured at full cores, the cluster's member count, and the cores
     * the overhead rows (which have no cores parameter) are labelled with all take it from {@link #topCores()}.
     */
    static int topCores(List<Integer> coreCounts, int cpus) {
        return coreCounts.stream().mapToInt(Integer::intValue).max().orElse(cpus);
    }

    /** This plan's top core count ({@link #topCores(List, int)} of the core counts it was built with). */
    int topCores() {
        return topCores;
    }

    /**
     * @param cpus the machine's CPUs (the top of every curve)
     * @param coreCounts core counts for the scaling family
     * @param workersOverride worker counts to use at every core count instead of k (and 2k, 4k), or empty
     */
    static Plan build(Profile profile, List<String> families, List<String> workloads, List<String> backends,
            int cpus, List<Integer> coreCounts, List<Integer> workersOverride) {
        return build(profile, families, workloads, backends, cpus, coreCounts, workersOverride, true);
    }

    /**
     * @param alternate measure sequential's core counts in one JVM that switches its CPU mask between iterations
     *                  (false with {@code --jvm-defaults}, whose JVMs size themselves by the CPUs they start on)
     */
    static Plan build(Profile profile, List<String> families, List<String> workloads, List<String> backends,
            int cpus, List<Integer> coreCounts, List<Integer> workersOverride, boolean alternate) {
        Plan plan = new Plan();
        coreCounts = ascending(coreCounts);
        plan.topCores = topCores(coreCounts, cpus);
        int top = plan.topCores;
        // the cluster backend is measured by its own family (ClusterPlan), which is given the backends as requested;
        // process-pool-shm only where the transport is what is measured: the transport family and, beside it,
        // granularity's crossover
        List<String> requested = families.contains("transport") ? backends : without(backends, "process-pool-shm");
        Request q = new Request(profile, workloads, without(without(requested, "cluster"), "process-pool-shm"),
                requested, coreCounts, top,
                workersOverride, alternate);
        for (Family f : Family.values()) {
            if (families.contains(f.id())) {
                f.plan(plan, q);
            }
        }
        return plan;
    }

    /**
     * What a family's part of the plan is planned from.
     *
     * @param backends the backends asked for, without {@code cluster}
     * @param requested the backends as asked for (the cluster family's)
     * @param top the most cores of the run (every family but scaling and ceiling runs there)
     */
    record Request(Profile profile, List<String> workloads, List<String> backends, List<String> requested,
            List<Integer> coreCounts, int top, List<Integer> workersOverride, boolean alternate) {
    }

    /**
     * The ceiling family: at each core count k, the spin loop on one thread and on k, taking turns in one JVM
     * ({@code alternateWorkers=1/k}) so that their ratio divides neighbouring iterations. When the run has 1 core and
     * more, the JVM of the most cores runs the one thread's turns on the fastest single CPU ({@code alternateCores=1/k}),
     * as sequential's 1-core turns run beside the full-core points, and no JVM of its own measures 1 core.
     */
    void ceiling(Request q) {
        int top = q.top();
        boolean oneBesideTop = top > 1 && q.coreCounts().contains(1) && q.coreCounts().contains(top);
        for (int k : q.coreCounts()) {
            JmhInvocation inv = new JmhInvocation("ceiling", "\\.CeilingBenchmark\\.", k,
                    params("workers", List.of(k), "cores", List.of(k)));
            String threads = "1" + Alternation.SEPARATOR + k;
            if (k == 1 && oneBesideTop) {
                continue; // its turns run in the JVM of the most cores
            } else if (k == top && oneBesideTop) {
                invocations.add(alternating(q.profile(), inv, Map.of(Alternation.WORKERS, threads, Alternation.CORES,
                        threads), 2));
            } else {
                invocations.add(k == 1 ? inv : alternating(q.profile(), inv, Alternation.WORKERS, List.of("1", "" + k)));
            }
        }
    }

    /** The scaling family (see the class comment). */
    void scaling(Request q) {
        scaling(q.profile(), q.workloads(), q.backends(), q.coreCounts(), q.workersOverride(), q.alternate());
    }

    /** The creation family: six methods; only the two pool methods take the workers parameter. */
    void creation(Request q) {
        int top = q.top();
        List<Integer> sizes = q.workersOverride().isEmpty()
                ? (q.profile() == Profile.SMOKE || top == 1 ? List.of(top) : List.of(1, top)) : q.workersOverride();
        invocations.add(new JmhInvocation("creation", "\\.CreationBenchmark\\.", top,
                params("cores", List.of(top), "workers", sizes), 4 / sizes.size() + 2));
    }

    /** The granularity family: the task size sweep (factorial) and the chunk size sweep (squares). */
    void granularity(Request q) {
        granularity(q.profile(), q.workloads(), without(q.requested(), "cluster"), q.top(), q.workersOverride());
    }

    /** The io family, when the download workload is asked for. */
    void io(Request q) {
        if (q.workloads().contains("download")) {
            io(q.profile(), q.backends(), q.top());
        }
    }

    /** The overhead family, when process-pool is asked for. */
    void overhead(Request q) {
        if (!q.backends().contains("process-pool")) {
            return;
        }
        int top = q.top();
        if (q.profile() == Profile.SMOKE) { // the two round trips only: start-up is in creation, map in scaling
            invocations.add(new JmhInvocation("overhead", "\\.OverheadBenchmark\\.(roundTrip|pipeFloor)$",
                    top, params()));
        } else {
            // The round trip and its floors back to back, in an invocation of their own: JMH runs methods in
            // name order, and the start-up points between them put them half a minute apart on a machine whose
            // speed moves in phases of seconds (METHODOLOGY.md, "Blocking").
            invocations.add(new JmhInvocation("overhead",
                    "\\.OverheadBenchmark\\.(pipeFloor|pipeFloorYielding|roundTrip)$", top, params(), 3));
            // quick: the pool of the run's size only (its first results against one JVM's start are what the
            // report compares); full adds a pool of one worker
            List<Integer> sizes = top == 1 || q.profile() == Profile.QUICK ? List.of(top) : List.of(1, top);
            invocations.add(new JmhInvocation("overhead",
                    "\\.OverheadBenchmark\\.(mapSquares|jvmStartup|poolStartup|poolFirstResults)$", top,
                    params("workers", sizes), (1 + 4 * sizes.size() - 1) / sizes.size())); // mapSquares + 3 per size, rounded up
        }
    }

    /**
     * The transport family, when a process pool is asked for: the pool over pipes against the pool over shared
     * memory (TransportBenchmark), each figure with its floor in the same JVM (the pipe floor beside the round
     * trips, one JVM's start beside the first results). The crossover is the granularity family's, whose factorial
     * sizes then include process-pool-shm.
     */
    void transport(Request q) {
        if (!q.requested().contains("process-pool") && !q.requested().contains("process-pool-shm")) {
            return;
        }
        int top = q.top();
        List<String> both = List.of("pipe", "shared-memory");
        boolean smoke = q.profile() == Profile.SMOKE;
        invocations.add(new JmhInvocation("transport", smoke
                ? "\\.TransportBenchmark\\.(pipeFloor|roundTrip)$"
                : "\\.TransportBenchmark\\.(pipeFloor|roundTrip|mapSquares)$",
                top, params("transport", both), smoke ? 2 : 3));
        if (!smoke) {
            // the scaling family's factorial job at full cores, the pool over pipes and over shared memory taking
            // turns in one JVM: a difference of a few per cent is the figure, and blocks of their own put the
            // machine's phases between the two (in one run 0.89x with blocks, from drift alone)
            JmhInvocation factorial = new JmhInvocation("transport", "\\.ScalingBenchmark\\.", top,
                    params("workload", List.of("factorial"), "backend", List.of("process-pool", "process-pool-shm"),
                            "workers", List.of(top), "cores", List.of(top), JmhJson.FAMILY, List.of("transport")))
                    .withIterationMillis(ONE_JOB_ITERATION_MILLIS);
            if (q.profile() == Profile.QUICK) {
                factorial = factorial.withIterations(0, PRECISE_ITERATIONS);
            }
            invocations.add(alternating(q.profile(), factorial));
        }
        if (!smoke) {
            invocations.add(new JmhInvocation("transport",
                    "\\.TransportBenchmark\\.(firstResults|jvmStartup)$", top,
                    params("transport", both, "workers", top == 1 ? List.of(1) : List.of(1, top)), 2)
                    .expecting(0.15));
        }
        // one measured iteration: JMH sums @AuxCounters events over the iterations, and idleCpu is a share of one
        invocations.add(new JmhInvocation("transport", "\\.TransportBenchmark\\.idle$", top,
                params("transport", both, "idleMillis", List.of(smoke ? 1_000 : 10_000))).withIterations(1, 1));
    }

    /**
     * The resource family's probes (not JMH): every backend on the first workload; sequential, thread-pool and
     * process-pool on the others (smoke: those three on the first workload only).
     */
    void resource(Request q) {
        List<String> workloads = q.workloads();
        List<String> three = only(q.backends(), "sequential", "thread-pool", "process-pool");
        for (int w = 0; w < workloads.size() && (w == 0 || q.profile() != Profile.SMOKE); w++) {
            for (String b : w == 0 && q.profile() != Profile.SMOKE ? q.backends() : three) {
                probes.add(List.of(workloads.get(w), b, String.valueOf(b.equals("sequential") ? 1 : q.top())));
            }
        }
    }

    /** The cluster family ({@link ClusterPlan}). */
    void cluster(Request q) {
        ClusterPlan.add(this, q.profile(), q.workloads(), q.requested(), q.coreCounts());
    }

    private void scaling(Profile profile, List<String> workloads, List<String> backends, List<Integer> coreCounts,
            List<Integer> workersOverride, boolean alternate) {
        int top = topCores;
        // process-per-task starts a JVM per chunk: seconds per job, so it runs apart with fewer iterations
        List<String> parallel = without(without(backends, "sequential"), "process-per-task");
        boolean perTask = backends.contains("process-per-task");
        // Sequential at every core count first, back to back: "k cores change nothing for sequential code" is
        // checked between these invocations, and on a shared machine whose speed drifts over minutes, points measured
        // minutes apart differ for that reason alone (blocking, as in any experiment: what is compared is measured
        // together).
        // Better still, one JVM measures them all, switching its CPU mask between iterations, so that every phase of
        // the machine falls on every core count (ScalingBenchmark; their blocks of 20 s each used to set the ratio).
        // Best of all, sequential's turns share the JVM of the full-core points its 1-core time divides, so the
        // headline speedups are ratios of neighbouring iterations too (a baseline in a JVM of its own once fell in a
        // stretch 1.4x slower than the pools' minutes later); not in full, whose full-core points have three worker
        // counts, each a JVM of its own.
        List<Integer> beside = alternate && coreCounts.size() > 1 && backends.contains("sequential")
                && !parallel.isEmpty() && workersOverride.isEmpty() && profile != Profile.FULL ? coreCounts : List.of();
        // And every other point divided by sequential's 1-core time, or checked against it, takes its turns there
        // too: the one-worker pools at 1 core (the check "a one-worker pool against sequential at 1 core"). In JVMs of
        // their own, a phase of the machine 1.2x faster than sequential's put a one-worker pool at 0.87 of sequential
        // and 4 threads on 2 cores at 2.39x, above the machine's ceiling of 1.94x (docs/METHODOLOGY.md, "Sequential
        // at one core against two").
        boolean merged = !beside.isEmpty() && top > 1 && coreCounts.contains(1);
        Function<String, List<String>> ownTurns = w -> {
            List<String> own = new ArrayList<>();
            if (merged) {
                oneCore(profile, w, parallel).forEach(b -> own.add(Alternation.entry(b, 1, 1)));
            }
            return own;
        };
        if (backends.contains("sequential") && beside.isEmpty()) {
            for (String w : workloads) {
                if (alternate && coreCounts.size() > 1) {
                    int before = invocations.size();
                    scalingRun(profile, List.of(w), List.of("sequential"), List.of(1), top, true);
                    invocations.add(alternating(profile, invocations.remove(before), Alternation.CORES,
                            coreCounts.stream().map(String::valueOf).toList()));
                } else {
                    for (int k : coreCounts) {
                        scalingRun(profile, List.of(w), List.of("sequential"), List.of(1), k, true);
                    }
                }
            }
        }
        for (int k : coreCounts) {
            if (!workersOverride.isEmpty() || k != top || profile == Profile.SMOKE) {
                List<Integer> workers = workersOverride.isEmpty() ? List.of(k) : workersOverride;
                boolean quickOneCore = profile == Profile.QUICK && k == 1 && k != top && workersOverride.isEmpty();
                if (quickOneCore) {
                    for (String w : workloads) {
                        for (String b : parallel) {
                            if (!oneCore(profile, w, parallel).contains(b)) {
                                skip("scaling", "job", w, b, k, k, "quick measures one worker at 1 core only where "
                                        + "the run checks it (factorial through thread-pool and process-pool "
                                        + "against sequential); full measures every backend at every core count");
                            }
                        }
                    }
                }
                if (k == top) {
                    scalingRun(profile, workloads, parallel, workers, k, true, beside, ownTurns);
                } else if (quickOneCore && !merged) {
                    for (String w : workloads) {
                        scalingRun(profile, List.of(w), oneCore(profile, w, parallel), workers, k, false);
                    }
                } else if (!(merged && k == 1)) { // merged: the 1-core points took their turns at the top
                    scalingRun(profile, workloads, parallel, workers, k, false);
                }
                if (perTask && profile == Profile.QUICK && k != top && workersOverride.isEmpty()) {
                    // a JVM per chunk: seconds per job; its speedup is taken against sequential at 1 core anyway
                    for (String w : workloads) {
                        skip("scaling", "job", w, "process-per-task", k, k, "quick measures process-per-task at "
                                + "full cores only (a JVM per chunk: seconds per job, to keep quick within 25 "
                                + "minutes); full measures every core count");
                    }
                } else {
                    scalingRun(profile, workloads, perTask ? List.of("process-per-task") : List.of(), workers, k,
                            k == top);
                }
            } else if (profile == Profile.FULL) {
                List<Integer> workers = List.of(k, 2 * k, 4 * k);
                scalingRun(profile, workloads, parallel, workers, k, k == top);
                scalingRun(profile, workloads, perTask ? List.of("process-per-task") : List.of(), workers, k, k == top);
            } else {
                // quick: k workers on k cores; full oversubscribes (2k and 4k workers). With twice the workers,
                // quick runs' factorial took 0.93-0.99 x the time and squares 0.83-0.99 x; download's half is what
                // the io family's concurrency levels show
                scalingRun(profile, workloads, parallel, List.of(k), k, true, beside, ownTurns);
                scalingRun(profile, workloads, perTask ? List.of("process-per-task") : List.of(), List.of(k), k,
                        true);
                for (String w : workloads) {
                    for (String b : only(parallel, "thread-pool", "virtual-threads", "process-pool")) {
                        skip("scaling", "job", w, b, k, 2 * k, "quick measures k workers on k cores; full "
                                + "oversubscribes every backend (2k and 4k workers), and the io family measures "
                                + "downloads at many concurrency levels");
                    }
                }
            }
        }
    }

    /**
     * The backends measured with one worker at 1 core for {@code workload}: every parallel one, except in quick, which
     * measures only those the run's check "a one-worker pool against sequential at 1 core" rests on (factorial through
     * thread-pool and process-pool); a pool of one worker on one core runs its tasks one after another, so the other
     * 1-core points add little that full does not measure.
     */
    static List<String> oneCore(Profile profile, String workload, List<String> parallel) {
        if (profile != Profile.QUICK) {
            return parallel;
        }
        return workload.equals("factorial") ? only(parallel, "thread-pool", "process-pool") : List.of();
    }

    /**
     * Scaling invocations pinned to {@code k} cores, unless {@code backends} is empty: one for a single backend, else
     * one per workload, whose backends take turns iteration by iteration in one JVM.
     *
     * <p>{@code precise}: a point the verdicts rest on (every backend at full cores, sequential at every core count),
     * which quick measures with {@link #PRECISE_ITERATIONS}; quick's other points get {@link #INNER_ITERATIONS}.
     */
    private void scalingRun(Profile profile, List<String> workloads, List<String> backends, List<Integer> workers,
            int k, boolean precise) {
        scalingRun(profile, workloads, backends, workers, k, precise, List.of(), w -> List.of());
    }

    /**
     * As above; with {@code sequentialAt} (core counts), sequential joins the backends' JVM and takes its turns at
     * each of those counts ({@code alternateCores}, {@code Alternation.turns}), and so do the entries
     * {@code ownTurns} gives for the workload, each a backend with its own cores and workers
     * ({@code thread-pool@1:1}, {@code Alternation.entry}).
     */
    private void scalingRun(Profile profile, List<String> workloads, List<String> backends, List<Integer> workers,
            int k, boolean precise, List<Integer> sequentialAt, Function<String, List<String>> ownTurns) {
        if (backends.isEmpty() || workloads.isEmpty()) {
            return;
        }
        if (workloads.size() > 1) { // a JVM per workload: each gets its own settings (JvmSettings.YOUNG_BY_WORKLOAD)
            for (String w : workloads) {
                scalingRun(profile, List.of(w), backends, workers, k, precise, sequentialAt, ownTurns);
            }
            return;
        }
        List<String> own = sequentialAt.isEmpty() ? List.of() : ownTurns.apply(workloads.get(0));
        double opSeconds = meanJobSeconds(workloads, backends, workers, k) * backends.size();
        for (String entry : own) {
            Alternation.Turn t = Alternation.turn(entry, k);
            opSeconds += meanJobSeconds(workloads, List.of(t.backend()), List.of(t.workers()), t.cores());
        }
        JmhInvocation inv = new JmhInvocation("scaling", "\\.ScalingBenchmark\\.", k,
                params("workload", workloads, "backend", backends, "workers", workers, "cores", List.of(k)))
                .expecting(opSeconds / (backends.size() + own.size()));
        if (backends.contains("process-per-task") && profile == Profile.QUICK
                && !workloads.contains("download")) {
            // a JVM per chunk, seconds per job, one job per iteration: with 8 iterations in one fork, Student's t of
            // 5.4 made half-widths of 12-18 % of the mean (three quick runs), with the profile's 15, 4.1
            inv = inv.withIterations(1, profile.iterations);
        } else if (backends.contains("process-per-task") || (workloads.equals(List.of("download")) && profile
                != Profile.SMOKE)) {
            // process-per-task: seconds per job; download: a job of waits fills each iteration alone and its
            // iterations agree within a few percent, so fewer of them are enough
            inv = slow(inv, profile);
        } else if (workloads.equals(List.of("squares"))) {
            // a job of a few ms whose one or two young collections per 0.2 s iteration take 0.4-40 ms each: longer
            // iterations average them (docs/METHODOLOGY.md, "Job sizing")
            inv = inv.withIterationMillis(Math.max(SHORT_JOB_ITERATION_MILLIS, profile.iterationMillis));
        } else if (profile == Profile.QUICK && workloads.equals(List.of("factorial"))) {
            // jobs of 0.15-0.4 s: one per iteration, as the slowest backends' are anyway (a 0.2 s iteration gave
            // the faster ones two jobs every other iteration: a tenth of the run's scaling time for the same count)
            inv = inv.withIterationMillis(ONE_JOB_ITERATION_MILLIS);
        }
        if (profile == Profile.QUICK && inv.iterations() == 0) {
            // factorial and squares: on a machine whose speed moves by a fifth in phases of seconds, 15 iterations
            // leave a 99.9 % interval of about 1.07 standard deviations, 30 leave 0.67, 45 leave 0.53
            // (docs/METHODOLOGY.md, "Every timing is JMH's": taking turns, a point's iterations see its invocation's
            // phases, and with 30 many full-core points sat at 10-12 %); the points between 1 core and full cores
            // draw the curve and get fewer
            inv = inv.withIterations(0, precise ? PRECISE_ITERATIONS
                    : k == 1 && workloads.equals(List.of("factorial")) ? ONE_CORE_ITERATIONS : INNER_ITERATIONS);
        }
        // the backends compared take turns in one JVM, so that no phase of the machine falls on one of them alone
        if (sequentialAt.isEmpty()) {
            invocations.add(alternating(profile, inv));
            return;
        }
        List<String> all = new ArrayList<>(List.of("sequential"));
        all.addAll(backends);
        all.addAll(own);
        invocations.add(alternating(profile, inv, Map.of("backend", String.join(Alternation.SEPARATOR, all),
                Alternation.CORES, String.join(Alternation.SEPARATOR, sequentialAt.stream().map(String::valueOf)
                        .toList())), sequentialAt.size() + backends.size() + own.size()));
    }

    /** Quick's measured iterations for scaling's full-core and sequential points (factorial, squares). */
    static final int PRECISE_ITERATIONS = 45;

    /** Quick's measured iterations for scaling's points below full cores (factorial, squares), sequential apart. */
    static final int INNER_ITERATIONS = 8;

    /**
     * Quick's measured iterations for factorial's one-worker pools at 1 core, which the run's check "a one-worker pool
     * against sequential at 1 core" rests on: a 1-core iteration lands in a slow stretch of its vCPU now and then
     * (270 against 390 ms), and with 8 iterations one such landing moved the ratio by 0.15.
     */
    static final int ONE_CORE_ITERATIONS = 30;

    /** Measured iteration length for the squares job in scaling (never below the profile's own). */
    static final int SHORT_JOB_ITERATION_MILLIS = 500;

    /** Measured iteration length that ends every iteration after its first job (JMH runs at least one). */
    static final int ONE_JOB_ITERATION_MILLIS = 1;

    /** {@code inv} with one warm-up iteration and {@link #SLOW_ITERATIONS} (at most the profile's) measured. */
    private static JmhInvocation slow(JmhInvocation inv, Profile profile) {
        return inv.withIterations(1, Math.min(SLOW_ITERATIONS, profile.iterations));
    }

    /**
     * Rough seconds per scaling job on a 2020s core, for the estimate only: one core's time of each workload and
     * backend (from a reference run), divided by the parallelism it can use (CPU-bound work by min(cores, workers),
     * waiting downloads by workers).
     */
    static double meanJobSeconds(List<String> workloads, List<String> backends, List<Integer> workers, int k) {
        double sum = 0;
        int n = 0;
        for (String w : workloads) {
            for (String b : backends) {
                for (int c : workers) {
                    int parallel = b.equals("sequential") ? 1 : w.equals("download") ? c : Math.min(c, k);
                    double one = switch (w) {
                        case "factorial" -> b.equals("process-per-task") ? 3.4 : 0.42;
                        case "squares" -> b.equals("process-per-task") ? 1.1 : 0.02;
                        default -> b.equals("process-per-task") ? 1.8 : 0.75;
                    };
                    // squares is bound by memory and pipes more than by cores: no division
                    sum += w.equals("squares") ? one : one / Math.max(1, Math.min(parallel, 32));
                    n++;
                }
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    private void granularity(Profile profile, List<String> workloads, List<String> backends, int top,
            List<Integer> workersOverride) {
        List<Integer> workers = workersOverride.isEmpty() ? List.of(top) : workersOverride;
        List<String> chosen = only(backends, "sequential", "thread-pool", "process-pool", "process-pool-shm");
        if (workloads.contains("factorial") && !chosen.isEmpty()) {
            // quick: the sizes around the crossovers (each size's parallel backends warm for 10 s, see
            // GranularityBenchmark); 10000! and 30000!, where pools are far ahead, only in full; 100!, where pools
            // over pipes are far behind, in quick only beside the pool over shared memory, whose crossover lies
            // lower, and so are 600! and 1500!, which halve the steps in which the two transports' crossovers lie
            // (the transport family compares them); smoke one size, a check that the family runs
            List<Integer> sizes = switch (profile) {
                case SMOKE -> List.of(3_000);
                case QUICK -> chosen.contains("process-pool-shm") ? List.of(100, 300, 600, 1_000, 1_500, 2_000, 3_000)
                        : List.of(300, 1_000, 2_000, 3_000);
                case FULL -> chosen.contains("process-pool-shm")
                        ? List.of(100, 300, 600, 1_000, 1_500, 2_000, 3_000, 10_000, 30_000)
                        : List.of(100, 300, 1_000, 2_000, 3_000, 10_000, 30_000);
            };
            // one invocation for every size, its backends taking turns iteration by iteration in one JVM, size by
            // size (GranularityBenchmark): the crossover compares them, and on a machine whose speed moves in phases
            // of seconds (docs/METHODOLOGY.md, "Blocking") a block of time each would put a phase between them; one
            // JVM also warms the pools once, not once per size
            JmhInvocation inv = new JmhInvocation("granularity", "\\.GranularityBenchmark\\.factorial$", top,
                    params("backend", chosen, "workers", workers, "cores", List.of(top), "taskSize", sizes))
                    .expecting(0.12); // 20-300 ms per job
            int points = chosen.size() * sizes.size();
            invocations.add(points < 2 ? inv : alternating(profile, inv, Map.of("backend",
                    String.join(Alternation.SEPARATOR, chosen), Alternation.TASK_SIZE,
                    String.join(Alternation.SEPARATOR, sizes.stream().map(String::valueOf).toList())), points));
            if (backends.contains("process-per-task")) {
                skip("granularity", "factorial", "factorial", "process-per-task", top, top,
                        "one JVM per task: the 16384 smallest tasks would take minutes per job; see METHODOLOGY.md");
            }
        }
        List<String> chunked = without(chosen, "sequential");
        if (workloads.contains("squares") && !chunked.isEmpty()) {
            List<Integer> chunks = profile == Profile.SMOKE ? List.of(10, 1_000) : List.of(1, 10, 100, 1_000, 10_000);
            invocations.add(alternating(profile, new JmhInvocation("granularity",
                    "\\.GranularityBenchmark\\.squaresChunks$", top,
                    params("backend", chunked, "workers", workers, "cores", List.of(top), "chunksize", chunks))));
        }
    }

    /**
     * {@code inv} with its backends taking turns in one JVM ({@code backend=a/b/c}), and as many iterations as they
     * would have had each in a block of their own.
     */
    private static JmhInvocation alternating(Profile profile, JmhInvocation inv) {
        List<String> backends = inv.params().get("backend");
        if (backends.size() < 2) {
            return inv;
        }
        return alternating(profile, inv, "backend", backends.stream().map(String::valueOf).toList());
    }

    /**
     * {@code inv} with {@code param} set to {@code values} joined by '/', and its warm-up and measured iterations times
     * their number: each value gets the iterations a point of its own would have had.
     */
    private static JmhInvocation alternating(Profile profile, JmhInvocation inv, String param, List<String> values) {
        return alternating(profile, inv, Map.of(param, String.join(Alternation.SEPARATOR, values)), values.size());
    }

    /** {@code inv} with {@code set} params replaced, and its warm-up and measured iterations times {@code points}. */
    private static JmhInvocation alternating(Profile profile, JmhInvocation inv, Map<String, String> set, int points) {
        Map<String, List<String>> params = new LinkedHashMap<>(inv.params());
        set.forEach((k, v) -> params.put(k, List.of(v)));
        return new JmhInvocation(inv.family(), inv.benchmark(), inv.cores(), params, inv.methods(), inv.opSeconds(),
                profile.warmupIterations(inv) * points, profile.measuredIterations(inv) * points,
                inv.iterationMillis());
    }

    private void io(Profile profile, List<String> backends, int top) {
        List<Integer> concurrency = profile == Profile.SMOKE ? List.of(1, 16) : List.of(1, 4, 16, 64, 256);
        // smoke: 32 files instead of 128, so the one-at-a-time point takes under a second per job
        List<Integer> files = profile == Profile.SMOKE ? List.of(32) : List.of(128);
        int most = concurrency.get(concurrency.size() - 1);
        List<String> threads = only(backends, "thread-pool", "virtual-threads");
        // quick starts at 4: one download at a time is files x latency on every backend (2.6 s a job), and the
        // scaling family's sequential download is one at a time
        if (profile == Profile.QUICK) {
            for (String b : only(backends, "thread-pool", "virtual-threads", "process-pool")) {
                skip("io", "download", "download", b, top, 1, "quick starts io at concurrency 4: one download at a "
                        + "time is files x latency on every backend (scaling's sequential download shows it); full "
                        + "measures it");
            }
            concurrency = concurrency.subList(1, concurrency.size());
        }
        if (!threads.isEmpty()) {
            ioRuns(profile, threads, concurrency, top, files);
            // the server's own ceiling: no latency, the most concurrency
            invocations.add(new JmhInvocation("io", "\\.IoBenchmark\\.", top,
                    params("backend", threads.subList(0, 1), "workers", List.of(most), "cores", List.of(top),
                            "latencyMs", List.of(0), "tasks", files)));
        }
        if (backends.contains("process-pool")) {
            List<Integer> capped = concurrency.stream().filter(c -> c <= IO_PROCESS_CAP).toList();
            ioRuns(profile, List.of("process-pool"), capped, top, files);
            for (int c : concurrency) {
                if (c > IO_PROCESS_CAP) {
                    skip("io", "download", "download", "process-pool", top, c, "capped at " + IO_PROCESS_CAP
                            + " worker JVMs: " + c + " JVMs would cost gigabytes of memory; see METHODOLOGY.md");
                }
            }
        }
        if (backends.contains("process-per-task")) {
            skip("io", "download", "download", "process-per-task", top, null,
                    "one JVM per file: 128 JVM starts per job measure start-up, not I/O (the creation family does)");
        }
    }

    /**
     * io invocations of {@code backends} at each concurrency: those whose jobs take most of a second or more (fewer
     * than 16 at once: 128 files × 20 ms / c) with {@link #slow} iterations, the others with the profile's.
     */
    private void ioRuns(Profile profile, List<String> backends, List<Integer> concurrency, int top,
            List<Integer> files) {
        List<Integer> slowOnes = concurrency.stream().filter(c -> c < 16 && profile != Profile.SMOKE).toList();
        List<Integer> fast = concurrency.stream().filter(c -> !slowOnes.contains(c)).toList();
        if (!slowOnes.isEmpty()) {
            invocations.add(slow(new JmhInvocation("io", "\\.IoBenchmark\\.", top,
                    params("backend", backends, "workers", slowOnes, "cores", List.of(top), "tasks", files))
                    .expecting(ioJobSeconds(slowOnes, files.get(0))), profile));
        }
        if (!fast.isEmpty()) {
            invocations.add(new JmhInvocation("io", "\\.IoBenchmark\\.", top,
                    params("backend", backends, "workers", fast, "cores", List.of(top), "tasks", files))
                    .expecting(ioJobSeconds(fast, files.get(0))));
        }
    }

    /** Mean seconds per io job: ceil(files / c) rounds of a 20 ms answer (plus a little) at each concurrency c. */
    private static double ioJobSeconds(List<Integer> concurrency, int files) {
        return concurrency.stream().mapToDouble(c -> Math.ceil((double) files / c) * 0.023).average().orElse(0);
    }

    private void skip(String family, String benchmark, String workload, String backend, int cores, Integer workers,
            String why) {
        skipped.add(ResultRow.builder().family(family).benchmark(benchmark).workload(workload).backend(backend)
                .cores(cores).workers(workers).status(ResultRow.SKIPPED).note(why).build());
    }

    /** The total number of points the JMH runs give results.csv. */
    int points() {
        return invocations.stream().mapToInt(JmhInvocation::reportedPoints).sum();
    }

    private static List<String> without(List<String> list, String drop) {
        return list.stream().filter(s -> !s.equals(drop)).toList();
    }

    private static List<String> only(List<String> list, String... keep) {
        List<String> k = List.of(keep);
        return list.stream().filter(k::contains).toList();
    }

    /** Parameters from alternating names and value lists. */
    static Map<String, List<String>> params(Object... nameValues) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put((String) nameValues[i], ((List<?>) nameValues[i + 1]).stream().map(String::valueOf).toList());
        }
        return m;
    }
}
