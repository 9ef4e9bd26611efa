package org.poolbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input: one line naming the bad value and the valid choices, exit 2, nothing written. */
class MainTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream err = console.err;
    private final ByteArrayOutputStream out = console.out;

    private int run(String... args) {
        return Main.execute(args);
    }

    private String errLine() {
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, text.lines().count(), "exactly one line on stderr, got:\n" + text);
        return text;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--workloads|fibonacci|'fibonacci'|factorial, squares, download",
        "--backends|green-threads|'green-threads'|thread-pool",
        "--workers|0|0 is not a positive integer|1,2,4",
        "--workers|-3|-3 is not a positive integer|1,2,4",
        "--workers|two|'two' is not a number|1,2,4",
        "--families|latency|'latency'|scaling, creation",
        "--cores|999|999|valid: 1..",
    })
    void badRunOptionsExitTwoNamingValueAndChoices(String option, String value, String named, String choices)
            throws Exception {
        Path results = dir.resolve("results");
        int status = run("run", "smoke", option, value, "--results-dir", results.toString(),
                "--charts-dir", dir.resolve("charts").toString());
        assertEquals(2, status);
        String line = errLine();
        assertTrue(line.contains(named) && line.contains(choices), line);
        assertFalse(Files.exists(results), "a bad call must not create a run folder");
    }

    @Test
    void unknownProfile() {
        assertEquals(2, run("run", "fast", "--results-dir", dir.resolve("r").toString()));
        String line = errLine();
        assertTrue(line.contains("'fast'") && line.contains("smoke, quick, full"), line);
    }

    @Test
    void unknownOptionNamesTheValidOnes() {
        assertEquals(2, run("run", "smoke", "--wrokers", "2"));
        String line = errLine();
        assertTrue(line.contains("--wrokers") && line.contains("--workers"), line);
    }

    @Test
    void unknownCommandNamesTheValidOnes() {
        assertEquals(2, run("plot"));
        String line = errLine();
        assertTrue(line.contains("'plot'") && line.contains("charts"), line);
    }

    @Test
    void missingCsv() {
        assertEquals(2, run("charts", dir.resolve("nope.csv").toString(), "--out", dir.resolve("c").toString()));
        assertTrue(errLine().contains("nope.csv"));
        assertFalse(Files.exists(dir.resolve("c")));
    }

    @Test
    void malformedCsvNamesLineAndColumnAndWritesNothing() throws Exception {
        Path csv = dir.resolve("results.csv");
        Files.writeString(csv, String.join(",", org.poolbench.results.ResultRow.COLUMNS) + "\n"
                + "r1,scaling,job,factorial,thread-pool,2,2,,0,12,avgt,abc,1.0,ms/op,,,ok,,\n");
        Path charts = dir.resolve("charts");
        Files.createDirectories(charts.resolve("earlier"));
        Files.writeString(charts.resolve("earlier/keep.txt"), "earlier run");
        assertEquals(2, run("charts", csv.toString(), "--charts-dir", charts.toString()));
        String line = errLine();
        assertTrue(line.contains("line 2") && line.contains("score") && line.contains("abc"), line);
        try (Stream<Path> files = Files.list(charts)) {
            assertEquals(List.of(charts.resolve("earlier")), files.toList());
        }
        assertEquals("earlier run", Files.readString(charts.resolve("earlier/keep.txt")));
    }

    @Test
    void csvWithoutARequiredColumn() throws Exception {
        Path csv = dir.resolve("results.csv");
        Files.writeString(csv, "run_id,family\nr1,scaling\n");
        assertEquals(2, run("charts", csv.toString(), "--out", dir.resolve("c").toString()));
        assertTrue(errLine().contains("benchmark"));
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() {
        Path results = dir.resolve("results");
        assertEquals(0, run("run", "quick", "--dry-run", "--results-dir", results.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("scaling") && text.contains("estimated"), text);
        assertFalse(Files.exists(results));
    }

    @Test
    void jvmDefaultsIsAcceptedAndTheCeilingIsPlannedBeforeScaling() {
        Path results = dir.resolve("results");
        assertEquals(0, run("run", "smoke", "--dry-run", "--jvm-defaults", "--results-dir", results.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.indexOf("  ceiling,") >= 0 && text.indexOf("  ceiling,") < text.indexOf("  scaling,"), text);
        assertFalse(Files.exists(results));
    }

    @Test
    void aWorkerOptionWithACommaIsRefusedBeforeAnythingIsWritten() {
        Path results = dir.resolve("results");
        assertEquals(2, run("run", "smoke", "--results-dir", results.toString(), "--", "-jvmArgsAppend",
                "-Xlog:gc:file=a,b"));
        assertTrue(errLine().contains("-Xlog:gc:file=a,b"), errLine());
        assertFalse(Files.exists(results));
    }

    @Test
    void freshDirNeverReusesAnEarlierFolder() throws Exception {
        Files.createDirectories(dir.resolve("run1"));
        assertEquals(dir.resolve("run1-redraw"), ChartsCommand.freshDir(dir, "run1"));
        Files.createDirectories(dir.resolve("run1-redraw"));
        assertEquals(dir.resolve("run1-redraw-2"), ChartsCommand.freshDir(dir, "run1"));
        assertEquals(dir.resolve("run2"), ChartsCommand.freshDir(dir, "run2"));
    }

    @Test
    void aBadPythonPathIsOneLineAndExit2AndWritesNothing(@TempDir Path results) throws Exception {
        assertEquals(2, run("run", "smoke", "--dry-run", "--python", "/no/such/python3", "--results-dir",
                results.toString()));
        assertEquals("poolbench run: --python: '/no/such/python3' is not a Python interpreter that runs; valid: the "
                + "path of a Python 3.9 or newer executable (CPython, a free-threaded build, PyPy), e.g. "
                + "/usr/bin/python3", errLine());
        try (var files = java.nio.file.Files.list(results)) {
            assertEquals(0, files.count(), "nothing written");
        }
    }

    @Test
    void aWorkingPythonPathIsTaken(@TempDir Path results) {
        String python = "/usr/bin/python3";
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of(python)), "no " + python);
        assertEquals(0, run("run", "smoke", "--dry-run", "--python", python, "--results-dir", results.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("CPython baseline"));
    }

    @Test
    void coresInAnyOrderPlanTheSameRun() {
        Cpus cpus = Cpus.detect();
        org.junit.jupiter.api.Assumptions.assumeTrue(cpus.count() >= 2 && cpus.canPin(), "needs 2 CPUs and taskset");
        Path results = dir.resolve("results");
        assertEquals(0, run("run", "quick", "--dry-run", "--no-python", "--cores", "2,1", "--results-dir",
                results.toString()));
        String descending = out.toString(StandardCharsets.UTF_8);
        out.reset();
        assertEquals(0, run("run", "quick", "--dry-run", "--no-python", "--cores", "1,2", "--results-dir",
                results.toString()));
        assertEquals(out.toString(StandardCharsets.UTF_8), descending);
        assertTrue(descending.contains("scaling pinned to [1, 2]"), descending);
    }
}
