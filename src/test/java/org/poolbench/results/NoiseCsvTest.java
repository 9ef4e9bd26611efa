package org.poolbench.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoiseCsvTest {

    @TempDir
    Path dir;

    private Path proc(String loadavg, String cpuLine) throws Exception {
        Path p = Files.createDirectories(dir.resolve("proc-" + System.nanoTime()));
        Files.writeString(p.resolve("loadavg"), loadavg);
        Files.writeString(p.resolve("stat"), cpuLine + "\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 123\n");
        return p;
    }

    @Test
    void readsLoadAndTheCpuLine() throws Exception {
        NoiseCsv.Sample s = NoiseCsv.Sample.read(proc("1.25 0.50 0.10 2/300 4000\n",
                "cpu  100 0 50 800 10 0 0 40 0 0"));
        assertEquals(1.25, s.load1());
        assertArrayEquals(new long[] {100, 0, 50, 800, 10, 0, 0, 40, 0, 0}, s.cpuTicks());
    }

    @Test
    void withoutProcTheCellsAreEmpty() {
        NoiseCsv.Sample s = NoiseCsv.Sample.read(dir.resolve("nowhere"));
        assertNull(s.load1());
        assertNull(s.cpuTicks());
        assertNull(NoiseCsv.busyAndSteal(s, s));
    }

    @Test
    void busyAndStealAreSharesOfTheTicksBetweenSamples() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        NoiseCsv.Sample a = new NoiseCsv.Sample(Instant.EPOCH, 0.0, new long[] {100, 0, 0, 100, 0, 0, 0, 0, 5, 0});
        NoiseCsv.Sample b = new NoiseCsv.Sample(Instant.EPOCH, 0.0, new long[] {160, 0, 10, 120, 0, 0, 0, 10, 50, 0});
        // 100 ticks passed: 60 user + 10 system + 20 idle + 10 steal (guest is inside user, not counted twice)
        double[] cpu = NoiseCsv.busyAndSteal(a, b);
        assertEquals(80.0, cpu[0], 1e-9);
        assertEquals(10.0, cpu[1], 1e-9);
    }

    @Test
    void appendWritesTheHeaderOnceAndOneRowPerInvocation() throws Exception {
        Path file = dir.resolve("noise.csv");
        NoiseCsv.Sample a = new NoiseCsv.Sample(Instant.parse("2026-11-25T10:00:00Z"), 0.5,
                new long[] {0, 0, 0, 0, 0, 0, 0, 0});
        NoiseCsv.Sample b = new NoiseCsv.Sample(Instant.parse("2026-11-25T10:01:00Z"), 1.5,
                new long[] {50, 0, 0, 50, 0, 0, 0, 0});
        NoiseCsv.append(file, 1, "scaling", "\\.ScalingBenchmark\\.", "scaling, 1 core", 1, a.withProbe(20.25, 7),
                b.withProbe(22.5, 8.125));
        NoiseCsv.append(file, 2, "io", "\\.IoBenchmark\\.", "io, 2 cores", 2, a, new NoiseCsv.Sample(b.time(), null,
                null));
        List<Map<String, String>> rows = NoiseCsv.read(file);
        assertEquals(2, rows.size());
        assertEquals(NoiseCsv.COLUMNS, List.copyOf(rows.get(0).keySet()));
        assertEquals("0.50", rows.get(0).get("load1_before"));
        assertEquals("1.50", rows.get(0).get("load1_after"));
        assertEquals("50.00", rows.get(0).get("busy_pct"));
        assertEquals("0.00", rows.get(0).get("steal_pct"));
        assertEquals("2026-11-25T10:01:00Z", rows.get(0).get("end_time"));
        assertEquals("", rows.get(1).get("busy_pct"), "unknown CPU times: an empty cell");
        assertEquals("", rows.get(1).get("load1_after"));
        assertEquals("20.250", rows.get(0).get("spin_ms_before"));
        assertEquals("22.500", rows.get(0).get("spin_ms_after"));
        assertEquals("7.000", rows.get(0).get("copy_ms_before"));
        assertEquals("8.125", rows.get(0).get("copy_ms_after"));
        assertEquals("", rows.get(1).get("spin_ms_before"), "no probe reading: an empty cell");
    }
}
