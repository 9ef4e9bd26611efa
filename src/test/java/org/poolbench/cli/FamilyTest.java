package org.poolbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.analysis.Analysis;
import org.poolbench.analysis.ScalingView;
import org.poolbench.analysis.TableView;
import org.poolbench.analysis.View;
import org.poolbench.backend.Backends;
import org.poolbench.charts.Charts;
import org.poolbench.charts.Renderer;
import org.poolbench.results.ResultRow;
import org.poolbench.workload.Workloads;

/**
 * Every family in the registry is planned, viewed and drawn, and a name outside it is refused: what adding an entry
 * to {@link Family} promises. A new family needs its sample rows in {@link #sample} (the test says so when they are
 * missing).
 */
class FamilyTest {

    private static final Map<String, String> ENV = Map.of("run_id", "R", "logical_cores", "2");

    @Test
    void namesUsersSeeAreTheRegistrysInRunOrder() {
        assertEquals(List.of("ceiling", "scaling", "creation", "granularity", "io", "overhead", "transport", "resource",
                "sync", "ipc", "cluster"), Family.names());
        assertEquals(Family.names(), Plan.FAMILIES);
        assertEquals(Set.of("scaling", "granularity"), Family.with(Family.Trait.SPEEDUPS));
        assertEquals(Set.of("sync", "transport"), Family.with(Family.Trait.AUX_COUNTERS));
        assertEquals(List.of("transport", "sync", "ipc"), Plan.LESSONS);
        for (Family f : Family.values()) {
            assertEquals(f, Family.of(f.id()));
        }
    }

    @Test
    void theCPythonBaselineRunsTheFamiliesWithACPythonPart() throws Exception {
        for (Profile profile : Profile.values()) {
            List<String> python = Family.names().stream().filter(n -> Family.of(n).python(profile)).toList();
            assertEquals(profile == Profile.SMOKE ? List.of("scaling")
                    : List.of("scaling", "creation", "granularity", "io", "sync", "ipc"), python, profile.id());
        }
        // the program's own list (python/poolbench_py.py) names the same families
        String program = Files.readString(Path.of("python/poolbench_py.py"));
        Matcher m = Pattern.compile("(?m)^FAMILIES = \\[(.*)]$").matcher(program);
        assertTrue(m.find(), "FAMILIES in poolbench_py.py");
        assertEquals(Family.names().stream().filter(n -> Family.of(n).python()).toList(),
                List.of(m.group(1).replace("\"", "").split(",\\s*")));
    }

    @Test
    void everyFamilyIsPlannedInEveryProfileWhenNamed() {
        for (Profile profile : Profile.values()) {
            for (Family f : Family.values()) {
                Plan plan = plan(profile, List.of(f.id()));
                assertFalse(plan.invocations.isEmpty() && plan.probes.isEmpty(), f.id() + " in " + profile
                        + ": no JMH invocation and no probe");
                for (JmhInvocation inv : plan.invocations) {
                    assertEquals(f.id(), inv.family(), profile + ": " + inv);
                }
                for (ResultRow skipped : plan.skipped) {
                    assertEquals(f.id(), skipped.family(), profile + ": " + skipped);
                }
            }
        }
    }

    @Test
    void eachProfileByDefaultPlansExactlyTheFamiliesThatBelongToIt() {
        for (Profile profile : Profile.values()) {
            List<String> defaults = Plan.defaultFamilies(profile);
            Plan plan = plan(profile, defaults);
            for (Family f : Family.values()) {
                boolean planned = plan.invocations.stream().anyMatch(i -> i.family().equals(f.id()))
                        || (f == Family.RESOURCE && !plan.probes.isEmpty());
                assertEquals(f.byDefault(profile), defaults.contains(f.id()), f.id() + " in " + profile);
                assertEquals(f.byDefault(profile), planned, f.id() + " planned by default in " + profile);
            }
        }
        assertEquals(List.of("ceiling", "scaling", "creation", "granularity", "io", "overhead", "resource"),
                Plan.defaultFamilies(Profile.QUICK));
        assertFalse(Plan.defaultFamilies(Profile.FULL).contains("cluster"), "cluster runs only when named");
    }

    @Test
    void everyFamilyIsViewedAndDrawn(@TempDir Path dir) throws Exception {
        for (Family f : Family.values()) {
            Analysis a = Family.analyse(sample(f), ENV);
            List<String> tables = a.views(TableView.class).stream().map(TableView::family).toList();
            if (f.viewer() == null) {
                assertTrue(tables.contains(f.id()), f.id() + " is shown as a table: " + tables);
                continue;
            }
            assertFalse(tables.contains(f.id()), f.id() + " has a viewer, yet its rows became a table");
            List<View> drawnIn = new ArrayList<>();
            for (Renderer<?> r : f.renderers()) {
                List<View> views = a.views().stream().filter(r::draws).toList();
                assertFalse(views.isEmpty(), f.id() + ": no " + r.view().getSimpleName() + " from its rows");
                drawnIn.addAll(views);
            }
            if (f.renderers().isEmpty()) { // drawn in another family's view: ceiling in scaling's
                assertEquals(Family.CEILING, f, f.id() + " has a viewer but no chart");
                ScalingView scaling = a.views(ScalingView.class).get(0);
                assertFalse(scaling.ceiling().isEmpty(), "the ceiling's points are on the scaling chart");
                drawnIn.add(scaling);
            }
            for (View v : drawnIn) {
                Path out = dir.resolve(f.id());
                List<Path> files = Charts.draw(v, out, Family.allRenderers());
                assertFalse(files.isEmpty(), f.id() + ": " + v.getClass().getSimpleName() + " drew nothing");
                for (String figure : v.figures()) {
                    assertTrue(Files.size(out.resolve(figure + ".png")) > 1000, f.id() + ": " + figure + ".png");
                }
            }
        }
    }

    @Test
    void aFamilyNotInTheRegistryIsRefused() {
        UsageError e = assertThrows(UsageError.class, () -> RunCommand.choose("--families", "scaling,latency",
                Plan.FAMILIES));
        assertEquals("--families: unknown value 'latency'; valid: ceiling, scaling, creation, granularity, io, "
                + "overhead, transport, resource, sync, ipc, cluster", e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Family.of("latency"));
        assertTrue(unknown.getMessage().contains("'latency'"), unknown.getMessage());
    }

    @Test
    void rowsOfAFamilyNotInTheRegistryBecomeATable() {
        List<ResultRow> rows = List.of(row("latency", "thread-pool").benchmark("ping").cores(2).score(3.0)
                .unit("us/op").build());
        assertEquals(List.of("latency"), Family.analyse(rows, ENV).views(TableView.class).stream()
                .map(TableView::family).toList());
        assertEquals(rows.get(0).workload(), Family.completeAll(rows).get(0).workload(), "no job facts to add");
    }

    private static Plan plan(Profile profile, List<String> families) {
        return Plan.build(profile, families, Workloads.NAMES, Backends.names(), 2, List.of(1, 2), List.of());
    }

    private static ResultRow.Builder row(String family, String backend) {
        return ResultRow.builder().runId("R").family(family).benchmark("job").backend(backend).mode("avgt")
                .status("ok");
    }

    private static ResultRow scaling(String backend, int cores, int workers, double ms) {
        return row("scaling", backend).workload("factorial").cores(cores).workers(workers).tasks(8).score(ms)
                .scoreError(ms / 100).unit("ms/op").build();
    }

    /** A few synthetic rows of {@code f}, enough for its views and charts (and what they lean on). */
    private static List<ResultRow> sample(Family f) {
        List<ResultRow> rows = new ArrayList<>();
        switch (f) {
            case CEILING -> {
                for (int k : new int[] {1, 2}) {
                    rows.add(row("ceiling", "spin").workload("spin").cores(k).workers(1).score(50.0).unit("ms/op")
                            .build());
                    rows.add(row("ceiling", "spin").workload("spin").cores(k).workers(k).score(50.0 / k * 1.05)
                            .unit("ms/op").build());
                }
                rows.addAll(sample(Family.SCALING)); // drawn on the scaling chart
            }
            case SCALING -> rows.addAll(List.of(scaling("sequential", 1, 1, 100), scaling("sequential", 2, 1, 101),
                    scaling("thread-pool", 1, 1, 101), scaling("thread-pool", 2, 2, 55),
                    scaling("process-pool", 2, 2, 60)));
            case CREATION -> {
                rows.add(row("creation", null).benchmark("platformThread").cores(2).score(60.0).unit("us/op").build());
                rows.add(row("creation", null).benchmark("jvm").cores(2).score(40_000.0).unit("us/op").build());
            }
            case GRANULARITY -> {
                long[] sizes = {10, 100, 1000};
                for (String backend : List.of("sequential", "thread-pool", "process-pool")) {
                    for (int i = 0; i < sizes.length; i++) {
                        double us = (backend.equals("sequential") ? 10 : backend.equals("thread-pool") ? 6 : 20)
                                * Math.pow(10, i + 1);
                        rows.add(row("granularity", backend).benchmark("factorial").workload("factorial").cores(2)
                                .workers(2).taskSize(sizes[i]).chunksize(0).tasks(10).score(us).unit("us/op").build());
                    }
                }
                for (int chunk : new int[] {10, 100, 1000}) {
                    rows.add(row("granularity", "process-pool").benchmark("squaresChunks").workload("squares")
                            .cores(2).workers(2).chunksize(chunk).tasks(1000).score(50_000.0 / chunk + 100)
                            .unit("us/op").build());
                }
            }
            case IO -> {
                for (int w : new int[] {1, 4, 16}) {
                    rows.add(row("io", "virtual-threads").workload("download").cores(2).workers(w).tasks(64)
                            .score(64.0 * 10 / w).unit("ms/op").params("latencyMs=10;fileBytes=1024").build());
                }
            }
            case OVERHEAD -> rows.add(row("overhead", "process-pool").benchmark("roundTrip").cores(2).score(20.0)
                    .unit("us/op").build());
            case RESOURCE -> {
                for (String backend : List.of("sequential", "thread-pool", "process-pool")) {
                    rows.add(row("resource", backend).benchmark("peakRss").workload("factorial").cores(2)
                            .workers(backend.equals("sequential") ? 1 : 2).mode("ss")
                            .score(backend.equals("process-pool") ? 300.0 : 60.0).unit("MB").build());
                }
            }
            case SYNC -> {
                for (int k : new int[] {1, 2}) {
                    for (String primitive : List.of("none", "atomic-long")) {
                        rows.add(sync("threads:increment", primitive, k, 2.0 * k, "ns/op"));
                        rows.add(sync("threads:lostUpdates", primitive, k,
                                primitive.equals("none") && k == 2 ? 500 : 0, "#"));
                        rows.add(sync("threads:updates", primitive, k, 1000.0 * k, "#"));
                    }
                }
            }
            case IPC -> {
                for (int size : new int[] {8, 1_048_576}) {
                    rows.add(row("ipc", "threads").benchmark("threadRoundTrip").cores(2).score(size == 8 ? 10.0 : 20.0)
                            .unit("us/op").params("messageBytes=" + size + ";transport=synchronous-queue").build());
                    rows.add(row("ipc", "processes").benchmark("processRoundTrip").cores(2)
                            .score(size == 8 ? 30.0 : 900.0).unit("us/op")
                            .params("messageBytes=" + size + ";transport=ring").build());
                    rows.add(row("ipc", "processes").benchmark("processStream").mode("thrpt").cores(2)
                            .score(size == 8 ? 1e6 : 1000.0).unit("ops/s")
                            .params("messageBytes=" + size + ";transport=ring").build());
                }
            }
            case CLUSTER -> {
                for (String backend : List.of("sequential", "process-pool", "cluster")) {
                    for (int w : new int[] {1, 2}) {
                        if (!backend.equals("sequential") || w == 1) {
                            double ms = backend.equals("sequential") ? 100 : (backend.equals("cluster") ? 120.0 : 100)
                                    / w;
                            rows.add(row("cluster", backend).benchmark("scaling").workload("factorial").cores(2)
                                    .workers(w).score(ms).unit("ms/op").build());
                        }
                    }
                }
                rows.add(row("cluster", "cluster").benchmark("roundTrip").cores(2).score(300.0).unit("us/op").build());
            }
            case TRANSPORT -> {
                for (String t : List.of("pipe", "shared-memory")) {
                    boolean shm = t.equals("shared-memory");
                    rows.add(row("transport", "").benchmark("roundTrip").cores(2).score(shm ? 2.0 : 7.0)
                            .unit("us/op").params("transport=" + t).build());
                    rows.add(row("transport", "").benchmark("factorial").cores(2).score(shm ? 101.0 : 100.0)
                            .unit("ms/op").params("transport=" + t).build());
                    rows.add(row("transport", "").benchmark("idle:idleCpu").mode("ss").cores(2).score(shm ? 0.3 : 0.1)
                            .unit("#").params("idleMillis=10000;transport=" + t).build());
                }
                rows.add(row("transport", "").benchmark("pipeFloor").cores(2).score(8.0).unit("us/op").build());
            }
            default -> fail("no sample rows for family " + f.id() + ": add them to FamilyTest.sample");
        }
        return rows;
    }

    private static ResultRow sync(String benchmark, String primitive, int k, double score, String unit) {
        return row("sync", "threads").benchmark(benchmark).cores(2).workers(k).score(score).unit(unit)
                .params("increments=1000;primitive=" + primitive).build();
    }
}
