package org.poolbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.poolbench.results.ResultRow;

class ResourceProbesTest {

    private final ResourceProbes probes = new ResourceProbes(Path.of("java"), Path.of("x.jar"), 2,
            JvmSettings.of(false, List.of()), new PrintStream(PrintStream.nullOutputStream()));

    @Test
    void aProcessPoolProbeGivesTotalParentAndPerWorkerRows() {
        Map<String, Long> v = ResourceProbes.parse("noise\npeak_rss_kb=307200 processes=3 jobs=3 idle_parent_kb=102400 "
                + "idle_worker_kb=51200 idle_workers=2 peak_parent_kb=153600 peak_worker_kb=76800 workers_seen=2\n");
        List<ResultRow> rows = probes.rows("r", "factorial", "process-pool", 2, v);
        Map<String, Double> mb = new java.util.HashMap<>();
        rows.forEach(r -> mb.put(r.benchmark(), r.score()));
        assertEquals(Map.of("peakRss", 300.0, "parentIdleRss", 100.0, "parentPeakRss", 150.0, "workerIdleRss", 50.0,
                "workerPeakRss", 75.0), mb);
        assertTrue(rows.stream().allMatch(r -> r.family().equals("resource") && r.unit().equals("MB")
                && r.cores() == 2 && r.workers() == 2));
        assertEquals("idle", rows.stream().filter(r -> r.benchmark().equals("workerIdleRss")).findFirst()
                .orElseThrow().mode());
        ResultRow worker = rows.stream().filter(r -> r.benchmark().equals("workerPeakRss")).findFirst().orElseThrow();
        assertEquals("jobs=3", worker.params(), "what was observed is not part of the point's identity");
        assertEquals("processes=3;workers_seen=2", worker.note());
    }

    @Test
    void aThreadProbeHasNoWorkerRows() {
        Map<String, Long> v = ResourceProbes.parse("peak_rss_kb=204800 processes=1 jobs=3 idle_parent_kb=102400 "
                + "idle_worker_kb=0 idle_workers=0 peak_parent_kb=204800 peak_worker_kb=0 workers_seen=0");
        List<ResultRow> rows = probes.rows("r", "squares", "thread-pool", 2, v);
        assertEquals(List.of("peakRss", "parentIdleRss", "parentPeakRss"),
                rows.stream().map(ResultRow::benchmark).toList());
    }
}
