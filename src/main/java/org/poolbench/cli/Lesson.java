package org.poolbench.cli;

import static org.poolbench.cli.Plan.params;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.poolbench.analysis.LessonJudges;
import org.poolbench.analysis.LessonJudges.Judge;

/**
 * The lessons of {@code ./run-bench.sh lesson}: every claim and small program of the teaching material, each answered
 * in under a minute on the JVM and in CPython. This enum is the one list of them: the command, {@code --list}, the
 * handout and docs/SEEDS.md's "lesson" column all take their names, wording and seeds from here.
 *
 * <p>A claim's lesson runs a few points of the family that measures it (short JMH invocations whose backends take
 * turns where the benchmark can, {@link #jvm}; CPython's twin through {@code poolbench_py.py --lesson NAME}, the
 * family's own code) and judges each side with {@link LessonJudges}. A program's lesson runs the material's program
 * in Java ({@code org.poolbench.examples}) and in CPython ({@code python/lesson_programs.py}) and shows both outputs.
 */
enum Lesson {
    CREATION("Process creation is time-consuming, thread creation is cheap.",
            "\"process creation is time-consuming, thread creation is cheap\"",
            "a thread started and joined against a process (a worker JVM; CPython: a fork), time per creation",
            "creation family: CreationBenchmark platformThread and jvm; CPython's Thread and Process (fork)",
            top -> List.of(new JmhInvocation("creation", "\\.CreationBenchmark\\.(platformThread|jvm)$", top,
                    params("cores", List.of(top)), 2).withIterations(1, 8)),
            LessonJudges::creation, "./run-bench.sh full --families creation"),
    POOL_AMORTIZES("A pool amortizes the cost of creating processes.",
            "the squares pool.map(square, ...) and Process(target=, args=)",
            "squares of 100 000 numbers through a process pool against a fresh process per chunk",
            "scaling family: ScalingBenchmark squares, process-pool / process-per-task taking turns",
            top -> List.of(new JmhInvocation("scaling", "\\.ScalingBenchmark\\.", top, params("workload",
                    List.of("squares"), "backend", List.of("process-pool/process-per-task"), "workers", List.of(top),
                    "cores", List.of(top), "tasks", List.of(100_000))).withIterations(2, 12)),
            LessonJudges::poolAmortizes,
            "./run-bench.sh full --families scaling --workloads squares --backends process-pool,process-per-task"),
    CPU_BOUND("Use processes for CPU-bound work (they beat threads there).",
            "three processes computing 50 000!, 60 000!, 70 000!",
            "factorials (sequential, threads, processes) at every core: do processes beat threads?",
            "scaling family: ScalingBenchmark factorial, sequential / thread-pool / process-pool taking turns",
            top -> List.of(new JmhInvocation("scaling", "\\.ScalingBenchmark\\.", top, params("workload",
                    List.of("factorial"), "backend", List.of("sequential/thread-pool/process-pool"), "workers",
                    List.of(top), "cores", List.of(top))).withIterations(3, 30)),
            LessonJudges::cpuBound,
            "./run-bench.sh full --families scaling --workloads factorial --backends sequential,thread-pool,process-pool"),
    IO_BOUND("Use threads for I/O-bound work.",
            "downloading files in several processes",
            "128 downloads (20 ms each) through 64 threads against 16 processes (each process a JVM or a fork)",
            "io family: IoBenchmark thread-pool at 64, process-pool at 16",
            top -> List.of(
                    new JmhInvocation("io", "\\.IoBenchmark\\.", top, params("backend", List.of("thread-pool"),
                            "workers", List.of(64), "cores", List.of(top), "tasks", List.of(128)))
                            .withIterations(1, 8),
                    new JmhInvocation("io", "\\.IoBenchmark\\.", top, params("backend", List.of("process-pool"),
                            "workers", List.of(16), "cores", List.of(top), "tasks", List.of(128)))
                            .withIterations(1, 8)),
            LessonJudges::ioBound, "./run-bench.sh full --families io"),
    TINY_TASKS("Tiny tasks do not pay for a process pool.",
            "the squares pool.map(square, [1, 2, 3, 4, 5])",
            "many tasks of 300! each (microseconds of work) through a process pool against one thread",
            "granularity family: GranularityBenchmark factorial at 300!, sequential / process-pool taking turns",
            top -> List.of(new JmhInvocation("granularity", "\\.GranularityBenchmark\\.factorial$", top,
                    params("backend", List.of("sequential/process-pool"), "workers", List.of(top), "cores",
                            List.of(top), "taskSize", List.of(300))).withIterations(2, 16)),
            LessonJudges::tinyTasks, "./run-bench.sh full --families granularity --workloads factorial"),
    RACE("Without a lock, processes lose updates to a shared value; with one, none.",
            "the bank balance: withdraw and deposit 10 000 times, without and with a Lock",
            "processes adding to one shared counter, without a lock and with one: how many updates are lost",
            "sync family: SyncBenchmark.processes shm-none and shm-lock; CPython Value without and with get_lock()",
            top -> List.of(new JmhInvocation("sync", "\\.SyncBenchmark\\.processes$", top, params("workers",
                    List.of(top), "primitive", List.of("shm-none", "shm-lock"))).withIterations(1, 5)),
            LessonJudges::race, "./run-bench.sh full --families sync"),
    SHARED_STATE("Processes share nothing unless told to (Value, Array).",
            "multiprocessing.Value and Array: the squares written into a shared Array, their sum into a Value",
            "workers add to a plain global and to a shared counter; what does the parent see of each?",
            "sync family: SyncBenchmark threads (synchronized) and processes (shm-lock), plainSeen counts",
            top -> List.of(
                    new JmhInvocation("sync", "\\.SyncBenchmark\\.threads$", top, params("workers", List.of(top),
                            "primitive", List.of("synchronized"))).withIterations(1, 5),
                    new JmhInvocation("sync", "\\.SyncBenchmark\\.processes$", top, params("workers", List.of(top),
                            "primitive", List.of("shm-lock"))).withIterations(1, 5)),
            LessonJudges::sharedState, "./run-bench.sh full --families sync"),
    QUEUE_VS_PIPE("Queue for many producers, Pipe for two ends.",
            "multiprocessing.Queue() and Pipe(): squares through a queue; hello, hey, hru?, END through a pipe",
            "two ends: an 8-byte round trip through a Pipe and a Queue; many producers: one Queue against a Pipe each",
            "ipc family: IpcBenchmark processRoundTrip (pipe, socket, ring) and manyProducers (ring, pipes)",
            top -> List.of(
                    new JmhInvocation("ipc", "\\.IpcBenchmark\\.processRoundTrip$", top, params("transport",
                            List.of("pipe", "socket", "ring"), "messageBytes", List.of(8))).withIterations(1, 5),
                    new JmhInvocation("ipc", "\\.IpcBenchmark\\.manyProducers$", top, params("transport",
                            List.of("ring", "pipes"), "workers", List.of(Math.max(2, top)))).withIterations(1, 5)),
            LessonJudges::queueVsPipe, "./run-bench.sh full --families ipc"),
    MANAGER("Managers are slower than shared memory.",
            "Manager(), manager.list(): the records list",
            "an 8-byte round trip through a Manager's list against shared memory",
            "ipc family: IpcBenchmark processRoundTrip ring and manager; CPython Manager().list() against a Value",
            top -> List.of(new JmhInvocation("ipc", "\\.IpcBenchmark\\.processRoundTrip$", top, params("transport",
                    List.of("ring", "manager"), "messageBytes", List.of(8))).withIterations(1, 5)),
            LessonJudges::manager, "./run-bench.sh full --families sync,ipc"),
    FOUR_PROCESSES("four-processes", "the four processes each printing a number",
            "four processes started together, each printing its number, then joined",
            "examples.Programs four-processes; python/lesson_programs.py four-processes",
            "The numbers need not come out in the order the processes were started: each is a process of its own, "
                    + "scheduled by the OS, and join() only waits. Each prints a different pid. A JVM takes longer to "
                    + "start than a forked CPython process."),
    POOL_PIDS("pool-pids", "the pids of pool workers: os.getpid() in Pool.map",
            "eight tasks through a pool of two workers, each returning the pid that ran it",
            "examples.Programs pool-pids; python/lesson_programs.py pool-pids",
            "Only two pids run the eight tasks, and neither is the parent's: a pool reuses its workers. How the "
                    + "tasks fall on the two depends on who is free first (CPython may hand them all to one)."),
    GAMMA_MAP("gamma-map", "the gamma values through Pool.map",
            "Γ(x) for ten values through Pool.map with two workers",
            "examples.Programs gamma-map; python/lesson_programs.py gamma-map",
            "map returns the results in the order of the inputs, whichever worker finished first; both sides print "
                    + "the same values (Γ(n) = (n − 1)!, Γ(0.5) = √π)."),
    PRODUCER_CONSUMER("producer-consumer", "the producer/consumer queue with a None sentinel",
            "one process puts the squares of 1..8 and a sentinel on a queue; another takes until the sentinel",
            "examples.Programs producer-consumer (SharedQueue); python/lesson_programs.py producer-consumer (Queue)",
            "The consumer gets every item, in the order put, and stops at the sentinel; producer and consumer are "
                    + "different processes (different pids) that never share a variable, only the queue."),
    EVENT_SEMAPHORE("event-semaphore", "Event and Semaphore",
            "four processes wait on an Event, then pass a Semaphore(2)",
            "examples.SyncPrimitives; python/lesson_programs.py event-semaphore",
            "No worker finishes before the Event is set, and never more than two are inside the Semaphore at "
                    + "once; every permit is back at the end.");

    /** The material's wording (a claim) or the program's name. */
    final String claim;
    /** The seed program of the material it comes from (docs/SEEDS.md). */
    final String seed;
    /** What the lesson shows. */
    final String shows;
    /** What it runs, for --list. */
    final String runs;
    /** The JMH invocations of a claim's lesson at the machine's cores; none for a program. */
    private final IntFunction<List<JmhInvocation>> jvm;
    /** The judge of a claim's lesson; null for a program. */
    final Judge judge;
    /** The command that gives paper-grade figures (a program: how to run it by hand). */
    final String paperCommand;
    /** A program's: what a student should notice; empty for a claim. */
    final String notice;

    Lesson(String claim, String seed, String shows, String runs, IntFunction<List<JmhInvocation>> jvm, Judge judge,
            String paperCommand) {
        this.claim = claim;
        this.seed = seed;
        this.shows = shows;
        this.runs = runs;
        this.jvm = jvm;
        this.judge = judge;
        this.paperCommand = paperCommand;
        this.notice = "";
    }

    /** A program of the material without a claim. */
    Lesson(String program, String seed, String shows, String runs, String notice) {
        this.claim = "The program: " + seed + ".";
        this.seed = seed;
        this.shows = shows;
        this.runs = runs;
        this.jvm = top -> List.of();
        this.judge = null;
        this.paperCommand = "java -cp target/benchmarks.jar org.poolbench.examples."
                + (program.equals("event-semaphore") ? "SyncPrimitives" : "Programs " + program)
                + "; python3 python/lesson_programs.py " + program;
        this.notice = notice;
    }

    /** The name typed on the command line. */
    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether this is a program without a claim. */
    boolean program() {
        return judge == null;
    }

    /** The JMH invocations at {@code top} cores (none for a program). */
    List<JmhInvocation> invocations(int top) {
        return jvm.apply(top);
    }

    /** The Java class and arguments of a program's JVM side. */
    List<String> javaProgram() {
        return this == EVENT_SEMAPHORE ? List.of("org.poolbench.examples.SyncPrimitives")
                : List.of("org.poolbench.examples.Programs", id());
    }

    static List<String> names() {
        return Arrays.stream(values()).map(Lesson::id).toList();
    }

    /** The lesson named {@code id}; a {@link UsageError} naming it and the valid names otherwise. */
    static Lesson of(String id) {
        for (Lesson l : values()) {
            if (l.id().equals(id)) {
                return l;
            }
        }
        throw new UsageError("unknown lesson '" + id + "'; valid: " + String.join(", ", names()) + ", all");
    }
}
