package org.poolbench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.poolbench.bench.MachineProbe;
import org.poolbench.results.Environment;
import org.poolbench.results.NoiseCsv;
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

    /** The io family's files and latency: IoBenchmark's defaults, so CPython's io rows join the JVM's panel. */
    static final int IO_FILE_BYTES = 16384;
    static final int IO_LATENCY_MS = 20;

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
        return find(repo, console, null);
    }

    /**
     * The baseline run by {@code interpreter} ({@code --python PATH}), or by {@code python3} from the PATH when it
     * is {@code null}. A named interpreter that does not run as Python 3.9 or newer is a {@link UsageError} naming
     * it; a missing python3 on the PATH only leaves the baseline out, with one line saying why.
     */
    static Optional<PythonBaseline> find(Path repo, PrintStream console, String interpreter) {
        if (interpreter != null) {
            checkInterpreter(interpreter);
        }
        Path script = repo.resolve("python").resolve("poolbench_py.py");
        if (!Files.isRegularFile(script)) {
            console.println("note: " + script + " not found; the CPython baseline is left out");
            return Optional.empty();
        }
        if (interpreter != null) {
            return Optional.of(new PythonBaseline(interpreter, script, console));
        }
        String version = versionOf("python3");
        if (version == null) {
            console.println("note: python3 not found; the CPython baseline is left out (install python3 >= 3.9)");
            return Optional.empty();
        }
        if (!atLeast39(version)) {
            console.println("note: python3 is " + version + ", the CPython baseline needs 3.9 or newer; left out");
            return Optional.empty();
        }
        return Optional.of(new PythonBaseline("python3", script, console));
    }

    /**
     * Checks a {@code --python} value: an executable file that runs as Python 3.9 or newer.
     *
     * @throws UsageError one line naming the value and what is valid
     */
    static void checkInterpreter(String interpreter) {
        Path path;
        try {
            path = Path.of(interpreter);
        } catch (java.nio.file.InvalidPathException e) {
            path = null;
        }
        String version = path != null && Files.isRegularFile(path) && Files.isExecutable(path)
                ? versionOf(interpreter) : null;
        if (version == null || !atLeast39(version)) {
            throw new UsageError("--python: '" + interpreter + "' "
                    + (version == null ? "is not a Python interpreter that runs" : "is Python " + version)
                    + "; valid: the path of a Python 3.9 or newer executable (CPython, a free-threaded build, "
                    + "PyPy), e.g. /usr/bin/python3");
        }
    }

    private static boolean atLeast39(String version) {
        String[] parts = version.split("\\.");
        return parts.length >= 2 && (Integer.parseInt(parts[0]) > 3
                || (Integer.parseInt(parts[0]) == 3 && Integer.parseInt(parts[1]) >= 9));
    }

    /** The interpreter's version ("3.11"), or null if it does not answer. */
    String version() {
        return versionOf(python);
    }

    /** The interpreter this baseline runs. */
    String interpreter() {
        return python;
    }

    /** The {@code major.minor} version of a Python interpreter, or null if it does not run. */
    static String versionOf(String python) {
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

    /**
     * The machine probe's readings around each part of the CPython run: the program asks on its stdout
     * ({@code @probe begin<TAB>family<TAB>description<TAB>cores}, then {@code @probe end<TAB>N}) and waits; this
     * side takes a {@link MachineProbe} reading (and /proc's load and CPU times) while it waits, answers with the
     * part's invocation number (the next row of noise.csv, after the JMH invocations'), and appends the row when the
     * part ends. The program writes that number into its iterations, so {@code compare} treats CPython's points as it
     * treats the JVM's.
     */
    static final class Probes {
        private record Part(String family, String description, int cores, NoiseCsv.Sample before) {
        }

        private final Path noise;
        private final Writer answers;
        private final Map<Integer, Part> open = new HashMap<>();
        private int next;

        Probes(Path noise, OutputStream toProgram) throws IOException {
            this.noise = noise;
            this.answers = new OutputStreamWriter(toProgram, StandardCharsets.UTF_8);
            this.next = Files.isRegularFile(noise) ? NoiseCsv.read(noise).size() + 1 : 1;
        }

        /** Handles a probe request and answers it; false for any other line. */
        boolean answer(String line) throws IOException {
            if (!line.startsWith("@probe ")) {
                return false;
            }
            String[] f = line.split("\t", -1);
            if (f[0].equals("@probe begin") && f.length == 4 && f[3].matches("\\d+")) {
                int invocation = next++;
                open.put(invocation, new Part(f[1], f[2], Integer.parseInt(f[3]), reading()));
                reply("@invocation " + invocation);
            } else if (f[0].equals("@probe end") && f.length == 2 && open.containsKey(parse(f[1]))) {
                Part part = open.remove(parse(f[1]));
                NoiseCsv.append(noise, parse(f[1]), part.family(), "python/poolbench_py.py", part.description(),
                        part.cores(), part.before(), reading());
                reply("@ok");
            } else {
                throw new IOException("the CPython baseline sent a malformed probe request: " + line);
            }
            return true;
        }

        private static int parse(String text) {
            return text.matches("\\d{1,9}") ? Integer.parseInt(text) : -1;
        }

        private void reply(String text) throws IOException {
            answers.write(text + "\n");
            answers.flush();
        }

        private static NoiseCsv.Sample reading() {
            MachineProbe.Reading r = MachineProbe.now();
            return NoiseCsv.Sample.now().withProbe(r.spinMs(), r.copyMs());
        }
    }

    /** Rough seconds the program takes for {@code families}, for the estimate. */
    static double estimateSeconds(Profile profile, List<String> families) {
        boolean lessons = families.stream().anyMatch(f -> Family.of(f).python() && Plan.LESSONS.contains(f));
        boolean others = families.stream().anyMatch(f -> Family.of(f).python() && !Plan.LESSONS.contains(f));
        return switch (profile) {
            case SMOKE -> 40;
            // others, as quick run 20261207-050215 spent them: the per-slice sequential pairs, factorial's 1-core
            // pools among them (87 s), the 2-core points (329 s: factorial's six pools take 60 turns of one job
            // each), creation by fork, spawn and forkserver (50 s), granularity (74 s), io at concurrency 4 to 256
            // (44 s) and the machine probe around each of 13 parts (8 s)
            case QUICK -> (others ? 595 : 0) + (lessons ? 360 : 0);
            case FULL -> (others ? 4400 : 0) + (lessons ? 2000 : 0);
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
        // the families with a CPython part in this profile (Family: smoke keeps to scaling, to stay within its few
        // minutes; quick and full measure every family the program has)
        List<String> chosen = families.stream().filter(f -> Family.of(f).python(profile)).toList();
        if (chosen.isEmpty()) {
            return List.of();
        }
        Path noise = runDir.resolve("noise.csv");
        try (DownloadServer server = DownloadServer.start(Duration.ofMillis(20), Download.DEFAULT_FILE_BYTES);
             DownloadServer ioServer = DownloadServer.start(Duration.ofMillis(IO_LATENCY_MS), IO_FILE_BYTES)) {
            String template = server.url(0).replaceFirst("0$", "{i}");
            List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--run-id", runId,
                    "--profile", profile.id(), "--families", String.join(",", chosen),
                    "--workloads", String.join(",", workloads),
                    "--cores", String.join(",", cores.stream().map(String::valueOf).toList()),
                    "--download-url-template", template,
                    "--io-url-template", ioServer.url(0).replaceFirst("0$", "{i}"),
                    "--io-latency-ms", String.valueOf(IO_LATENCY_MS), "--probe-stdio", "--out", rowsCsv.toString(),
                    "--env-out", envCsv.toString(), "--iterations-out", runDir.resolve(ITERATIONS).toString()));
            console.println("[python] " + String.join(", ", chosen) + " on " + python + " ("
                    + String.join(",", workloads) + "), cores " + cores);
            execute(cmd, log, noise);
        }
        Environment.read(envCsv).forEach(env::putIfAbsent);
        return ResultsCsv.read(rowsCsv);
    }

    /**
     * One lesson's CPython part ({@code --lesson NAME --profile lesson}, {@code ./run-bench.sh lesson NAME}) at
     * {@code cores}, written into {@code dir} like a run's ({@code python-results.csv}, {@link #ITERATIONS},
     * {@code python-environment.csv}, {@code python.log}); returns its rows and adds its environment keys to
     * {@code env}. The io-bound lesson gets the io family's download server.
     *
     * @throws IOException if it fails or a check of its results fails
     */
    List<ResultRow> runLesson(String lesson, String runId, int cores, Path dir, Map<String, String> env)
            throws IOException, InterruptedException {
        Path rowsCsv = dir.resolve("python-results.csv");
        Path envCsv = dir.resolve("python-environment.csv");
        try (DownloadServer ioServer = DownloadServer.start(Duration.ofMillis(IO_LATENCY_MS), IO_FILE_BYTES)) {
            List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--run-id", runId,
                    "--profile", "lesson", "--lesson", lesson, "--cores", String.valueOf(cores),
                    "--io-url-template", ioServer.url(0).replaceFirst("0$", "{i}"),
                    "--io-latency-ms", String.valueOf(IO_LATENCY_MS), "--probe-stdio", "--out", rowsCsv.toString(),
                    "--env-out", envCsv.toString(), "--iterations-out", dir.resolve(ITERATIONS).toString()));
            execute(cmd, dir.resolve("python.log"), dir.resolve("noise.csv"));
        }
        Environment.read(envCsv).forEach(env::putIfAbsent);
        return ResultsCsv.read(rowsCsv);
    }

    /**
     * Runs {@code python/lesson_programs.py PROGRAM} (a program of the material without a claim) and returns what it
     * printed, line by line.
     *
     * @throws IOException if it fails or runs longer than a minute
     */
    List<String> runProgram(String program) throws IOException, InterruptedException {
        Path programs = script.resolveSibling("lesson_programs.py");
        Process p = new ProcessBuilder(python, programs.toString(), program).redirectErrorStream(true).start();
        Thread killer = new Thread(p::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(programs + " " + program + " did not end within a minute");
            }
            List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();
            if (p.exitValue() != 0) {
                throw new IOException(programs + " " + program + " failed (exit " + p.exitValue() + "): "
                        + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
            }
            return lines;
        } finally {
            Runtime.getRuntime().removeShutdownHook(killer);
        }
    }

    /** How long the program gets to end its pools itself after SIGTERM before it and its children are killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /**
     * Ends {@code p} and every process under it: SIGTERM first (the program unwinds and terminates its pools), then,
     * after at most {@code grace}, SIGKILL to it if it still runs and to each descendant seen that still does, but
     * multiprocessing's resource tracker. Ctrl-C in a terminal also
     * sends SIGINT to the program's pool workers, and CPython's {@code Pool.terminate} can then wait for ever on a
     * queue lock a dying worker held: the program hung, an orphan, with six children (seen on a smoke run).
     */
    static void stop(Process p, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        p.destroy();
        try {
            p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.addAll(p.descendants().toList()); // those it started meanwhile
        p.destroyForcibly();
        // a handle checks start time: never another process. The resource tracker is spared: it ends by itself once
        // the others are gone, unlinking the semaphores they left in /dev/shm
        tree.stream().filter(h -> !h.info().commandLine().orElse("").contains(RESOURCE_TRACKER))
                .forEach(ProcessHandle::destroyForcibly);
    }

    /** The module multiprocessing's resource tracker runs (its command line: {@code -c 'from ... import main'}). */
    static final String RESOURCE_TRACKER = "multiprocessing.resource_tracker";

    /** Runs the program's command, answering its probe requests and echoing its lines; fails on a non-zero exit. */
    private void execute(List<String> cmd, Path log, Path noise) throws IOException, InterruptedException {
        {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread killer = new Thread(() -> stop(p, STOP_GRACE)); // on Ctrl-C or kill: the whole tree ends
            Runtime.getRuntime().addShutdownHook(killer);
            List<String> tail = new ArrayList<>();
            Probes probes = new Probes(noise, p.getOutputStream());
            try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
                 BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                         StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    w.write(line + System.lineSeparator());
                    if (probes.answer(line)) {
                        continue;
                    }
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
    }
}
