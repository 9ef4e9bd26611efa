package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.poolbench.analysis.LessonOutcome.Data;
import org.poolbench.analysis.LessonOutcome.Measure;
import org.poolbench.analysis.LessonOutcome.Side;
import org.poolbench.analysis.LessonVerdict.Interval;
import org.poolbench.analysis.LessonVerdict.Verdict;
import org.poolbench.results.ResultRow;

/**
 * The judges of the measured lessons: each reads one platform's rows (as the families' benchmarks and the CPython
 * program write them) and gives that side's figures, verdict and sentence ({@link LessonVerdict}). The thresholds are
 * the report's ({@link ClaimsView}, {@link LessonClaims}): differences within 10 % are noise, and "≫" is at least 10×.
 */
public final class LessonJudges {

    /** Ratios within this factor are level (run-to-run noise), as in the report's claims. */
    public static final double LEVEL = 1.10;
    /** "Much slower" (≫): at least this factor. */
    public static final double MUCH = 10.0;

    private LessonJudges() {
    }

    /** A judge: one platform's rows to its side. */
    @FunctionalInterface
    public interface Judge {
        Side judge(Data data);
    }

    // ---- pools: scaling, creation, granularity, io

    /** "Use processes for CPU-bound work (they beat threads there)": T(thread-pool) / T(process-pool) > 1.10. */
    public static Side cpuBound(Data d) {
        Optional<ResultRow> seq = scaling(d, "factorial", "sequential");
        Optional<ResultRow> thr = scaling(d, "factorial", "thread-pool");
        Optional<ResultRow> proc = scaling(d, "factorial", "process-pool");
        if (seq.isEmpty() || thr.isEmpty() || proc.isEmpty()) {
            return missing(d, "factorial through sequential, thread-pool and process-pool");
        }
        List<Measure> figures = List.of(
                new Measure("threads: speedup over sequential", LessonVerdict.ratioOfMeans(d.samples(seq.get()),
                        d.samples(thr.get())), "×", true),
                new Measure("processes: speedup over sequential", LessonVerdict.ratioOfMeans(d.samples(seq.get()),
                        d.samples(proc.get())), "×", true),
                time("sequential: one job", d, seq.get()), time("threads: one job", d, thr.get()),
                time("processes: one job", d, proc.get()));
        Interval ratio = LessonVerdict.ratioOfMeans(d.samples(thr.get()), d.samples(proc.get()));
        Verdict v = LessonVerdict.exceeds(ratio, LEVEL);
        return new Side(d.platform(), figures, v, sentence(v, "processes beat threads",
                "a factorial job through threads takes", ratio, "its time through processes", LEVEL), List.of());
    }

    /** "A pool amortizes the cost of creating processes": T(process-per-task) / T(process-pool) > 1.10. */
    public static Side poolAmortizes(Data d) {
        Optional<ResultRow> pool = scaling(d, "squares", "process-pool");
        Optional<ResultRow> perTask = scaling(d, "squares", "process-per-task");
        if (pool.isEmpty() || perTask.isEmpty()) {
            return missing(d, "squares through process-pool and process-per-task");
        }
        Interval ratio = LessonVerdict.ratioOfMeans(d.samples(perTask.get()), d.samples(pool.get()));
        Verdict v = LessonVerdict.exceeds(ratio, LEVEL);
        return new Side(d.platform(), List.of(time("a pool: one job", d, pool.get()).charted(),
                time("a process per task: one job", d, perTask.get()).charted()), v,
                sentence(v, "the pool amortizes creation", "a process per task takes", ratio,
                        "the pool's time", LEVEL), List.of());
    }

    /** "Process creation is time-consuming, thread creation is cheap": T(process) / T(thread) ≥ 10. */
    public static Side creation(Data d) {
        Optional<ResultRow> thread = d.row(r -> "creation".equals(r.family())
                && (d.python() ? "pyThread" : "platformThread").equals(r.benchmark()));
        Optional<ResultRow> process = d.row(r -> "creation".equals(r.family()) && (d.python()
                ? "pyProcess".equals(r.benchmark()) && "fork".equals(r.param("start_method"))
                : "jvm".equals(r.benchmark())));
        if (thread.isEmpty() || process.isEmpty()) {
            return missing(d, "thread and process creation");
        }
        Interval ratio = LessonVerdict.ratioOfMeans(d.samples(process.get()), d.samples(thread.get()));
        Verdict v = LessonVerdict.exceeds(ratio, MUCH);
        return new Side(d.platform(), List.of(time("a thread: start and join", d, thread.get()).charted(),
                time("a process: start and join", d, process.get()).charted()), v,
                sentence(v, "process creation ≫ thread creation", "a process takes", ratio, "a thread's time",
                        MUCH), List.of());
    }

    /** "Tiny tasks do not pay for a process pool": at 300! per task, T(process-pool) / T(sequential) > 1.10. */
    public static Side tinyTasks(Data d) {
        Optional<ResultRow> seq = granularity(d, "sequential");
        Optional<ResultRow> pool = granularity(d, "process-pool");
        if (seq.isEmpty() || pool.isEmpty()) {
            return missing(d, "300! tasks through sequential and process-pool");
        }
        double tasks = Objects.requireNonNullElse(pool.get().tasks(), 1);
        Interval ratio = LessonVerdict.ratioOfMeans(d.samples(pool.get()), d.samples(seq.get()));
        Verdict v = LessonVerdict.exceeds(ratio, LEVEL);
        return new Side(d.platform(), List.of(perTask("sequential: per task", d, seq.get(), tasks),
                perTask("a process pool: per task", d, pool.get(), tasks)), v,
                sentence(v, "tiny tasks do not pay for a pool", String.format(Locale.ROOT,
                        "%.0f tasks of 300! through the pool take", tasks), ratio, "the time in one thread", LEVEL),
                List.of());
    }

    /** "Use threads for I/O-bound work": 128 downloads, threads (64) against processes (16): T(process) / T(thread) > 1.10. */
    public static Side ioBound(Data d) {
        Optional<ResultRow> thr = d.row(r -> "io".equals(r.family()) && d.backend("thread-pool").equals(r.backend())
                && Integer.valueOf(64).equals(r.workers()));
        Optional<ResultRow> proc = d.row(r -> "io".equals(r.family()) && d.backend("process-pool").equals(r.backend())
                && Integer.valueOf(16).equals(r.workers()));
        if (thr.isEmpty() || proc.isEmpty()) {
            return missing(d, "downloads through 64 threads and 16 processes");
        }
        double files = Objects.requireNonNullElse(thr.get().tasks(), 1);
        Interval ratio = LessonVerdict.ratioOfMeans(d.samples(proc.get()), d.samples(thr.get()));
        Verdict v = LessonVerdict.exceeds(ratio, LEVEL);
        return new Side(d.platform(), List.of(rate("64 threads: files/s", d, thr.get(), files),
                rate("16 processes: files/s", d, proc.get(), files)), v,
                sentence(v, "threads win at I/O", "128 downloads through 16 processes take", ratio,
                        "their time through 64 threads", LEVEL), List.of());
    }

    // ---- shared state: sync

    /** The bank balance: updates lost without a lock (between processes), none with one. */
    public static Side race(Data d) {
        String without = d.python() ? "value-no-lock" : "shm-none";
        String with = d.python() ? "value-get-lock" : "shm-lock";
        Optional<ResultRow> lostWithout = syncCount(d, "processes", without, "lostUpdates");
        Optional<ResultRow> updWithout = syncCount(d, "processes", without, "updates");
        Optional<ResultRow> lostWith = syncCount(d, "processes", with, "lostUpdates");
        Optional<ResultRow> updWith = syncCount(d, "processes", with, "updates");
        if (lostWithout.isEmpty() || updWithout.isEmpty() || lostWith.isEmpty() || updWith.isEmpty()) {
            return missing(d, "processes adding to a shared counter without and with a lock");
        }
        long a = Math.round(lostWithout.get().score());
        long b = Math.round(lostWith.get().score());
        double shareWithout = 100.0 * a / updWithout.get().score();
        double shareWith = 100.0 * b / updWith.get().score();
        Verdict v = LessonVerdict.lostUpdates(a, b);
        int k = Objects.requireNonNullElse(lostWithout.get().workers(), 0);
        String figures = String.format(Locale.ROOT, "%d processes lost %,d of %,.0f updates (%.1f %%) without a lock "
                + "and %,d of %,.0f with one", k, a, updWithout.get().score(), shareWithout, b, updWith.get().score());
        String sentence = switch (v) {
            case HOLDS -> "holds: " + figures + ".";
            case DOES_NOT_HOLD -> "does not hold: " + figures + " (the lock let updates through).";
            case NOT_RESOLVED -> "not resolved at this sample size: " + figures
                    + "; no race struck in so few rounds, which proves nothing.";
            default -> "not measured.";
        };
        return new Side(d.platform(), List.of(
                new Measure("no lock: updates lost", exact(shareWithout), "%", true),
                new Measure("with a lock: updates lost", exact(shareWith), "%", true)), v, sentence, List.of());
    }

    /** "Processes share nothing unless told to": the parent sees none of the workers' plain adds; the shared counter all. */
    public static Side sharedState(Data d) {
        String threadsPrimitive = d.python() ? "lock" : "synchronized";
        String shared = d.python() ? "value-get-lock" : "shm-lock";
        Optional<ResultRow> tSeen = syncCount(d, "threads", threadsPrimitive, "plainSeen");
        Optional<ResultRow> tUpdates = syncCount(d, "threads", threadsPrimitive, "updates");
        Optional<ResultRow> pSeen = syncCount(d, "processes", shared, "plainSeen");
        Optional<ResultRow> pUpdates = syncCount(d, "processes", shared, "updates");
        Optional<ResultRow> pLost = syncCount(d, "processes", shared, "lostUpdates");
        if (pSeen.isEmpty() || pUpdates.isEmpty() || pLost.isEmpty()) {
            return missing(d, "processes adding to a plain global and to a shared counter");
        }
        List<Measure> figures = new ArrayList<>();
        if (tSeen.isPresent() && tUpdates.isPresent()) {
            figures.add(new Measure("threads: plain adds the parent saw",
                    exact(100.0 * tSeen.get().score() / tUpdates.get().score()), "%", true));
        }
        figures.add(new Measure("processes: plain adds the parent saw",
                exact(100.0 * pSeen.get().score() / pUpdates.get().score()), "%", true));
        figures.add(new Measure("processes: shared counter, updates lost",
                exact(100.0 * pLost.get().score() / pUpdates.get().score()), "%", true));
        long seen = Math.round(pSeen.get().score());
        long lost = Math.round(pLost.get().score());
        Verdict v = LessonVerdict.sharesNothing(seen, lost);
        String text = String.format(Locale.ROOT, "of %,.0f adds to a plain %s in worker processes the parent saw %,d, "
                        + "and the counter they were told to share (%s) lost %,d", pUpdates.get().score(),
                d.python() ? "module global" : "static field", seen, shared, lost);
        return new Side(d.platform(), figures, v, v + ": " + text + ".", List.of());
    }

    // ---- messages: ipc

    /** "Queue for many producers, Pipe for two ends": both halves ({@link LessonClaims}'s rule, with intervals). */
    public static Side queueVsPipe(Data d) {
        Optional<ResultRow> pipe = roundTrip(d, "pipe");
        Optional<ResultRow> queue = roundTrip(d, d.python() ? "queue" : "ring");
        Optional<ResultRow> socket = d.python() ? Optional.empty() : roundTrip(d, "socket");
        if (socket.isPresent() && pipe.isPresent() && socket.get().score() < pipe.get().score()) {
            pipe = socket; // the faster Connection stands for Pipe, as in the report
        }
        int k = 2;
        Optional<ResultRow> qMany = producers(d, d.python() ? "queue" : "ring");
        Optional<ResultRow> pMany = producers(d, "pipes");
        if (pipe.isEmpty() || queue.isEmpty()) {
            return missing(d, "round trips through a Pipe and a Queue");
        }
        List<Measure> figures = new ArrayList<>(List.of(
                time("Pipe: 8 B round trip", d, pipe.get()).charted(),
                time("Queue: 8 B round trip", d, queue.get()).charted()));
        Interval twoEnds = LessonVerdict.ratioOfMeans(d.samples(pipe.get()), d.samples(queue.get()));
        Verdict half1 = LessonVerdict.atMost(twoEnds, LEVEL);
        Verdict half2 = Verdict.NOT_MEASURED;
        Interval many = null;
        if (qMany.isPresent() && pMany.isPresent()) {
            k = Objects.requireNonNullElse(qMany.get().workers(), k);
            figures.add(new Measure(k + " producers, one Queue: messages/s", d.interval(qMany.get()), "msg/s", false));
            figures.add(new Measure(k + " producers, a Pipe each: messages/s", d.interval(pMany.get()), "msg/s",
                    false));
            many = LessonVerdict.ratioOfMeans(d.samples(pMany.get()), d.samples(qMany.get())); // T(queue)/T(pipes)
            half2 = LessonVerdict.atMost(many, LEVEL);
        }
        Verdict v = LessonVerdict.all(half1, half2);
        String text = String.format(Locale.ROOT, "two ends: the Pipe (%s) takes %s the Queue's (%s) round trip (%s); "
                        + "many producers: one Queue takes %s the time per message of a Pipe each (%s)",
                pipe.get().param("transport"), ratioText(twoEnds), queue.get().param("transport"), half1,
                many == null ? "?" : ratioText(many), half2);
        return new Side(d.platform(), figures, v, v + ": " + text + ".", List.of());
    }

    /** "Managers are slower than shared memory": T(Manager round trip) / T(shared memory) > 1.10. */
    public static Side manager(Data d) {
        Optional<ResultRow> manager = roundTrip(d, "manager");
        Optional<ResultRow> shm = d.python()
                ? d.row(r -> "sync".equals(r.family()) && "processes:increment".equals(r.benchmark())
                        && "value-get-lock".equals(r.param("primitive")) && Integer.valueOf(1).equals(r.workers()))
                : roundTrip(d, "ring");
        if (manager.isEmpty() || shm.isEmpty()) {
            return missing(d, "a Manager's round trip and shared memory's");
        }
        double toMicros = "ns/op".equals(shm.get().unit()) ? 1e-3 : 1;
        double[] shmSamples = java.util.Arrays.stream(d.samples(shm.get())).map(x -> x * toMicros).toArray();
        Interval ratio = LessonVerdict.ratioOfMeans(d.samples(manager.get()), shmSamples);
        Verdict v = LessonVerdict.exceeds(ratio, LEVEL);
        String what = d.python() ? "one Value update under get_lock()" : "the shared-memory ring's round trip";
        return new Side(d.platform(), List.of(time("Manager: round trip", d, manager.get()).charted(),
                new Measure(d.python() ? "shared Value: one locked update" : "shared memory: round trip",
                        LessonVerdict.mean(shmSamples), "µs", true)), v,
                sentence(v, "a Manager is slower", "a Manager round trip takes", ratio, what, LEVEL), List.of());
    }

    // ---- helpers

    private static Optional<ResultRow> scaling(Data d, String workload, String backend) {
        return d.row(r -> "scaling".equals(r.family()) && workload.equals(r.workload())
                && d.backend(backend).equals(r.backend()));
    }

    private static Optional<ResultRow> granularity(Data d, String backend) {
        return d.row(r -> "granularity".equals(r.family()) && d.backend(backend).equals(r.backend())
                && Long.valueOf(300).equals(r.taskSize()));
    }

    private static Optional<ResultRow> syncCount(Data d, String method, String primitive, String metric) {
        return d.row(r -> "sync".equals(r.family()) && (method + ":" + metric).equals(r.benchmark())
                && primitive.equals(r.param("primitive")));
    }

    private static Optional<ResultRow> roundTrip(Data d, String transport) {
        return d.row(r -> "ipc".equals(r.family()) && "processRoundTrip".equals(r.benchmark())
                && transport.equals(r.param("transport")) && "8".equals(r.param("messageBytes")));
    }

    private static Optional<ResultRow> producers(Data d, String transport) {
        return d.row(r -> "ipc".equals(r.family()) && "manyProducers".equals(r.benchmark())
                && transport.equals(r.param("transport")));
    }

    /** A row's time per op as a figure, in its own unit (µs written so). */
    private static Measure time(String label, Data d, ResultRow r) {
        return new Measure(label, d.interval(r), unit(r.unit()), false);
    }

    private static Measure perTask(String label, Data d, ResultRow r, double tasks) {
        Interval i = d.interval(r);
        return new Measure(label, new Interval(i.estimate() / tasks, i.low() / tasks, i.high() / tasks),
                unit(r.unit()), true);
    }

    private static Measure rate(String label, Data d, ResultRow r, double files) {
        double scale = "ms/op".equals(r.unit()) ? 1e3 : 1;
        double[] rates = java.util.Arrays.stream(d.samples(r)).map(t -> files * scale / t).toArray();
        return new Measure(label, LessonVerdict.mean(rates), "files/s", true);
    }

    private static Interval exact(double v) {
        return new Interval(v, v, v);
    }

    static String unit(String jmhUnit) {
        return jmhUnit == null ? "" : jmhUnit.replace("/op", "").replace("us", "µs");
    }

    private static Side missing(Data d, String what) {
        return new Side(d.platform(), List.of(), Verdict.NOT_MEASURED, "not measured: no rows of " + what + ".",
                List.of());
    }

    /** "0.95× [0.90–1.01]". */
    static String ratioText(Interval i) {
        return i.known() ? String.format(Locale.ROOT, "%s× (95 %% interval %s–%s)", Format.number(i.estimate()),
                Format.number(i.low()), Format.number(i.high())) : Format.number(i.estimate()) + "× (no interval: too few samples)";
    }

    /**
     * The verdict in one sentence: "{verdict}: {subject} {ratio} {what}, {where the interval lies against the
     * threshold}".
     */
    static String sentence(Verdict v, String claim, String subject, Interval ratio, String what, double threshold) {
        String figure = subject + " " + ratioText(ratio) + " " + what;
        String t = Format.number(threshold) + "×";
        return switch (v) {
            case HOLDS -> "holds (" + claim + "): " + figure + ", all of it above " + t + ".";
            case DOES_NOT_HOLD -> "does not hold (" + claim + "): " + figure + ", all of it at or below " + t + ".";
            case NOT_RESOLVED -> "not resolved at this sample size (" + claim + "?): " + figure + ", which straddles "
                    + t + "; the paper-grade command decides.";
            default -> "not measured.";
        };
    }
}
