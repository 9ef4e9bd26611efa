package org.poolbench.bench;

import java.util.List;
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
import org.poolbench.workload.DownloadServer;
import org.poolbench.workload.Workload;
import org.poolbench.workload.Workloads;

/**
 * Scaling: how much faster does a job get with more cores, for each workload and backend?
 *
 * <p>One operation is one whole job: 12 factorials of 50000!–70000!, a million squares, or 32 downloads. The job is
 * the same at every core count (strong scaling), so {@code speedup = T(sequential, 1 core) / T(backend, k cores)}.
 * "k cores" means the JMH run was pinned to k CPUs (run-bench.sh does that with taskset; the worker JVMs of the
 * process backends inherit the pin), not only that k workers were used: {@code cores} is checked in the set-up.
 * With fewer cores than the run has, each iteration moves the JVM and its workers to the k CPUs a probe found
 * fastest just before it ({@link FastestCpus}): the vCPUs of a virtual machine run at different speeds for minutes at
 * a time, sequential code at full cores runs on the fast one, and the 1-core baseline must not be slower than that.
 *
 * <p>What to expect: factorial scales on every backend but sequential, the process backends a little behind (JVM
 * start-up is amortized by the pool, not by process-per-task); squares does not scale on processes, where every
 * number crosses a pipe twice; download scales with concurrency even on one core, since its tasks mostly wait.
 *
 * <p>The backends compared at a core count take turns in one JVM, iteration by iteration
 * ({@code -p backend=thread-pool/process-pool}, as run-bench.sh passes them; {@link TakingTurns}), for the reason
 * sequential alternates its cores: blocks of time of their own would each get a phase of the machine.
 *
 * <p>The backend is created once per trial, outside the measurement: this family asks how well a running pool
 * spreads work, not what it costs to start one (that is the creation family). Two jobs run through it in the set-up,
 * so worker JVMs have compiled the task before JMH's own warm-up starts. Every job's results are checked against
 * the known answer after the invocation, outside the timed region, so a wrong backend fails the run instead of
 * looking fast.
 *
 * <p>Sequential code is measured at every core count in one JVM ({@code alternateCores=1/2}), which in quick and
 * smoke also holds the full-core points that sequential's 1-core time divides ({@code backend=sequential/thread-pool/…},
 * {@link Alternation#turns}): the JVM starts on all CPUs and its CPU mask is switched for each of sequential's
 * iterations, 1 core, 2 cores, then the other backends at 2 cores, then backward, the 1-core
 * iterations on the fastest CPU of the moment like every k-core point's, and at full cores the JVM on every CPU with
 * the job's thread and the stop-the-world VM Thread pinned to the fastest
 * ({@link FastestCpus#moveAllButPinThisThread}): a lone thread left free sits on the slow vCPU as often as on the fast
 * one, and the check would measure where it sat, not the cores. The one-worker pools at 1 core and quick's pools of 2k
 * workers join them as entries with their own cores and workers ({@code thread-pool@1:1},
 * {@code process-pool@2:4}, {@link Alternation#entry}): a 1-core entry's turn moves the JVM and its workers to the
 * fastest CPU, like sequential's. Measured in JVMs of
 * their own, the two points each got a block of 20 s, and on a machine whose speed moves in phases of seconds the
 * phase, not the cores, set their ratio (docs/METHODOLOGY.md, "Sequential at one core against two"). The JVM's
 * settings are fixed by flags (collector, heap, compiler threads), so nothing it sized at start differs from a JVM
 * started on one core. results.csv gets one point per core count, split from the iterations
 * ({@link Alternation}).
 *
 * <p>Run only this: {@code java -cp target/benchmarks.jar org.openjdk.jmh.Main ScalingBenchmark -p workload=factorial
 * -p backend=thread-pool -p workers=2}; or {@code ./run-bench.sh smoke --workloads factorial}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ScalingBenchmark {

    /** Jobs run through the backend in the set-up, before JMH's warm-up iterations. */
    static final int WARM_JOBS = 2;

    @Param({"factorial", "squares", "download"})
    public String workload;

    @Param({"sequential", "thread-pool", "fork-join", "virtual-threads", "thread-per-task", "process-pool",
            "process-per-task"})
    public String backend;

    /** Tasks that may run at once. */
    @Param({"1"})
    public int workers;

    /** CPUs this JVM may use; 0 skips the check. */
    @Param({"0"})
    public int cores;

    /**
     * Sequential's core counts to switch between, iteration by iteration, separated by '/' (e.g. {@code 1/2}); empty
     * keeps the mask the JVM started with. {@code backend} must name sequential, and may name others, which take their
     * turns at {@code cores} or at their own ({@code thread-pool@1:1}; {@link Alternation#turns}); {@code cores} must
     * be the largest count.
     */
    @Param({""})
    public String alternateCores;

    /** Tasks per unit of scheduling; 0 = CPython's rule ceil(n / (4 × workers)). */
    @Param({"0"})
    public int chunksize;

    /** Tasks per job; 0 = the workload's default. */
    @Param({"0"})
    public int tasks;

    /** Download only: the server's wait before each response. */
    @Param({"20"})
    public int latencyMs;

    /** Download only: the size of each file. */
    @Param({"65536"})
    public int fileBytes;

    /**
     * The family results.csv files these rows under: the transport family borrows this job to compare the pool over
     * pipes and over shared memory ({@link org.poolbench.results.JmhJson#FAMILY}).
     */
    @Param({"scaling"})
    public String family;

    private DownloadServer server;
    private Workload<Object, Object> job;
    private TakingTurns pools;
    private List<Object> last;
    /** Sequential's core counts alternated, in order; empty when not alternating them. */
    private List<Integer> counts = List.of();
    /** The points taken in turn (a backend at a core count), in order. */
    private List<Alternation.Turn> turns;
    private FastestCpus fastest;
    /** Whether turns switch the CPU mask: some run on fewer cores than {@link #cores}. */
    private boolean moves;

    @Setup(Level.Trial)
    public void setUp() {
        Cores.check(cores);
        fastest = FastestCpus.ofRun();
        counts = Alternation.cores(alternateCores);
        turns = Alternation.turns(backend, alternateCores, cores);
        moves = !counts.isEmpty() || turns.stream().anyMatch(t -> t.cores() != cores);
        if (moves) {
            int most = turns.stream().mapToInt(Alternation.Turn::cores).max().orElseThrow();
            int start = Affinity.current().size();
            if ((!counts.isEmpty() && !Alternation.backends(backend).contains(Alternation.SEQUENTIAL))
                    || most != start || most != cores || most > fastest.size()) {
                throw new IllegalArgumentException(Alternation.CORES + "=" + alternateCores + " and backend "
                        + backend + " take turns on several core counts: they need sequential in the list where "
                        + Alternation.CORES + " is set, cores=" + most + " and a JVM started on " + most
                        + " CPUs; got cores=" + cores + " on " + start + " (the run has " + fastest.size() + ")");
            }
        }
        server = Workloads.serverFor(workload, latencyMs, fileBytes);
        job = Workloads.create(workload, tasks, server);
        job.expected(); // computed now, not during the first measured job
        pools = new TakingTurns(backend, workers);
        // Warm each backend before JMH's warm-up: a process pool's workers are JVMs that each compile the task
        // themselves, and would otherwise spend the first measured iterations doing so.
        // Big factorials warm for longer: each worker C2-compiles BigInteger's multiplications itself (WarmUp); in
        // quick runs a pool of 4 workers on 2 cores was still getting faster after 3 s (694, 590,
        // 373, 270 ms per job over its first measured iterations).
        pools.forEach((name, pool) -> WarmUp.run(Alternation.backendOf(name), WARM_JOBS, "factorial".equals(workload)
                ? WarmUp.PROCESS_FACTORIAL_NANOS : WarmUp.PROCESS_NANOS,
                () -> job.verify(pool.map(job.task(), job.inputs(), chunksize))));
        // and the first collections, whose first touches of fresh heap pages would land in a measured iteration
        Backend first = pools.current();
        WarmUp.untilCollected(WarmUp.FIRST_COLLECTIONS, WarmUp.COLLECT_NANOS,
                () -> job.verify(first.map(job.task(), job.inputs(), chunksize)));
    }

    /**
     * This iteration's backend, when several take turns, and its core count, when alternating those; warm-up and
     * measured iterations each in their own order.
     */
    @Setup(Level.Iteration)
    public void takeTurn(IterationParams iteration) {
        Alternation.Turn turn = turns.get(Alternation.index(pools.turn(iteration), turns.size()));
        pools.use(turn);
        int k = turn.cores();
        String what = turn.backend() + (turn.workers() == 0 ? ""
                : " with " + turn.workers() + (turn.workers() == 1 ? " worker" : " workers"));
        if (k > 0 && k < fastest.size()) { // the JVM and its worker JVMs on the k fastest CPUs of the moment
            List<Integer> chosen = fastest.moveTo(k);
            System.out.println("poolbench: " + what + ", " + k + (k == 1 ? " core: cpu " : " cores: cpus ")
                    + chosen + " (probe: " + fastest.lastProbe() + ")");
        } else if (!counts.isEmpty() && Alternation.SEQUENTIAL.equals(turn.backend())) {
            // sequential at every CPU: its threads on the fastest, the JVM's others free
            int cpu = fastest.moveAllButPinThisThread();
            System.out.println("poolbench: sequential, " + k + " cores, its thread on cpu " + cpu + " (probe: "
                    + fastest.lastProbe() + ")");
        } else if (moves) { // a backend at every CPU after a turn on fewer: every thread and worker back
            fastest.moveToAll();
        }
    }

    @Benchmark
    public List<Object> job() {
        last = pools.current().map(job.task(), job.inputs(), chunksize);
        return last;
    }

    /** Check every job's answer, outside the timed region (jobs take milliseconds, so this costs no precision). */
    @TearDown(Level.Invocation)
    public void verify() {
        job.verify(last);
        last = null;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (moves) {
            Affinity.restrict(fastest.fastest(cores));
        }
        if (pools != null) {
            pools.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
