package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.poolbench.results.ResultRow;

/**
 * What the measurements say about the teaching material's claims: one line per claim, with the figures behind it,
 * for the JVM and for CPython, and whether the claim held. Computed from the rows only, like every view. The claims
 * about shared state and messages come from {@link LessonClaims}.
 *
 * @param claims one per claim of the material, in its order
 */
public record ClaimsView(List<Claim> claims) implements View {

    /** What a claim came to on one platform. */
    public enum Outcome {
        HELD("holds"), NOT_HELD("does not hold"), NOT_MEASURED("not measured"),
        /** Measured, but a figure the verdict rests on failed the run's own checks ({@link RunChecks}). */
        NOT_RESOLVED("not resolved");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** One claim and its evidence: {@code jvm} and {@code python} are the figures in words. */
    public record Claim(String claim, Outcome jvmOutcome, String jvm, Outcome pythonOutcome, String python) {
    }

    @Override
    public String title() {
        return "What the measurements say";
    }

    @Override
    public List<String> figures() {
        return List.of();
    }

    @Override
    public String lesson() {
        return "Each claim of the teaching material, put to this run's figures (speedups over sequential at the most"
                + " cores measured; times are JMH scores).";
    }

    @Override
    public Table table() {
        return new Table(List.of("claim", "JVM", "CPython"), claims.stream().map(c -> List.of(c.claim(),
                c.jvmOutcome() + (c.jvm().isEmpty() ? "" : ": " + c.jvm()),
                c.pythonOutcome() + (c.python().isEmpty() ? "" : ": " + c.python()))).toList());
    }

    static ClaimsView of(List<ResultRow> measured) {
        List<Claim> claims = new ArrayList<>();
        claims.add(creation(measured));
        claims.add(amortized(measured));
        claims.add(cpu(measured));
        claims.add(threadsCannot(measured));
        claims.add(io(measured));
        claims.add(tinyTasks(measured));
        claims.addAll(LessonClaims.of(measured)); // shared state and messages: only when sync or ipc ran
        return claims.stream().allMatch(c -> c.jvmOutcome() == Outcome.NOT_MEASURED
                && c.pythonOutcome() == Outcome.NOT_MEASURED) ? null : new ClaimsView(claims);
    }

    private static Optional<Double> creationMicros(List<ResultRow> rows, String benchmark) {
        return creationMicros(rows, benchmark, "fork");
    }

    /** A creation row's time by one start method ({@code fork} also takes rows that name none: runs before spawn). */
    private static Optional<Double> creationMicros(List<ResultRow> rows, String benchmark, String method) {
        return rows.stream().filter(r -> "creation".equals(r.family()) && benchmark.equals(r.benchmark())
                && (r.workers() == null || r.workers() == 1)
                && Objects.requireNonNullElse(r.param("start_method"), "fork").equals(method))
                .map(Rows::micros).filter(Objects::nonNull).findFirst();
    }

    private static Claim creation(List<ResultRow> rows) {
        String claim = "Process creation is slow, thread creation cheap.";
        Optional<Double> thread = creationMicros(rows, "platformThread");
        Optional<Double> jvm = creationMicros(rows, "jvm");
        Optional<Double> process = creationMicros(rows, "nativeProcess");
        Outcome jo = Outcome.NOT_MEASURED;
        String j = "";
        if (thread.isPresent() && jvm.isPresent()) {
            double ratio = jvm.get() / thread.get();
            jo = ratio >= 10 ? Outcome.HELD : Outcome.NOT_HELD;
            j = "a thread " + Format.duration(thread.get()) + ", a worker JVM " + Format.duration(jvm.get()) + " ("
                    + Format.number(ratio) + "×)" + process.map(p -> ", a native process " + Format.duration(p))
                    .orElse("");
        }
        Optional<Double> pyThread = creationMicros(rows, "pyThread");
        Optional<Double> pyProcess = creationMicros(rows, "pyProcess");
        Outcome po = Outcome.NOT_MEASURED;
        String p = "";
        if (pyThread.isPresent() && pyProcess.isPresent()) {
            double ratio = pyProcess.get() / pyThread.get();
            po = ratio >= 10 ? Outcome.HELD : Outcome.NOT_HELD;
            p = "a thread " + Format.duration(pyThread.get()) + ", a process " + Format.duration(pyProcess.get())
                    + " (" + Format.number(ratio) + "×, fork)";
            Optional<Double> spawned = creationMicros(rows, "pyProcess", "spawn");
            Optional<Double> forkserver = creationMicros(rows, "pyProcess", "forkserver");
            if (spawned.isPresent()) {
                // a worker JVM starts a fresh runtime as spawn does: that is the like-for-like pair
                p += "; spawned " + Format.duration(spawned.get()) + forkserver.map(f -> ", by forkserver "
                        + Format.duration(f)).orElse("") + jvm.map(v -> " (like for like: a worker JVM "
                        + Format.duration(v) + " against a spawned CPython process)").orElse("");
            }
        }
        return new Claim(claim, jo, j, po, p);
    }

    /** The scaling row of {@code backend} on {@code workload} at the most cores, one worker per core. */
    private static Optional<ResultRow> atMostCores(List<ResultRow> rows, String workload, String backend) {
        Predicate<ResultRow> match = r -> "scaling".equals(r.family()) && workload.equals(r.workload())
                && backend.equals(r.backend()) && r.cores() != null && r.speedup() != null
                && (r.workers() == null || r.workers().equals(r.cores()));
        int most = rows.stream().filter(match).mapToInt(ResultRow::cores).max().orElse(-1);
        return rows.stream().filter(match.and(r -> r.cores() == most))
                .min(Comparator.comparing(r -> Objects.requireNonNullElse(r.chunksize(), 0)));
    }

    private static String speedup(ResultRow r) {
        return r.backend() + " " + Format.times(r.speedup());
    }

    /**
     * {@code r}'s speedup over its sequential baseline measured at the same core count: what the backend adds on
     * those cores, whatever a single thread gains from them (on a shared VM one thread can run faster with two cores
     * to itself than pinned to one; the ceiling and sequential rows show how much).
     */
    private static Optional<Double> sameCores(List<ResultRow> rows, ResultRow r) {
        String base = Rows.isPython(r.backend()) ? "py-sequential" : "sequential";
        return rows.stream().filter(b -> "scaling".equals(b.family()) && base.equals(b.backend())
                        && Objects.equals(b.workload(), r.workload()) && Objects.equals(b.cores(), r.cores())
                        && Rows.micros(b) != null)
                .findFirst().map(b -> Rows.micros(b) / Rows.micros(r));
    }

    private static String sameCoresText(List<ResultRow> rows, ResultRow r) {
        return sameCores(rows, r).map(s -> " (" + Format.times(s) + " over sequential at " + r.cores() + " cores)")
                .orElse("");
    }

    private static Claim amortized(List<ResultRow> rows) {
        String claim = "A pool amortizes the cost of creating processes.";
        Evidence jvm = amortizedBy(rows, "process-pool", "process-per-task");
        Evidence python = amortizedBy(rows, "py-process-pool", "py-process-per-task");
        return new Claim(claim, jvm.outcome, jvm.text, python.outcome, python.text);
    }

    /** Process-per-task against the pool on squares (else factorial) at the most cores: held if it takes longer. */
    private static Evidence amortizedBy(List<ResultRow> rows, String poolName, String perTaskName) {
        for (String workload : List.of("squares", "factorial")) {
            Optional<ResultRow> pool = atMostCores(rows, workload, poolName);
            Optional<ResultRow> perTask = atMostCores(rows, workload, perTaskName);
            if (pool.isPresent() && perTask.isPresent()) {
                double ratio = Rows.micros(perTask.get()) / Rows.micros(pool.get());
                return new Evidence(ratio > 1 ? Outcome.HELD : Outcome.NOT_HELD, workload + " at "
                        + pool.get().cores() + " cores: " + perTaskName + " takes " + Format.times(ratio)
                        + " as long as " + poolName);
            }
        }
        return new Evidence(Outcome.NOT_MEASURED, "");
    }

    private static Claim cpu(List<ResultRow> rows) {
        return unlessAboveCeiling(rows, cpuRaw(rows), List.of(atMostCores(rows, "factorial", "thread-pool"),
                atMostCores(rows, "factorial", "process-pool")), List.of(atMostCores(rows, "factorial",
                "py-thread-pool"), atMostCores(rows, "factorial", "py-process-pool")));
    }

    private static Claim cpuRaw(List<ResultRow> rows) {
        String claim = "Use processes for CPU-bound work (they beat threads there).";
        Optional<ResultRow> threads = atMostCores(rows, "factorial", "thread-pool");
        Optional<ResultRow> processes = atMostCores(rows, "factorial", "process-pool");
        Outcome jo = Outcome.NOT_MEASURED;
        String j = "";
        if (threads.isPresent() && processes.isPresent()) {
            // held only if processes are clearly (10 %, about the run-to-run noise) faster than threads
            double ratio = processes.get().speedup() / threads.get().speedup();
            jo = ratio > 1.10 ? Outcome.HELD : Outcome.NOT_HELD;
            j = "factorial at " + threads.get().cores() + " cores: " + speedup(processes.get()) + ", "
                    + speedup(threads.get()) + (Math.abs(ratio - 1) <= 0.10 ? ": level, within 10 %" : "");
        }
        Optional<ResultRow> pyThreads = atMostCores(rows, "factorial", "py-thread-pool");
        Optional<ResultRow> pyProcesses = atMostCores(rows, "factorial", "py-process-pool");
        Outcome po = Outcome.NOT_MEASURED;
        String p = "";
        if (pyThreads.isPresent() && pyProcesses.isPresent()) {
            po = pyProcesses.get().speedup() > 1.10 * pyThreads.get().speedup() ? Outcome.HELD : Outcome.NOT_HELD;
            p = "factorial at " + pyThreads.get().cores() + " cores: " + speedup(pyProcesses.get()) + ", "
                    + speedup(pyThreads.get());
        }
        return new Claim(claim, jo, j, po, p);
    }

    /**
     * {@code claim} with each side whose speedups include one above the machine ceiling ({@link RunChecks}) turned
     * into {@link Outcome#NOT_RESOLVED}: such a speedup says the baseline is off, not how the backends compare.
     */
    private static Claim unlessAboveCeiling(List<ResultRow> rows, Claim claim, List<Optional<ResultRow>> jvm,
                                            List<Optional<ResultRow>> python) {
        java.util.Set<List<Object>> above = RunChecks.aboveCeiling(rows);
        String note = " (above the machine ceiling, so not a result: see Measurement quality)";
        boolean j = jvm.stream().flatMap(Optional::stream).anyMatch(r -> above.contains(r.pointKey()));
        boolean p = python.stream().flatMap(Optional::stream).anyMatch(r -> above.contains(r.pointKey()));
        return new Claim(claim.claim(), j ? Outcome.NOT_RESOLVED : claim.jvmOutcome(), claim.jvm() + (j ? note : ""),
                p ? Outcome.NOT_RESOLVED : claim.pythonOutcome(), claim.python() + (p ? note : ""));
    }

    private static Claim threadsCannot(List<ResultRow> rows) {
        Claim c = unlessAboveCeiling(rows, threadsCannotRaw(rows), List.of(atMostCores(rows, "factorial",
                "thread-pool")), List.of(atMostCores(rows, "factorial", "py-thread-pool")));
        return new Claim(c.claim(), c.jvmOutcome(), c.jvm() + doubt(rows, false, c.jvmOutcome()), c.pythonOutcome(),
                c.python() + doubt(rows, true, c.pythonOutcome()));
    }

    /**
     * A note for a verdict that rests on a speedup over sequential at 1 core, when the run's one-worker check of that
     * side was not met ({@link RunChecks#baselineInDoubt}); empty otherwise.
     */
    private static String doubt(List<ResultRow> rows, boolean python, Outcome outcome) {
        List<String> unmet = outcome == Outcome.NOT_MEASURED ? List.of() : RunChecks.baselineInDoubt(rows, python);
        return unmet.isEmpty() ? "" : " (baseline check not met: " + String.join("; ", unmet)
                + "; the speedup carries that doubt, see Measurement quality)";
    }

    private static Claim threadsCannotRaw(List<ResultRow> rows) {
        String claim = "Threads cannot speed up CPU-bound work.";
        Optional<ResultRow> threads = atMostCores(rows, "factorial", "thread-pool");
        Optional<ResultRow> pyThreads = atMostCores(rows, "factorial", "py-thread-pool");
        // "cannot speed up": less than 1.2× over sequential on the same cores
        return new Claim(claim,
                threads.map(t -> sameCores(rows, t).orElse(t.speedup()) < 1.2 ? Outcome.HELD : Outcome.NOT_HELD)
                        .orElse(Outcome.NOT_MEASURED),
                threads.map(t -> "factorial at " + t.cores() + " cores: " + speedup(t) + sameCoresText(rows, t))
                        .orElse(""),
                pyThreads.map(t -> sameCores(rows, t).orElse(t.speedup()) < 1.2 ? Outcome.HELD : Outcome.NOT_HELD)
                        .orElse(Outcome.NOT_MEASURED),
                pyThreads.map(t -> "factorial at " + t.cores() + " cores: " + speedup(t) + sameCoresText(rows, t))
                        .orElse(""));
    }

    private static Optional<ResultRow> bestIo(List<ResultRow> rows, Predicate<String> backend) {
        return rows.stream().filter(r -> "io".equals(r.family()) && backend.test(r.backend()) && r.tasks() != null
                        && Rows.micros(r) != null && !"0".equals(r.param("latencyMs")))
                .min(Comparator.comparing(r -> Rows.micros(r) / r.tasks()));
    }

    private static String filesPerSecond(ResultRow r) {
        return r.backend() + " " + Format.number(r.tasks() / (Rows.micros(r) / 1e6)) + " files/s at " + r.workers()
                + " workers";
    }

    private static Claim io(List<ResultRow> rows) {
        String claim = "Use threads for I/O-bound work.";
        Optional<ResultRow> threads = bestIo(rows, b -> List.of("thread-pool", "virtual-threads").contains(b));
        Optional<ResultRow> processes = bestIo(rows, "process-pool"::equals);
        Outcome jo = Outcome.NOT_MEASURED;
        String j = "";
        if (threads.isPresent() && processes.isPresent()) {
            double t = Rows.micros(threads.get()) / threads.get().tasks();
            double p = Rows.micros(processes.get()) / processes.get().tasks();
            jo = t <= p ? Outcome.HELD : Outcome.NOT_HELD;
            j = "best " + filesPerSecond(threads.get()) + "; best " + filesPerSecond(processes.get());
        }
        Optional<ResultRow> pyThreads = bestIo(rows, "py-thread-pool"::equals);
        Optional<ResultRow> pyProcesses = bestIo(rows, "py-process-pool"::equals);
        Outcome po = Outcome.NOT_MEASURED;
        String p = "";
        if (pyThreads.isPresent() && pyProcesses.isPresent()) {
            po = Rows.micros(pyThreads.get()) / pyThreads.get().tasks()
                    <= Rows.micros(pyProcesses.get()) / pyProcesses.get().tasks() ? Outcome.HELD : Outcome.NOT_HELD;
            p = "best " + filesPerSecond(pyThreads.get()) + "; best " + filesPerSecond(pyProcesses.get());
        }
        return new Claim(claim, jo, j, po, p);
    }

    private static Claim tinyTasks(List<ResultRow> rows) {
        String claim = "Tiny tasks do not pay for a process pool.";
        return new Claim(claim, tiny(rows, "process-pool", "sequential").outcome, tiny(rows, "process-pool",
                "sequential").text, tiny(rows, "py-process-pool", "py-sequential").outcome,
                tiny(rows, "py-process-pool", "py-sequential").text);
    }

    private record Evidence(Outcome outcome, String text) {
    }

    private static Evidence tiny(List<ResultRow> all, String backend, String baseline) {
        List<ResultRow> rows = GranularityView.atUsualChunk(all.stream().filter(r -> "granularity".equals(r.family())
                && "factorial".equals(r.workload()) && r.taskSize() != null && r.tasks() != null
                && Rows.micros(r) != null).toList());
        Optional<ResultRow> smallest = rows.stream().filter(r -> backend.equals(r.backend()))
                .min(Comparator.comparing(ResultRow::taskSize));
        if (smallest.isEmpty()) {
            return new Evidence(Outcome.NOT_MEASURED, "");
        }
        Optional<ResultRow> seq = rows.stream().filter(r -> baseline.equals(r.backend())
                && smallest.get().taskSize().equals(r.taskSize())).findFirst();
        if (seq.isEmpty()) {
            return new Evidence(Outcome.NOT_MEASURED, "");
        }
        ResultRow p = smallest.get();
        double work = Rows.micros(seq.get()) / seq.get().tasks();
        double wall = Rows.micros(p) / p.tasks();
        return new Evidence(wall > work ? Outcome.HELD : Outcome.NOT_HELD, "tasks of " + Format.duration(work)
                + " (n = " + p.taskSize() + "): " + Format.duration(wall) + " each through " + backend + ", "
                + Format.times(wall / work) + " the work itself");
    }
}
