package org.poolbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.poolbench.cli.Family;
import org.poolbench.analysis.ClaimsView.Claim;
import org.poolbench.analysis.ClaimsView.Outcome;
import org.poolbench.results.ResultRow;

/** The verdicts on the shared-state and message claims, on hand-made sync and ipc rows. */
class LessonClaimsTest {

    static ResultRow roundTrip(String backend, String transport, int bytes, double micros) {
        return ViewsTest.row("ipc", backend).benchmark("processRoundTrip").cores(2).score(micros).unit("us/op")
                .params("messageBytes=" + bytes + ";transport=" + transport).build();
    }

    static ResultRow producers(String backend, String transport, int k, double messagesPerSecond) {
        return ViewsTest.row("ipc", backend).benchmark("manyProducers").mode("thrpt").cores(2).workers(k)
                .score(messagesPerSecond).unit("ops/s").params("messageBytes=16;transport=" + transport).build();
    }

    /** The four count rows and the time row of one sync point. */
    static List<ResultRow> sync(String backend, String primitive, int k, double updates, double lost, double seen) {
        String method = backend.endsWith("threads") ? "threads" : "processes";
        String params = "increments=1000;primitive=" + primitive;
        List<ResultRow> out = new ArrayList<>();
        out.add(ViewsTest.row("sync", backend).benchmark(method + ":increment").cores(2).workers(k).score(20.0)
                .unit("ns/op").params(params).build());
        for (String[] m : new String[][] {{"updates", "" + updates}, {"lostUpdates", "" + lost},
                {"plainSeen", "" + seen}}) {
            if (!m[1].equals("NaN")) {
                out.add(ViewsTest.row("sync", backend).benchmark(method + ":" + m[0]).cores(2).workers(k)
                        .score(Double.valueOf(m[1])).unit("#").params(params).build());
            }
        }
        return out;
    }

    /**
     * The claim in the view made from {@code rows} plus a measured creation claim (without any measured claim there
     * is no view at all, which would hide a claim judged "not measured").
     */
    private static Optional<Claim> claim(List<ResultRow> rows, String text) {
        List<ResultRow> all = new ArrayList<>(rows);
        all.add(ViewsTest.row("creation", "").benchmark("platformThread").cores(2).score(100.0).unit("us/op").build());
        all.add(ViewsTest.row("creation", "").benchmark("jvm").cores(2).score(40_000.0).unit("us/op").build());
        ClaimsView v = Family.analyse(all, ViewsTest.ENV).views(ClaimsView.class).stream().findFirst().orElse(null);
        return v == null ? Optional.empty() : v.claims().stream().filter(c -> c.claim().equals(text)).findFirst();
    }

    @Test
    void pipeForTwoEndsHoldsWhenThePipeIsNoSlowerThanTheQueue() {
        List<ResultRow> rows = List.of(
                roundTrip("processes", "pipe", 8, 15), roundTrip("processes", "socket", 8, 20),
                roundTrip("processes", "ring", 8, 0.3), roundTrip("processes", "ring", 8192, 3),
                roundTrip("py-processes", "pipe", 8, 40), roundTrip("py-processes", "queue", 8, 90));
        Claim c = claim(rows, LessonClaims.QUEUE_PIPE).orElseThrow();
        assertEquals(Outcome.NOT_HELD, c.jvmOutcome(), c.jvm()); // the ring beats the faster Connection, pipe
        assertTrue(c.jvm().contains("Pipe (pipe) 15 µs, Queue (ring) 300 ns: the Queue is 50.0× faster"), c.jvm());
        assertEquals(Outcome.HELD, c.pythonOutcome(), c.python());
        assertTrue(c.python().contains("Pipe (pipe) 40 µs, Queue (Queue) 90 µs: the Pipe is 2.25× faster"),
                c.python());
        // within 10 %: level, still held
        Claim level = claim(List.of(roundTrip("processes", "pipe", 8, 10.5), roundTrip("processes", "ring", 8, 10)),
                LessonClaims.QUEUE_PIPE).orElseThrow();
        assertEquals(Outcome.HELD, level.jvmOutcome(), level.jvm());
        assertTrue(level.jvm().endsWith(": level; many producers: not measured"), level.jvm());
        // no common size: not measured on either side
        Claim none = claim(List.of(roundTrip("processes", "pipe", 8, 15), roundTrip("processes", "ring", 1024, 1)),
                LessonClaims.QUEUE_PIPE).orElseThrow();
        assertEquals(Outcome.NOT_MEASURED, none.jvmOutcome());
        assertEquals(Outcome.NOT_MEASURED, none.pythonOutcome());
    }

    @Test
    void queueForManyProducersHoldsWhenTheQueueIsNoSlowerThanAPipePerProducerAtEveryKAboveOne() {
        List<ResultRow> rows = List.of(
                // JVM: the ring far ahead at k = 2 and 4; k = 1 (the pipes ahead) is two ends and not judged
                producers("processes", "ring", 1, 1_000_000), producers("processes", "pipes", 1, 2_000_000),
                producers("processes", "ring", 2, 5_000_000), producers("processes", "pipes", 2, 500_000),
                producers("processes", "ring", 4, 2_000_000), producers("processes", "pipes", 4, 1_000_000),
                // CPython: level at k = 2 (within 10 %), the pipes 1.5x ahead at k = 4
                producers("py-processes", "queue", 2, 50_000), producers("py-processes", "pipes", 2, 52_000),
                producers("py-processes", "queue", 4, 40_000), producers("py-processes", "pipes", 4, 60_000));
        Claim c = claim(rows, LessonClaims.QUEUE_PIPE).orElseThrow();
        assertEquals(Outcome.HELD, c.jvmOutcome(), c.jvm());
        assertEquals("two ends: not measured; many producers, 16 B messages to one consumer, Queue (ring) against a "
                + "Pipe per producer: k = 2: 5,000,000 against 500,000 msg/s (the Queue is 10.0× faster), k = 4: "
                + "2,000,000 against 1,000,000 msg/s (the Queue is 2.00× faster)", c.jvm());
        assertEquals(Outcome.NOT_HELD, c.pythonOutcome(), c.python());
        assertTrue(c.python().contains("k = 2: 50,000 against 52,000 msg/s (level), k = 4: 40,000 against 60,000 "
                + "msg/s (the pipes are 1.50× faster)"), c.python());

        // both halves measured: held only if both hold
        List<ResultRow> both = new ArrayList<>(rows);
        both.addAll(List.of(roundTrip("processes", "pipe", 8, 15), roundTrip("processes", "ring", 8, 0.3),
                roundTrip("py-processes", "pipe", 8, 40), roundTrip("py-processes", "queue", 8, 90)));
        Claim full = claim(both, LessonClaims.QUEUE_PIPE).orElseThrow();
        assertEquals(Outcome.NOT_HELD, full.jvmOutcome(), full.jvm()); // the ring wins two ends too
        assertTrue(full.jvm().startsWith("two ends, 8 B round trip: Pipe (pipe) 15 µs, Queue (ring) 300 ns: the "
                + "Queue is 50.0× faster even for two ends; many producers, 16 B"), full.jvm());
        assertEquals(Outcome.NOT_HELD, full.pythonOutcome(), full.python()); // the Queue behind at k = 4
        List<ResultRow> pyHolds = new ArrayList<>(both);
        pyHolds.removeIf(r -> "py-processes".equals(r.backend()) && "manyProducers".equals(r.benchmark())
                && r.workers() == 4);
        assertEquals(Outcome.HELD, claim(pyHolds, LessonClaims.QUEUE_PIPE).orElseThrow().pythonOutcome());

        // not measured: one producer only, or one transport only
        Claim one = claim(List.of(producers("processes", "ring", 1, 1e6), producers("processes", "pipes", 1, 1e5),
                producers("py-processes", "queue", 2, 5e4)), LessonClaims.QUEUE_PIPE).orElseThrow();
        assertEquals(Outcome.NOT_MEASURED, one.jvmOutcome(), one.jvm());
        assertEquals(Outcome.NOT_MEASURED, one.pythonOutcome(), one.python());
    }

    @Test
    void managersAreSlowerWhenTheirRoundTripExceedsSharedMemoryByMoreThanTenPercent() {
        List<ResultRow> rows = new ArrayList<>(List.of(
                roundTrip("processes", "manager", 8, 74), roundTrip("processes", "ring", 8, 0.5),
                roundTrip("py-processes", "manager", 8, 100)));
        rows.addAll(sync("py-processes", "value-get-lock", 2, 2000, 0, 0));
        rows.addAll(sync("py-processes", "value-get-lock", 1, 1000, 0, 0)); // 20 ns per locked update
        Claim c = claim(rows, LessonClaims.MANAGERS).orElseThrow();
        assertEquals(Outcome.HELD, c.jvmOutcome(), c.jvm());
        assertEquals("Manager round trip (8 B) 74 µs vs shared-memory ring round trip 500 ns = 148.0×", c.jvm());
        assertEquals(Outcome.HELD, c.pythonOutcome(), c.python());
        assertTrue(c.python().contains("vs one Value update under get_lock() (k = 1) 20 ns = 5000.0×"), c.python());
        Claim not = claim(List.of(roundTrip("processes", "manager", 8, 1.05), roundTrip("processes", "ring", 8, 1)),
                LessonClaims.MANAGERS).orElseThrow();
        assertEquals(Outcome.NOT_HELD, not.jvmOutcome(), not.jvm());
        assertEquals(Outcome.NOT_MEASURED, not.pythonOutcome()); // no python rows
        Claim missing = claim(List.of(roundTrip("processes", "manager", 8, 74)), LessonClaims.MANAGERS)
                .orElseThrow();
        assertEquals(Outcome.NOT_MEASURED, missing.jvmOutcome());
    }

    @Test
    void processesShareNothingWhenTheParentSeesNoneOfTheirPlainAddsAndAllOfTheSharedOnes() {
        List<ResultRow> rows = new ArrayList<>();
        rows.addAll(sync("processes", "shm-none", 4, 4000, 1000, 0));
        rows.addAll(sync("processes", "shm-atomic", 4, 4000, 0, 0));
        rows.addAll(sync("threads", "none", 4, 4000, 2000, 4000));
        rows.addAll(sync("py-processes", "value-get-lock", 2, 2000, 0, 0));
        rows.addAll(sync("py-processes", "value-no-lock", 2, 2000, 500, 2000)); // a parent that saw them: broken
        Claim c = claim(rows, LessonClaims.SHARE_NOTHING).orElseThrow();
        assertEquals(Outcome.HELD, c.jvmOutcome(), c.jvm());
        assertEquals("workers added 8,000 to a plain static field: the parent saw 0 (0 %) (threads: 100 % seen);"
                + " told to, through shared memory (shm-atomic, k = 4): 4,000 of 4,000 seen; without a lock"
                + " (shm-none, k = 4) 25 % of updates lost, with shm-atomic 0 %", c.jvm());
        assertEquals(Outcome.NOT_HELD, c.pythonOutcome(), c.python());
        assertTrue(c.python().startsWith("workers added 4,000 to a plain module global: the parent saw 2,000 (50 %)"),
                c.python());
        // a shared counter that lost updates although told to share: not held either
        List<ResultRow> lossy = new ArrayList<>(sync("processes", "shm-lock", 2, 2000, 3, 0));
        assertEquals(Outcome.NOT_HELD, claim(lossy, LessonClaims.SHARE_NOTHING).orElseThrow().jvmOutcome());
        // rows from before the probe (no plainSeen): not measured, nothing made up
        List<ResultRow> old = new ArrayList<>(sync("processes", "shm-atomic", 2, 2000, 0, Double.NaN));
        Claim before = claim(old, LessonClaims.SHARE_NOTHING).orElseThrow();
        assertEquals(Outcome.NOT_MEASURED, before.jvmOutcome());
        assertEquals("", before.jvm());
    }

    @Test
    void lessonClaimsAppearOnlyWithTheirFamilies() {
        List<ResultRow> scaling = List.of(ViewsTest.scaling("sequential", 1, 1, 100),
                ViewsTest.scaling("thread-pool", 2, 2, 55));
        assertEquals(Optional.empty(), claim(scaling, LessonClaims.QUEUE_PIPE));
        assertEquals(Optional.empty(), claim(scaling, LessonClaims.MANAGERS));
        assertEquals(Optional.empty(), claim(scaling, LessonClaims.SHARE_NOTHING));
        List<ResultRow> syncOnly = new ArrayList<>(sync("processes", "shm-atomic", 2, 2000, 0, 0));
        assertTrue(claim(syncOnly, LessonClaims.SHARE_NOTHING).isPresent());
        assertEquals(Optional.empty(), claim(syncOnly, LessonClaims.MANAGERS));
        assertEquals(Optional.empty(), claim(syncOnly, LessonClaims.QUEUE_PIPE));
    }
}
