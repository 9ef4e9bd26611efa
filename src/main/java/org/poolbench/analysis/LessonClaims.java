package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.poolbench.analysis.ClaimsView.Claim;
import org.poolbench.analysis.ClaimsView.Outcome;
import org.poolbench.results.ResultRow;

/**
 * The material's claims about shared state and messages, judged from the {@code sync} and {@code ipc} rows, for the
 * JVM ({@code processes} rows of {@code SyncBenchmark}/{@code IpcBenchmark}) and CPython ({@code py-processes} rows
 * of {@code python/poolbench_py.py}). A claim appears only when its family is in the run; a platform without the
 * rows a rule needs is "not measured". The rules:
 *
 * <ul>
 *   <li><b>"Queue for many producers, Pipe for two ends."</b> Two halves, each judged on its own rows.
 *   <i>Two ends:</i> the 8-byte round trip (else the smallest size both have) between two processes through the
 *   Pipe (the faster of {@code pipe} and {@code socket} on the JVM, where both are a {@code Connection};
 *   {@code pipe} on CPython) against the Queue ({@code ring}, the {@code SharedQueue}, on the JVM; {@code queue} on
 *   CPython). This half holds if the Pipe is no more than 10 % (about run-to-run noise) slower than the Queue.
 *   <i>Many producers:</i> the {@code manyProducers} rows, k producer processes ({@code workers}) sending one
 *   consumer checked messages, through one Queue ({@code ring} on the JVM, {@code queue} on CPython) against one
 *   Pipe per producer read by the consumer ({@code pipes}), in messages per second. This half holds if, at every
 *   k &ge; 2 where both were measured (at the smallest message size both have), the Queue takes no more than 10 %
 *   longer per message than the pipes; k = 1 is two ends again and is not judged. The claim holds if every half
 *   that was measured holds; with one half measured the verdict is that half's and the text says the other was
 *   not; with neither it is "not measured".</li>
 *   <li><b>"Managers are slower than shared memory."</b> JVM: the Manager round trip (append + pop on a list in
 *   the server process) against the shared-memory ring's, at the same size as above; CPython has no ring, so its
 *   {@code Manager().list()} round trip is set against one update of a shared {@code Value} under
 *   {@code get_lock()} by one contender ({@code value-get-lock:increment}, k = 1), the shared-memory way to touch
 *   shared state. Holds if the Manager is more than 10 % slower.</li>
 *   <li><b>"Processes share nothing unless told to."</b> Every contender of the sync family also adds its n to a
 *   plain static field (a module global on CPython) once per round; {@code :plainSeen} counts what the measuring
 *   process saw of it. Holds if, over every process row, the parent saw none of the workers' plain adds
 *   ({@code plainSeen} 0 of {@code updates} &gt; 0) and a counter the workers were told to share (JVM
 *   {@code shm-atomic} or {@code shm-lock}, CPython {@code value-get-lock}) lost no update. The threads' rows,
 *   which see all of it, and the share lost without a lock are given beside it.</li>
 * </ul>
 */
final class LessonClaims {

    static final String QUEUE_PIPE = "Queue for many producers, Pipe for two ends.";
    static final String MANAGERS = "Managers are slower than shared memory.";
    static final String SHARE_NOTHING = "Processes share nothing unless told to.";
    /** Differences within 10 % are run-to-run noise (as for the pool claims). */
    private static final double NOISE = 1.10;

    private LessonClaims() {
    }

    /** The claims whose family is in the run, in the material's order. */
    static List<Claim> of(List<ResultRow> measured) {
        List<Claim> claims = new ArrayList<>();
        boolean ipc = measured.stream().anyMatch(r -> "ipc".equals(r.family()));
        boolean sync = measured.stream().anyMatch(r -> "sync".equals(r.family()));
        if (ipc) {
            claims.add(queueOrPipe(measured));
        }
        if (ipc) {
            claims.add(managers(measured));
        }
        if (sync) {
            claims.add(shareNothing(measured));
        }
        return claims;
    }

    private record Evidence(Outcome outcome, String text) {
        static final Evidence NONE = new Evidence(Outcome.NOT_MEASURED, "");
    }

    private static Claim claim(String claim, Evidence jvm, Evidence python) {
        return new Claim(claim, jvm.outcome(), jvm.text(), python.outcome(), python.text());
    }

    // ---- ipc: round trips between two processes

    private static List<ResultRow> roundTrips(List<ResultRow> rows, String backend, String transport) {
        return rows.stream().filter(r -> "ipc".equals(r.family()) && "processRoundTrip".equals(r.benchmark())
                && backend.equals(r.backend()) && transport.equals(r.param("transport")) && bytes(r) != null
                && Rows.micros(r) != null).toList();
    }

    private static Double bytes(ResultRow r) {
        return Rows.parse(r.param("messageBytes"));
    }

    /** The rows of {@code a} and {@code b} at 8 B, else at the smallest size both have; empty if none. */
    private static Optional<ResultRow[]> sameSize(List<ResultRow> a, List<ResultRow> b) {
        List<Double> common = a.stream().map(LessonClaims::bytes)
                .filter(s -> b.stream().anyMatch(r -> s.equals(bytes(r)))).sorted().toList();
        if (common.isEmpty()) {
            return Optional.empty();
        }
        double size = common.contains(8.0) ? 8.0 : common.get(0);
        return Optional.of(new ResultRow[] {at(a, size), at(b, size)});
    }

    private static ResultRow at(List<ResultRow> rows, double size) {
        return rows.stream().filter(r -> bytes(r) == size).findFirst().orElseThrow();
    }

    /** The faster of the transports' rows at each size. */
    private static List<ResultRow> fastest(List<ResultRow> rows) {
        return rows.stream().collect(java.util.stream.Collectors.groupingBy(LessonClaims::bytes)).values().stream()
                .map(l -> l.stream().min(Comparator.comparing(Rows::micros)).orElseThrow()).toList();
    }

    private static String size(ResultRow r) {
        return Format.number(bytes(r)) + " B";
    }

    private static Claim queueOrPipe(List<ResultRow> rows) {
        List<ResultRow> jvmPipes = new ArrayList<>(roundTrips(rows, "processes", "pipe"));
        jvmPipes.addAll(roundTrips(rows, "processes", "socket"));
        return claim(QUEUE_PIPE,
                bothHalves(pipeAgainstQueue(fastest(jvmPipes), roundTrips(rows, "processes", "ring"), "ring"),
                        manyProducers(producerRows(rows, "processes", "ring"), producerRows(rows, "processes",
                                "pipes"), "ring")),
                bothHalves(pipeAgainstQueue(roundTrips(rows, "py-processes", "pipe"), roundTrips(rows,
                                "py-processes", "queue"), "Queue"),
                        manyProducers(producerRows(rows, "py-processes", "queue"), producerRows(rows,
                                "py-processes", "pipes"), "Queue")));
    }

    /** The claim's verdict from its two halves: held if every measured half holds. */
    private static Evidence bothHalves(Evidence twoEnds, Evidence many) {
        if (twoEnds.outcome() == Outcome.NOT_MEASURED && many.outcome() == Outcome.NOT_MEASURED) {
            return Evidence.NONE;
        }
        String first = twoEnds.outcome() == Outcome.NOT_MEASURED ? "two ends: not measured" : twoEnds.text();
        String second = many.outcome() == Outcome.NOT_MEASURED ? "many producers: not measured" : many.text();
        boolean held = twoEnds.outcome() != Outcome.NOT_HELD && many.outcome() != Outcome.NOT_HELD;
        return new Evidence(held ? Outcome.HELD : Outcome.NOT_HELD, first + "; " + second);
    }

    private static Evidence pipeAgainstQueue(List<ResultRow> pipes, List<ResultRow> queues, String queueName) {
        return sameSize(pipes, queues).map(p -> {
            double pipe = Rows.micros(p[0]);
            double queue = Rows.micros(p[1]);
            boolean held = pipe <= NOISE * queue;
            return new Evidence(held ? Outcome.HELD : Outcome.NOT_HELD, "two ends, " + size(p[0])
                    + " round trip: Pipe (" + p[0].param("transport") + ") " + Format.duration(pipe) + ", Queue ("
                    + queueName + ") " + Format.duration(queue) + (held
                    ? pipe * NOISE < queue ? ": the Pipe is " + Format.times(queue / pipe) + " faster" : ": level"
                    : ": the Queue is " + Format.times(pipe / queue) + " faster even for two ends"));
        }).orElse(Evidence.NONE);
    }

    // ---- ipc: many producers, one consumer

    /** The manyProducers rows of a backend and transport with a producer count and a time per message. */
    private static List<ResultRow> producerRows(List<ResultRow> rows, String backend, String transport) {
        return rows.stream().filter(r -> "ipc".equals(r.family()) && "manyProducers".equals(r.benchmark())
                && backend.equals(r.backend()) && transport.equals(r.param("transport")) && r.workers() != null
                && bytes(r) != null && Rows.micros(r) != null).toList();
    }

    /**
     * The many-producer half: at each k &ge; 2 both have (at the smallest size both have), the Queue's time per
     * message against the pipes'.
     */
    private static Evidence manyProducers(List<ResultRow> queues, List<ResultRow> pipes, String queueName) {
        List<Double> common = queues.stream().map(LessonClaims::bytes)
                .filter(b -> pipes.stream().anyMatch(r -> b.equals(bytes(r)))).sorted().toList();
        if (common.isEmpty()) {
            return Evidence.NONE;
        }
        double size = common.get(0);
        List<Integer> ks = queues.stream().filter(r -> bytes(r) == size && r.workers() >= 2).map(ResultRow::workers)
                .filter(k -> pipes.stream().anyMatch(r -> bytes(r) == size && k.equals(r.workers())))
                .distinct().sorted().toList();
        if (ks.isEmpty()) {
            return Evidence.NONE;
        }
        boolean held = true;
        List<String> at = new ArrayList<>();
        for (int k : ks) {
            double queue = Rows.micros(producerRow(queues, size, k));
            double pipe = Rows.micros(producerRow(pipes, size, k));
            boolean here = queue <= NOISE * pipe;
            held &= here;
            at.add("k = " + k + ": " + Format.number(1e6 / queue) + " against " + Format.number(1e6 / pipe)
                    + " msg/s (" + (!here ? "the pipes are " + Format.times(queue / pipe) + " faster"
                    : queue * NOISE < pipe ? "the Queue is " + Format.times(pipe / queue) + " faster" : "level")
                    + ")");
        }
        return new Evidence(held ? Outcome.HELD : Outcome.NOT_HELD, "many producers, " + Format.number(size)
                + " B messages to one consumer, Queue (" + queueName + ") against a Pipe per producer: "
                + String.join(", ", at));
    }

    private static ResultRow producerRow(List<ResultRow> rows, double size, int k) {
        return rows.stream().filter(r -> bytes(r) == size && r.workers() == k).findFirst().orElseThrow();
    }

    // ---- managers against shared memory

    private static Claim managers(List<ResultRow> rows) {
        Evidence jvm = sameSize(roundTrips(rows, "processes", "manager"), roundTrips(rows, "processes", "ring"))
                .map(p -> managerAgainst(Rows.micros(p[0]), "Manager round trip (" + size(p[0]) + ")",
                        Rows.micros(p[1]), "shared-memory ring round trip"))
                .orElse(Evidence.NONE);
        List<ResultRow> pyManager = roundTrips(rows, "py-processes", "manager");
        Optional<ResultRow> pyValue = rows.stream().filter(r -> "sync".equals(r.family())
                        && "processes:increment".equals(r.benchmark()) && "py-processes".equals(r.backend())
                        && "value-get-lock".equals(r.param("primitive")) && r.workers() != null
                        && Rows.micros(r) != null)
                .min(Comparator.comparing(ResultRow::workers));
        Evidence python = pyManager.isEmpty() || pyValue.isEmpty() ? Evidence.NONE : managerAgainst(
                Rows.micros(pyManager.stream().min(Comparator.comparing(LessonClaims::bytes)).orElseThrow()),
                "Manager().list() append + pop ("
                        + size(pyManager.stream().min(Comparator.comparing(LessonClaims::bytes)).orElseThrow()) + ")",
                Rows.micros(pyValue.get()), "one Value update under get_lock() (k = " + pyValue.get().workers() + ")");
        return claim(MANAGERS, jvm, python);
    }

    private static Evidence managerAgainst(double manager, String managerText, double shared, String sharedText) {
        double ratio = manager / shared;
        return new Evidence(ratio > NOISE ? Outcome.HELD : Outcome.NOT_HELD, managerText + " "
                + Format.duration(manager) + " vs " + sharedText + " " + Format.duration(shared) + " = "
                + Format.times(ratio));
    }

    // ---- sync: the plain field the workers add to, and the counter they were told to share

    /** The sync count rows {@code <method>:<metric>} of a backend, by (primitive, workers). */
    private static List<ResultRow> counts(List<ResultRow> rows, String backend, String metric) {
        return rows.stream().filter(r -> "sync".equals(r.family()) && backend.equals(r.backend())
                && r.benchmark() != null && r.benchmark().endsWith(":" + metric) && r.score() != null
                && r.workers() != null).toList();
    }

    /** The row of {@code metric} with the same method, primitive and workers as {@code r}, if any. */
    private static Optional<ResultRow> twin(List<ResultRow> rows, ResultRow r, String metric) {
        String method = r.benchmark().substring(0, r.benchmark().indexOf(':'));
        return rows.stream().filter(o -> "sync".equals(o.family()) && Objects.equals(o.backend(), r.backend())
                && (method + ":" + metric).equals(o.benchmark()) && Objects.equals(o.workers(), r.workers())
                && Objects.equals(o.params(), r.params()) && o.score() != null).findFirst();
    }

    private static Claim shareNothing(List<ResultRow> rows) {
        return claim(SHARE_NOTHING,
                shareNothing(rows, "processes", "threads", List.of("shm-atomic", "shm-lock"), "shm-none"),
                shareNothing(rows, "py-processes", "py-threads", List.of("value-get-lock"), "value-no-lock"));
    }

    private static Evidence shareNothing(List<ResultRow> rows, String processes, String threads,
            List<String> toldTo, String racy) {
        List<ResultRow> plain = counts(rows, processes, "plainSeen");
        double seen = 0;
        double made = 0;
        for (ResultRow r : plain) {
            Optional<ResultRow> updates = twin(rows, r, "updates");
            if (updates.isPresent()) {
                seen += r.score();
                made += updates.get().score();
            }
        }
        // the counter they were told to share: the told-to row with the most contenders and its lost count
        Optional<ResultRow> shared = counts(rows, processes, "updates").stream()
                .filter(r -> toldTo.contains(r.param("primitive")) && r.score() > 0
                        && twin(rows, r, "lostUpdates").isPresent())
                .max(Comparator.comparing(ResultRow::workers));
        if (made == 0 || shared.isEmpty()) {
            return Evidence.NONE;
        }
        double sharedLost = twin(rows, shared.get(), "lostUpdates").orElseThrow().score();
        boolean held = seen == 0 && sharedLost == 0;
        StringBuilder text = new StringBuilder("workers added " + Format.number(made) + " to a plain "
                + (Rows.isPython(processes) ? "module global" : "static field") + ": the parent saw " + Format.number(seen) + " (" + Format.percent(seen / made) + ")");
        double threadsSeen = 0;
        double threadsMade = 0;
        for (ResultRow r : counts(rows, threads, "plainSeen")) {
            Optional<ResultRow> updates = twin(rows, r, "updates");
            if (updates.isPresent()) {
                threadsSeen += r.score();
                threadsMade += updates.get().score();
            }
        }
        if (threadsMade > 0) {
            text.append(" (threads: ").append(Format.percent(threadsSeen / threadsMade)).append(" seen)");
        }
        double sharedMade = shared.get().score();
        text.append("; told to, through shared memory (").append(shared.get().param("primitive")).append(", k = ")
                .append(shared.get().workers()).append("): ").append(Format.number(sharedMade - sharedLost))
                .append(" of ").append(Format.number(sharedMade)).append(" seen");
        counts(rows, processes, "updates").stream()
                .filter(r -> racy.equals(r.param("primitive")) && r.score() > 0
                        && twin(rows, r, "lostUpdates").isPresent())
                .max(Comparator.comparing(ResultRow::workers))
                .ifPresent(r -> text.append("; without a lock (").append(racy).append(", k = ").append(r.workers())
                        .append(") ").append(Format.percent(twin(rows, r, "lostUpdates").orElseThrow().score()
                                / r.score())).append(" of updates lost, with ").append(shared.get().param("primitive"))
                        .append(" ").append(Format.percent(sharedLost / sharedMade)));
        return new Evidence(held ? Outcome.HELD : Outcome.NOT_HELD, text.toString());
    }
}
