package org.poolbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.results.Environment;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;

/** reproduce's input checks (exit 2, one line) and its verdict on an existing run ({@code --with}: nothing measured). */
class ReproduceCommandTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream err = console.err;
    private final ByteArrayOutputStream out = console.out;

    private static ResultRow row(String id, String backend, int cores, double ms, double error) {
        return ResultRow.builder().runId(id).family("scaling").benchmark("job").workload("factorial")
                .backend(backend).cores(cores).workers(backend.equals("sequential") ? 1 : cores).tasks(12)
                .mode("avgt").score(ms).scoreError(error).unit("ms/op").status("ok").build();
    }

    /** A factorial scaling run; thread-pool's times multiplied by {@code threads}. */
    private Path run(String id, double threads, Map<String, String> envOverride) throws Exception {
        Path run = dir.resolve(id);
        Files.createDirectories(run);
        ResultsCsv.write(run.resolve("results.csv"), List.of(row(id, "sequential", 1, 288, 19),
                row(id, "thread-pool", 1, 316 * threads, 40 * threads), row(id, "process-pool", 1, 347, 40),
                row(id, "thread-pool", 2, 176 * threads, 13.6 * threads), row(id, "process-pool", 2, 186, 15)));
        Map<String, String> env = new LinkedHashMap<>(Map.of("run_id", id, "profile", "quick", "cores_measured", "1",
                "logical_cores", "2", "git_commit", "abc1234", "jvm_settings", "-XX:+UseSerialGC"));
        env.putAll(envOverride);
        env.values().removeIf(String::isEmpty);
        Environment.write(run.resolve("environment.csv"), env);
        return run;
    }

    private String errLine() {
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), "one line: " + lines);
        return lines.get(0);
    }

    @Test
    void aFolderThatIsNotARunIsRefusedInOneLine() throws Exception {
        assertEquals(2, Main.execute("reproduce", dir.resolve("nope").toString()));
        assertTrue(errLine().contains("is not a run folder; expected results/<run-id>"), err.toString());
        err.reset();
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(2, Main.execute("reproduce", empty.toString()));
        assertTrue(errLine().contains("it has no results.csv"), err.toString());
    }

    @Test
    void anEnvironmentWithoutAProfileIsRefusedNamingIt() throws Exception {
        Path run = run("noprofile", 1, Map.of("profile", ""));
        assertEquals(2, Main.execute("reproduce", run.toString()));
        assertTrue(errLine().contains("profile '' is missing; valid: smoke, quick, full"), err.toString());
        err.reset();
        Path odd = run("oddprofile", 1, Map.of("profile", "huge"));
        assertEquals(2, Main.execute("reproduce", odd.toString()));
        assertTrue(errLine().contains("profile 'huge' is unknown"), err.toString());
    }

    @Test
    void aFamilyTheRunDidNotMeasureIsRefusedWithTheOnesItDid() throws Exception {
        Path run = run("a", 1, Map.of());
        assertEquals(2, Main.execute("reproduce", run.toString(), "--families", "creation", "--dry-run"));
        assertTrue(errLine().contains("--families: run a did not measure 'creation'; valid: scaling"),
                err.toString());
        err.reset();
        assertEquals(2, Main.execute("reproduce", run.toString(), "--workloads", "cake", "--dry-run"));
        assertTrue(errLine().contains("--workloads: unknown value 'cake'"), err.toString());
    }

    @Test
    void anOlderRunIsReadFromItsRowsWhereItsEnvironmentIsSilent() throws Exception {
        ReproduceCommand.Recorded r = ReproduceCommand.read(run("old", 1, Map.of("cores_measured", "")));
        assertEquals(List.of("scaling"), r.families());
        assertEquals(List.of("factorial"), r.workloads());
        assertEquals(List.of(1, 2), r.cores());
        assertFalse(r.python());
        assertEquals("quick", r.profile());
    }

    @Test
    void anIdenticalRunReproducesAndADoctoredOneDoesNotNamingWhatFailed() throws Exception {
        Path recorded = run("rec", 1, Map.of());
        Path same = run("same", 1, Map.of("git_commit", "def5678"));
        assertEquals(0, Main.execute("reproduce", recorded.toString(), "--with", same.toString()), err.toString());
        String md = Files.readString(same.resolve("reproduction.md"));
        assertTrue(md.contains("Recorded: run rec, commit abc1234. Now: run same, commit def5678."), md);
        assertTrue(md.contains("**REPRODUCED"), md);
        assertTrue(Files.readString(same.resolve("reproduction.csv")).contains("machine-dependent"));

        Path doctored = run("doctored", 2, Map.of());
        Path now = run("now", 1, Map.of());
        out.reset();
        assertEquals(1, Main.execute("reproduce", doctored.toString(), "--with", now.toString()), err.toString());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("NOT REPRODUCED"), printed);
        assertTrue(printed.contains("speedup factorial, thread-pool, 2 cores, 2 workers"), printed);
        List<String> csv = new ArrayList<>(Files.readAllLines(now.resolve("reproduction.csv")));
        assertTrue(csv.stream().anyMatch(l -> l.contains("factorial, thread-pool, 2 cores, 2 workers")
                && l.contains("not reproduced")), csv.toString());
    }
}
