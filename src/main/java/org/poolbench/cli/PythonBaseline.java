package org.poolbench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.poolbench.results.Environment;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;
import org.poolbench.workload.Download;
import org.poolbench.workload.DownloadServer;

/**
 * The CPython side of a run: {@code python/poolbench_py.py} runs the same workloads through
 * {@code multiprocessing.Pool}, {@code ProcessPoolExecutor} and {@code ThreadPoolExecutor}, against a download server
 * this JVM serves on 127.0.0.1 with the scaling family's knobs, and writes rows in the results.csv schema.
 */
final class PythonBaseline {

    /** The families the Python program measures. */
    static final List<String> FAMILIES = List.of("scaling", "creation", "granularity", "sync", "ipc");

    private final String python;
    private final Path script;
    private final PrintStream console;

    private PythonBaseline(String python, Path script, PrintStream console) {
        this.python = python;
        this.script = script;
        this.console = console;
    }

    /**
     * The baseline, if python3 ≥ 3.9 and the script are there; otherwise says why in one line and returns empty.
     */
    static Optional<PythonBaseline> find(Path repo, PrintStream console) {
        Path script = repo.resolve("python").resolve("poolbench_py.py");
        if (!Files.isRegularFile(script)) {
            console.println("note: " + script + " not found; the CPython baseline is left out");
            return Optional.empty();
        }
        String version = versionOf("python3");
        if (version == null) {
            console.println("note: python3 not found; the CPython baseline is left out (install python3 >= 3.9)");
            return Optional.empty();
        }
        String[] parts = version.split("\\.");
        if (parts.length < 2 || Integer.parseInt(parts[0]) < 3
                || (Integer.parseInt(parts[0]) == 3 && Integer.parseInt(parts[1]) < 9)) {
            console.println("note: python3 is " + version + ", the CPython baseline needs 3.9 or newer; left out");
            return Optional.empty();
        }
        return Optional.of(new PythonBaseline("python3", script, console));
    }

    private static String versionOf(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("\\d+\\.\\d+") ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Rough seconds the program takes for {@code families}, for the estimate. */
    static double estimateSeconds(Profile profile, List<String> families) {
        boolean lessons = families.stream().anyMatch(Plan.LESSONS::contains);
        boolean others = families.stream().anyMatch(f -> FAMILIES.contains(f) && !Plan.LESSONS.contains(f));
        return switch (profile) {
            case SMOKE -> 40;
            // others: 287 s in the reference run 20261126-143327, less the 32 s sequential pairs per slice saved
            case QUICK -> (others ? 255 : 0) + (lessons ? 360 : 0);
            case FULL -> (others ? 4000 : 0) + (lessons ? 2000 : 0);
        };
    }

    /** The program's per-iteration values, beside its rows; {@code run} merges them into iterations.csv. */
    static final String ITERATIONS = "python-iterations.csv";

    /**
     * Runs the program and returns its rows; adds its environment keys to {@code env}.
     *
     * @throws IOException if it fails or a check of its results fails
     */

    List<ResultRow> run(String runId, Profile profile, List<String> families, List<String> workloads,
            List<Integer> cores, Path runDir, Map<String, String> env) throws IOException, InterruptedException {
        Path rowsCsv = runDir.resolve("python-results.csv");
        Path envCsv = runDir.resolve("python-environment.csv");
        Path log = runDir.resolve("python.log");
        // smoke keeps to scaling, to stay within its few minutes; quick and full measure every family
        List<String> chosen = families.stream().filter(FAMILIES::contains)
                .filter(f -> profile != Profile.SMOKE || f.equals("scaling")).toList();
        if (chosen.isEmpty()) {
            return List.of();
        }
        try (DownloadServer server = DownloadServer.start(Duration.ofMillis(20), Download.DEFAULT_FILE_BYTES)) {
            String template = server.url(0).replaceFirst("0$", "{i}");
            List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--run-id", runId,
                    "--profile", profile.id(), "--families", String.join(",", chosen),
                    "--workloads", String.join(",", workloads),
                    "--cores", String.join(",", cores.stream().map(String::valueOf).toList()),
                    "--download-url-template", template, "--out", rowsCsv.toString(),
                    "--env-out", envCsv.toString(), "--iterations-out", runDir.resolve(ITERATIONS).toString()));
            console.println("[python] " + String.join(", ", chosen) + " on CPython (" + String.join(",", workloads)
                    + "), cores " + cores);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread killer = new Thread(p::destroy); // SIGTERM: the program ends its pools itself
            Runtime.getRuntime().addShutdownHook(killer);
            List<String> tail = new ArrayList<>();
            try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
                 BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                         StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    w.write(line + System.lineSeparator());
                    console.println("    py: " + line);
                    tail.add(line);
                    if (tail.size() > 10) {
                        tail.remove(0);
                    }
                }
            } finally {
                if (!p.waitFor(1, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                }
                Runtime.getRuntime().removeShutdownHook(killer);
            }
            if (p.exitValue() != 0) {
                throw new IOException("the CPython baseline failed (exit " + p.exitValue() + "): "
                        + String.join(" | ", tail));
            }
        }
        Environment.read(envCsv).forEach(env::putIfAbsent);
        return ResultsCsv.read(rowsCsv);
    }
}
