package org.poolbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.poolbench.results.Environment;
import org.poolbench.results.IterationsCsv;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code charts <results.csv> [--out DIR]}: re-draws every chart from a CSV alone, also one made on another machine.
 * Without {@code --out} it writes to a new folder and never over an earlier one.
 */
@Command(name = "charts", mixinStandardHelpOptions = true, description = "Draw the charts of a results.csv.")
final class ChartsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RESULTS_CSV", description = "A results.csv (any conforming one).")
    Path csv;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for the charts (default: a new folder charts/<run-id>[-redraw-N]).")
    Path out;

    @Option(names = "--charts-dir", paramLabel = "DIR", defaultValue = "charts",
            description = "Parent of the default output folder (default: ${DEFAULT-VALUE}).")
    Path chartsDir;

    @Override
    public Integer call() throws IOException {
        List<ResultRow> rows = ResultsCsv.read(csv); // throws CsvFormatException naming line and column
        if (rows.isEmpty()) {
            throw new UsageError("'" + csv + "' has no result rows; nothing to draw");
        }
        Map<String, String> env = environmentBeside(csv, rows);
        Path dir = out != null ? out : freshDir(chartsDir, rows.get(0).runId());
        Files.createDirectories(dir);
        List<Path> files = Family.drawAll(Family.analyse(rows, env, iterationsBeside(csv)), dir);
        System.out.println("charts: " + dir + " (" + files.size() + " files)");
        return 0;
    }

    /** The environment.csv next to {@code csv}, or what the rows themselves say. */
    static Map<String, String> environmentBeside(Path csv, List<ResultRow> rows) throws IOException {
        Path envCsv = csv.toAbsolutePath().getParent().resolve("environment.csv");
        if (Files.isRegularFile(envCsv)) {
            return Environment.read(envCsv);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("run_id", rows.get(0).runId() == null ? "unknown" : rows.get(0).runId());
        return env;
    }

    /** The measured iterations in {@code iterations.csv} beside {@code csv}; empty when there is none. */
    static List<IterationsCsv.Iteration> iterationsBeside(Path csv) throws IOException {
        Path file = csv.toAbsolutePath().getParent().resolve("iterations.csv");
        return Files.isRegularFile(file) ? IterationsCsv.read(file) : List.of();
    }

    /** {@code parent/name}, or the first of {@code name-redraw}, {@code name-redraw-2}, … that does not exist. */
    static Path freshDir(Path parent, String name) {
        String base = name == null || name.isBlank() ? "redraw" : name.replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = parent.resolve(base);
        for (int i = 1; Files.exists(dir); i++) {
            dir = parent.resolve(base + "-redraw" + (i == 1 ? "" : "-" + i));
        }
        return dir;
    }
}
