package org.poolbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.poolbench.cli.Family;
import org.poolbench.results.IterationsCsv.Iteration;
import org.poolbench.results.ResultRow;

/** The views' numbers on small hand-made runs, where the right answer can be worked out by hand. */
class ViewsTest {

    @Test
    void theGranularityCaptionGivesEachEndOfTheSweepsTaskCounts() {
        List<ResultRow> rows = List.of(
                ResultRow.builder().runId("r").family("granularity").benchmark("factorial").backend("sequential")
                        .taskSize(1000L).tasks(2048).build(),
                ResultRow.builder().runId("r").family("granularity").benchmark("factorial").backend("sequential")
                        .taskSize(300L).tasks(8192).build(),
                ResultRow.builder().runId("r").family("granularity").benchmark("factorial").backend("sequential")
                        .taskSize(3000L).tasks(256).build());
        assertEquals("8192 tasks per job at 300! to 256 at 3000! (about the same work per job).",
                GranularityView.tasksPerJob(rows));
        assertEquals("2048 tasks per job.", GranularityView.tasksPerJob(rows.subList(0, 1)));
    }


    static final Map<String, String> ENV = Map.of("run_id", "R", "logical_cores", "2");

    static ResultRow.Builder row(String family, String backend) {
        return ResultRow.builder().runId("R").family(family).benchmark("job").backend(backend).mode("avgt")
                .status("ok");
    }

    static ResultRow scaling(String backend, int cores, int workers, double ms) {
        return row("scaling", backend).workload("factorial").cores(cores).workers(workers).tasks(8).score(ms)
                .scoreError(ms / 100).unit("ms/op").build();
    }

    @Test
    void scalingSpeedupsAreOverSequentialAtTheFewestCores() {
        List<ResultRow> rows = List.of(scaling("sequential", 1, 1, 100), scaling("sequential", 2, 2, 105),
                scaling("thread-pool", 1, 1, 101), scaling("thread-pool", 2, 2, 55), scaling("thread-pool", 2, 4, 60),
                row("scaling", "process-pool").workload("factorial").cores(2).workers(64).status("skipped")
                        .note("too many").build());
        ScalingView v = Family.analyse(rows, ENV).views(ScalingView.class).get(0);
        assertEquals("scaling-factorial", v.figure());
        assertEquals(2, v.maxCores());
        Series threads = v.series().stream().filter(s -> s.name().equals("thread-pool")).findFirst().orElseThrow();
        assertEquals(100 / 55.0, threads.points().get(1).y(), 1e-12);
        // the error bar adds both relative errors (1 % each) in quadrature
        assertEquals(100 / 55.0 * Math.hypot(0.01, 0.01), threads.points().get(1).error(), 1e-12);
        Series over = v.series().stream().filter(Series::dotted).findFirst().orElseThrow();
        assertEquals("thread-pool, 2× workers", over.name());
        assertEquals(List.of("backend", "1 core", "2 cores"), v.table().header());
        assertEquals(List.of("thread-pool", "0.99×", "1.82×"), v.table().rows().get(1));
        assertTrue(v.lesson().startsWith("At 2 cores on factorial, the speedup over sequential is thread-pool 1.82×"),
                v.lesson());
        assertTrue(v.caption().contains("1 point skipped by design"), v.caption());
    }

    static List<ResultRow> granularity(String backend, double... microsPerJob) {
        long[] sizes = {10, 100, 1000};
        List<ResultRow> out = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            out.add(row("granularity", backend).benchmark("factorial").workload("factorial").cores(2).workers(2)
                    .taskSize(sizes[i]).chunksize(0).tasks(10).score(microsPerJob[i]).unit("us/op").build());
        }
        return out;
    }

    @Test
    void crossoverIsWhereThePoolStaysFaster() {
        List<ResultRow> rows = new ArrayList<>(granularity("sequential", 100, 1_000, 10_000));
        rows.addAll(granularity("process-pool", 90, 1_500, 6_000)); // faster at 10, slower at 100, faster at 1000
        rows.addAll(granularity("thread-pool", 60, 600, 6_000));    // faster everywhere
        GranularityView v = Family.analyse(rows, ENV).views(GranularityView.class).get(0);
        assertEquals(1000L, v.crossover().taskSize());
        assertEquals(1000.0, v.crossover().workPerTask(), 1e-9); // 10,000 µs / 10 tasks
        assertEquals(2, v.cores());
        assertEquals(10.0, v.workRange()[0], 1e-9);
        assertTrue(v.lesson().contains("process-pool beats sequential on factorial from task size 1000 on (≈ 1 ms"),
                v.lesson());
        assertTrue(v.lesson().contains("thread-pool beats sequential on factorial from task size 10 on"), v.lesson());

        List<ResultRow> never = new ArrayList<>(granularity("sequential", 100, 1_000, 10_000));
        never.addAll(granularity("process-pool", 200, 2_000, 20_000));
        GranularityView n = Family.analyse(never, ENV).views(GranularityView.class).get(0);
        assertNull(n.crossover());
        assertTrue(n.caption().contains("process-pool never stays faster than sequential beyond the noise"), n.caption());

        // 5 % faster at 100 but with ±10 % errors on both points: parity within the noise, not a crossover
        List<ResultRow> close = new ArrayList<>(withError(granularity("sequential", 100, 1_000, 10_000), 0.10));
        close.addAll(withError(granularity("process-pool", 200, 950, 6_000), 0.10));
        GranularityView c = Family.analyse(close, ENV).views(GranularityView.class).get(0);
        assertEquals(1000L, c.crossover().taskSize());
    }

    /**
     * Where the points took turns, their paired iterations decide: wide JMH errors from drift do not hide a pool that
     * is faster in every pair, and a pool whose pairs straddle 1 is at parity even if its score is lower.
     */
    @Test
    void crossoverJudgesByPairedIterationsWhereThereAreSome() {
        List<ResultRow> seq = withError(granularity("sequential", 100, 1_000, 10_000), 0.30);
        List<ResultRow> pool = withError(granularity("process-pool", 200, 980, 8_000), 0.30);
        List<Iteration> its = new ArrayList<>();
        for (int i = 1; i <= 15; i++) {
            double drift = 1 + 0.4 * (i % 3); // the machine's speed moves; each pair shares its phase
            its.add(RunChecksTest.iteration(seq.get(1), i, 1_000 * drift));
            its.add(RunChecksTest.iteration(pool.get(1), i, (i % 2 == 0 ? 930 : 1_030) * drift)); // straddles 1
            its.add(RunChecksTest.iteration(seq.get(2), i, 10_000 * drift));
            its.add(RunChecksTest.iteration(pool.get(2), i, 8_000 * drift)); // 0.8 in every pair
        }
        List<ResultRow> rows = new ArrayList<>(seq);
        rows.addAll(pool);
        assertNull(Family.analyse(rows, ENV).views(GranularityView.class).get(0).crossover(),
                "by the errors alone (±30 %) the pool never stays faster");
        GranularityView paired = Family.analyse(rows, ENV, its).views(GranularityView.class).get(0);
        assertEquals(1000L, paired.crossover().taskSize(), "faster in every pair at 1000, at parity at 100");
    }

    private static List<ResultRow> withError(List<ResultRow> rows, double relative) {
        return rows.stream().map(r -> r.toBuilder().scoreError(r.score() * relative).build()).toList();
    }

    @Test
    void chunkSizeSweepMarksTheAutomaticChunkSizeItReaches() {
        List<ResultRow> rows = new ArrayList<>();
        for (int chunk : new int[] {10, 100, 1000}) {
            rows.add(row("granularity", "process-pool").benchmark("squaresChunks").workload("squares").cores(2)
                    .workers(2).chunksize(chunk).tasks(1000).score(50_000.0 / chunk + 100).unit("us/op").build());
        }
        rows.add(row("granularity", "sequential").benchmark("squaresChunks").workload("squares").cores(2).workers(2)
                .chunksize(0).tasks(1000).score(80.0).unit("us/op").build());
        ChunksizeView v = Family.analyse(rows, ENV).views(ChunksizeView.class).get(0);
        assertEquals(125, v.auto()); // ⌈1000 / (4 × 2)⌉
        assertEquals("µs", v.unit());
        assertEquals(80.0, v.sequential(), 1e-9);
        assertTrue(v.lesson().startsWith("Fastest chunksize: process-pool 1000"), v.lesson());
    }

    @Test
    void zeroLatencyDownloadsAreTheCeilingNotAPanel() {
        List<ResultRow> rows = new ArrayList<>();
        for (int w : new int[] {1, 4, 16}) {
            rows.add(row("io", "virtual-threads").workload("download").cores(2).workers(w).tasks(64)
                    .score(64.0 * 10 / w).unit("ms/op").params("latencyMs=10;fileBytes=1024").build());
        }
        rows.add(row("io", "virtual-threads").workload("download").cores(2).workers(16).tasks(64).score(20.0)
                .unit("ms/op").params("latencyMs=0;fileBytes=1024").build());
        IoView v = Family.analyse(rows, ENV).views(IoView.class).get(0);
        assertEquals(1, v.panels().size());
        IoView.Panel p = v.panels().get(0);
        assertEquals("io-concurrency", p.name());
        assertEquals(3200.0, p.ceiling(), 1e-9); // 64 files in 20 ms
        assertEquals(16, p.ceilingAt());
        assertEquals(1600.0, p.ideal().get(2).y(), 1e-9); // 64 / (4 rounds × 10 ms)
        assertTrue(v.lesson().startsWith("Best throughput: virtual-threads 1,600 files/s at 16 workers"), v.lesson());
    }

    @Test
    void familiesWithoutAFigureBecomeTables() {
        List<ResultRow> rows = List.of(row("overhead", "process-pool").benchmark("apply").score(42.5)
                .scoreError(1.5).unit("us/op").build());
        Analysis a = Family.analyse(rows, ENV);
        assertEquals(1, a.views(TableView.class).size());
        TableView t = a.views(TableView.class).get(0);
        assertEquals("Family: overhead", t.title());
        assertEquals(List.of("apply", "process-pool", "", "avgt", "42.5 ± 1.5", "us/op"), t.table().rows().get(0));
    }

    @Test
    void claimsAreJudgedFromTheirFigures() {
        List<ResultRow> rows = new ArrayList<>(List.of(scaling("sequential", 1, 1, 100),
                scaling("thread-pool", 2, 2, 55), scaling("process-pool", 2, 2, 60),
                scaling("py-sequential", 1, 1, 300), scaling("py-thread-pool", 2, 2, 310),
                scaling("py-process-pool", 2, 2, 160)));
        rows.add(row("creation", "").benchmark("platformThread").cores(2).score(100.0).unit("us/op").build());
        rows.add(row("creation", "").benchmark("jvm").cores(2).score(40_000.0).unit("us/op").build());
        ClaimsView v = Family.analyse(rows, ENV).views(ClaimsView.class).get(0);
        ClaimsView.Claim creation = v.claims().get(0);
        assertEquals(ClaimsView.Outcome.HELD, creation.jvmOutcome());
        assertTrue(creation.jvm().contains("a worker JVM 40 ms (400×)"), creation.jvm());
        assertEquals(ClaimsView.Outcome.NOT_MEASURED, creation.pythonOutcome());
        ClaimsView.Claim cpu = v.claims().get(2);
        assertEquals(ClaimsView.Outcome.NOT_HELD, cpu.jvmOutcome(), cpu.jvm()); // threads 1.82× beat processes 1.67×
        assertEquals(ClaimsView.Outcome.HELD, cpu.pythonOutcome(), cpu.python()); // 1.88× against 0.97×
        ClaimsView.Claim threads = v.claims().get(3);
        assertEquals(ClaimsView.Outcome.NOT_HELD, threads.jvmOutcome());
        assertEquals(ClaimsView.Outcome.HELD, threads.pythonOutcome());
        assertTrue(v.table().rows().get(3).get(2).startsWith("holds: factorial at 2 cores: py-thread-pool 0.97×"),
                v.table().rows().get(3).toString());
    }

    @Test
    void cpythonClaimsCellsComeFromItsPerTaskIoAndStartMethodRows() {
        List<ResultRow> rows = new ArrayList<>(List.of(scaling("py-sequential", 1, 1, 300),
                scaling("py-process-pool", 2, 2, 160), scaling("py-process-per-task", 2, 2, 480),
                scaling("py-process-pool[spawn]", 2, 2, 170)));
        for (String backend : List.of("py-thread-pool", "py-process-pool")) {
            for (int c : List.of(4, 16)) {
                // threads: 128 files in 700 / 180 ms; processes in 760 / 260 ms
                double ms = backend.equals("py-thread-pool") ? (c == 4 ? 700 : 180) : (c == 4 ? 760 : 260);
                rows.add(row("io", backend).benchmark("download").workload("download").cores(2).workers(c)
                        .tasks(128).score(ms).unit("ms/op").params("fileBytes=16384;latencyMs=20").build());
            }
        }
        rows.add(row("creation", "").benchmark("jvm").cores(2).score(40_000.0).unit("us/op").build());
        rows.add(row("creation", "").benchmark("platformThread").cores(2).score(100.0).unit("us/op").build());
        rows.add(row("creation", "").benchmark("pyThread").cores(2).score(150.0).unit("us/op").build());
        for (var m : List.of(List.of("fork", 18_000.0), List.of("spawn", 90_000.0), List.of("forkserver", 60_000.0))) {
            rows.add(row("creation", "").benchmark("pyProcess").cores(2).score((Double) m.get(1)).unit("us/op")
                    .params("start_method=" + m.get(0)).build());
        }
        ClaimsView v = Family.analyse(rows, ENV).views(ClaimsView.class).get(0);
        ClaimsView.Claim creation = v.claims().get(0);
        assertEquals(ClaimsView.Outcome.HELD, creation.pythonOutcome(), creation.python());
        assertTrue(creation.python().startsWith("a thread 150 µs, a process 18 ms (120×, fork); spawned 90 ms, by "
                + "forkserver 60 ms (like for like: a worker JVM 40 ms against a spawned CPython process)"),
                creation.python());
        ClaimsView.Claim amortized = v.claims().get(1);
        assertEquals(ClaimsView.Outcome.HELD, amortized.pythonOutcome(), amortized.python());
        assertEquals("factorial at 2 cores: py-process-per-task takes 3.00× as long as py-process-pool",
                amortized.python());
        ClaimsView.Claim io = v.claims().get(4);
        assertEquals(ClaimsView.Outcome.HELD, io.pythonOutcome(), io.python());
        assertTrue(io.python().startsWith("best py-thread-pool 711 files/s at 16 workers; best py-process-pool"),
                io.python());
        // the spawn row is a series of its own, not mixed into py-process-pool's
        assertEquals(ClaimsView.Outcome.NOT_MEASURED, amortized.jvmOutcome());
        CreationView created = Family.analyse(rows, ENV).views(CreationView.class).get(0);
        assertTrue(created.points().stream().anyMatch(p -> p.label().equals("pyProcess[spawn]")),
                created.points().toString());
        assertTrue(created.points().stream().anyMatch(p -> p.label().equals("pyProcess")));
    }

    @Test
    void noisyPointsAreFlagged() {
        List<ResultRow> rows = List.of(scaling("sequential", 1, 1, 100),
                scaling("thread-pool", 2, 2, 55).toBuilder().scoreError(11.0).build());
        QualityView q = Family.analyse(rows, ENV).views(QualityView.class).get(0);
        assertEquals(1, q.noisy().size());
        assertEquals("thread-pool", q.noisy().get(0).backend());
        assertTrue(q.lesson().contains("1 of 2 points exceed 10 %"), q.lesson());
    }

    static ResultRow sync(String benchmark, String primitive, int k, double score, String unit) {
        return row("sync", "threads").benchmark(benchmark).cores(2).workers(k).score(score).unit(unit)
                .params("increments=1000;primitive=" + primitive).build();
    }

    @Test
    void theRaceLosesUpdatesOnlyWithoutALock() {
        List<ResultRow> rows = new ArrayList<>();
        for (int k : new int[] {1, 2}) {
            rows.add(sync("threads:increment", "none", k, 2.0, "ns/op"));
            rows.add(sync("threads:lostUpdates", "none", k, k == 1 ? 0 : 500, "#"));
            rows.add(sync("threads:updates", "none", k, 1000.0 * k, "#"));
            rows.add(sync("threads:increment", "atomic-long", k, 10.0 * k, "ns/op"));
            rows.add(sync("threads:lostUpdates", "atomic-long", k, 0, "#"));
            rows.add(sync("threads:updates", "atomic-long", k, 1000.0 * k, "#"));
        }
        SyncView v = Family.analyse(rows, ENV).views(SyncView.class).get(0);
        assertEquals(2, v.timePerAdd().size());
        assertEquals(1, v.lost().size(), "only the racy series has a lost-updates line");
        assertEquals(25.0, v.lost().get(0).points().get(1).y(), 1e-9); // 500 of 2000
        assertEquals(20.0, v.timePerAdd().get(0).points().get(1).y(), 1e-9); // atomic-long at k = 2, ns
        assertTrue(v.lesson().startsWith("At 2 contenders, updates lost without a lock: threads: none 25 %; none lost"
                + " with threads: atomic-long"), v.lesson());
    }

    @Test
    void messagesLatencyAndThroughputBySize() {
        List<ResultRow> rows = new ArrayList<>();
        for (int size : new int[] {8, 1_048_576}) {
            rows.add(row("ipc", "threads").benchmark("threadRoundTrip").cores(2).score(size == 8 ? 10.0 : 20.0)
                    .unit("us/op").params("messageBytes=" + size + ";transport=synchronous-queue").build());
            rows.add(row("ipc", "processes").benchmark("processRoundTrip").cores(2).score(size == 8 ? 30.0 : 900.0)
                    .unit("us/op").params("messageBytes=" + size + ";transport=ring").build());
            rows.add(row("ipc", "processes").benchmark("processStream").mode("thrpt").cores(2)
                    .score(size == 8 ? 1e6 : 1000.0).unit("ops/s").params("messageBytes=" + size + ";transport=ring")
                    .build());
        }
        IpcView v = Family.analyse(rows, ENV).views(IpcView.class).get(0);
        assertEquals(2, v.latency().size());
        assertEquals(30.0, v.latency().get(0).points().get(0).y(), 1e-9);
        // 1000 messages of 1 MiB per second: 1,048.576 MB/s
        assertEquals(1048.576, v.throughput().get(0).points().get(1).y(), 1e-6);
        assertTrue(v.lesson().contains("between processes at best 30 µs (ring, 3.00×)"), v.lesson());
        assertEquals(List.of(IpcView.LATENCY_FIGURE, IpcView.THROUGHPUT_FIGURE), v.figures()); // no producers run
    }

    @Test
    void manyProducersAreMessagesPerSecondAgainstProducers() {
        List<ResultRow> rows = new ArrayList<>();
        for (int k : new int[] {1, 2, 4}) {
            for (String[] t : new String[][] {{"processes", "ring"}, {"processes", "pipes"}, {"py-processes", "queue"},
                    {"py-processes", "pipes"}}) {
                double rate = (t[1].equals("pipes") ? 1e5 : 1e6) * k / (t[0].startsWith("py") ? 10 : 1);
                rows.add(row("ipc", t[0]).benchmark("manyProducers").mode("thrpt").cores(2).workers(k).score(rate)
                        .unit("ops/s").params("messageBytes=16;transport=" + t[1]).build());
            }
        }
        IpcView v = Family.analyse(rows, ENV).views(IpcView.class).get(0);
        assertTrue(v.latency().isEmpty() && v.throughput().isEmpty());
        assertEquals(List.of("processes: pipes", "processes: ring", "py-processes: pipes", "py-processes: queue"),
                v.producers().stream().map(Series::name).toList());
        Series ring = v.producers().get(1);
        assertEquals(List.of(1.0, 2.0, 4.0), ring.points().stream().map(Point::x).toList());
        assertEquals(4e6, ring.points().get(2).y(), 1e-3);
        assertEquals(List.of(IpcView.LATENCY_FIGURE, IpcView.THROUGHPUT_FIGURE, IpcView.PRODUCERS_FIGURE),
                v.figures());
        assertTrue(v.lesson().contains("4 producers to one consumer (processes): one ring 4,000,000 msg/s, a pipe "
                + "each 400,000 msg/s"), v.lesson());
        assertTrue(v.lesson().contains("(py-processes): one queue 400,000 msg/s, a pipe each 40,000 msg/s"),
                v.lesson());
        assertTrue(v.table().rows().contains(List.of("processes: ring", "manyProducers (k = 2)", "16",
                "2,000,000 msg/s")), v.table().rows().toString());
    }

    @Test
    void clusterScalingIsOverSequentialPerMember() {
        List<ResultRow> rows = new ArrayList<>();
        for (String backend : List.of("sequential", "process-pool", "cluster")) {
            for (int w : new int[] {1, 2}) {
                if (backend.equals("sequential") && w == 2) {
                    continue;
                }
                double ms = backend.equals("sequential") ? 100 : backend.equals("process-pool") ? 100.0 / w : 120.0 / w;
                rows.add(row("cluster", backend).benchmark("scaling").workload("factorial").cores(2).workers(w)
                        .score(ms).unit("ms/op").build());
            }
        }
        rows.add(row("cluster", "cluster").benchmark("roundTrip").cores(2).score(300.0).unit("us/op").build());
        rows.add(row("cluster", "process-pool").benchmark("roundTrip").cores(2).score(50.0).unit("us/op").build());
        ClusterView v = Family.analyse(rows, ENV).views(ClusterView.class).get(0);
        assertEquals(List.of("cluster-scaling-factorial"), v.figures());
        Series cluster = v.scaling().get("factorial").get(1);
        assertEquals("cluster", cluster.name());
        assertEquals(100 / 60.0, cluster.points().get(1).y(), 1e-9);
        assertTrue(v.lesson().contains("6.00× a worker process's apply"), v.lesson());
        assertTrue(v.lesson().contains("at least 2.5 ms"), v.lesson()); // 10 × (300 − 50) µs
        assertTrue(v.lesson().contains("(0.833 of it)"), v.lesson());
    }
}
