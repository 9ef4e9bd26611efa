package org.poolbench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.poolbench.analysis.LessonOutcome;
import org.poolbench.analysis.LessonOutcome.Data;
import org.poolbench.analysis.LessonOutcome.Measure;
import org.poolbench.analysis.LessonOutcome.Side;
import org.poolbench.charts.LessonChart;
import org.poolbench.jvm.JavaBinary;
import org.poolbench.report.Handout;
import org.poolbench.results.Environment;
import org.poolbench.results.IterationsCsv;
import org.poolbench.results.JmhJson;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;
import org.poolbench.results.RunId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lesson --list | NAME | all}: one claim or program of the teaching material in class ({@link Lesson}), the
 * JVM's answer and CPython's side by side in under a minute, with a verdict per side that says "not resolved at this
 * sample size" when the interval straddles the decision. Writes the lesson's PNG (for a projector) and CSV into
 * {@code lessons/<lesson>-<timestamp>/}; {@code all} runs every lesson into {@code lessons/all-<timestamp>/} and adds
 * the handout (handout.html, handout.md).
 */
@Command(name = "lesson", mixinStandardHelpOptions = true,
        description = "One claim or program of the teaching material, live in class: JVM and CPython side by side in "
                + "under a minute, with a verdict per side, a PNG for the projector and a CSV.")
final class LessonCommand implements Callable<Integer> {

    /** The wall-time budget of one lesson, said up front. */
    static final int BUDGET_SECONDS = 60;
    /** The budget of {@code all}. */
    static final int ALL_BUDGET_MINUTES = 10;
    /**
     * Shorter warm-ups than a run's, to stay within the budget: each worker JVM runs big factorials for 3 s (a run:
     * 10 s, until C2 has compiled BigInteger's multiplications; POOL.md) and other jobs for 1.5 s (a run: 3 s) before
     * it is measured. Process pools are at their slowest for it, which the paper-grade command does not share.
     */
    static final List<String> JMH_ARGS = List.of("-jvmArgsAppend",
            // JMH's -jvmArgsAppend replaces IpcBenchmark's @Fork(jvmArgsAppend), so Agrona's flag is repeated here
            "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED "
                    + "-Dpoolbench.warmFactorialMillis=3000 -Dpoolbench.warmProcessMillis=1500");

    /** What a JVM using the shared-memory queue needs (ipc.SharedQueue.JVM_ARGS; cli does not use ipc). */
    static final List<String> AGRONA_FLAGS = List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "A lesson (see --list), or all.")
    String name;

    @Option(names = "--list", description = "List the lessons: the material's wording, its seed program, what runs.")
    boolean list;

    @Option(names = "--no-python", description = "Leave out the CPython side.")
    boolean noPython;

    @Option(names = "--python", paramLabel = "PATH", description = "The Python interpreter of the CPython side "
            + "(default: python3 on the PATH).")
    String python;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "lessons",
            description = "Where lesson folders go (default: ${DEFAULT-VALUE}).")
    Path out;

    private final PrintStream console = System.out;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (list) {
            printList(console);
            return 0;
        }
        if (name == null) {
            throw new UsageError("missing lesson name; valid: " + String.join(", ", Lesson.names())
                    + ", all (or --list)");
        }
        List<Lesson> chosen = name.equals("all") ? List.of(Lesson.values()) : List.of(Lesson.of(name));
        if (python != null) {
            PythonBaseline.checkInterpreter(python);
        }
        long start = System.nanoTime();
        Optional<PythonBaseline> py = noPython ? Optional.empty()
                : PythonBaseline.find(Path.of("").toAbsolutePath(), console, python);
        String pythonNote = noPython ? "left out (--no-python)" : py.isEmpty()
                ? "cannot run here (no python3 >= 3.9 or no python/ folder); only the JVM side is shown" : "";
        String stamp = RunId.next(out);
        Path folder = Files.createDirectories(out.resolve((chosen.size() == 1 ? chosen.get(0).id() : "all")
                + "-" + stamp));
        if (chosen.size() > 1) {
            console.printf("lesson all: %d lessons, budget %d minutes in all (at most %d s each); writing %s%n",
                    chosen.size(), ALL_BUDGET_MINUTES, BUDGET_SECONDS, folder);
        }
        Map<String, String> env = new LinkedHashMap<>(Environment.capture(stamp, "lesson", Instant.now()));
        py.map(PythonBaseline::version).ifPresent(v -> env.put("python_version", v)); // programs write no env file
        List<LessonOutcome> outcomes = new ArrayList<>();
        Map<String, Path> charts = new LinkedHashMap<>();
        int failed = 0;
        for (int i = 0; i < chosen.size(); i++) {
            Lesson l = chosen.get(i);
            Path dir = chosen.size() == 1 ? folder : Files.createDirectories(folder.resolve(l.id()));
            if (chosen.size() > 1) {
                console.printf("%n=== [%d/%d] %s  (elapsed %s of %d min)%n", i + 1, chosen.size(), l.id(),
                        JmhLauncher.hms((System.nanoTime() - start) / 1e9), ALL_BUDGET_MINUTES);
            }
            try {
                LessonOutcome o = run(l, dir, stamp, py, pythonNote, env);
                Path png = LessonChart.write(o, machine(env), dir);
                Path csv = writeCsv(o, dir.resolve(l.id() + ".csv"));
                console.println("Wrote " + png + " and " + csv + String.format(Locale.ROOT,
                        " (the lesson took %.0f s; budget %d s)", o.seconds(), BUDGET_SECONDS));
                outcomes.add(o);
                charts.put(l.id(), folder.relativize(png));
            } catch (IOException | RuntimeException e) { // one lesson's failure does not end the others
                failed++;
                console.println("lesson " + l.id() + " failed: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                        + " (its logs are in " + dir + ")");
            }
        }
        if (chosen.size() > 1) {
            List<Path> handout = Handout.write(outcomes, charts, machineLines(env), folder);
            console.printf("%nlesson all: %d lessons in %s (budget %d min)%s%n", outcomes.size(),
                    JmhLauncher.hms((System.nanoTime() - start) / 1e9), ALL_BUDGET_MINUTES,
                    failed > 0 ? "; " + failed + " failed" : "");
            for (LessonOutcome o : outcomes) {
                console.printf("  %-18s %4.0f s  JVM: %s; CPython: %s%n", o.name(), o.seconds(), o.jvm().verdict(),
                        o.python() == null ? "not run" : o.python().verdict());
            }
            handout.forEach(p -> console.println("handout: " + p));
        }
        return failed == 0 ? 0 : 1;
    }

    /** One line per lesson: its name, the material's wording, its seed program, what it runs. */
    static void printList(PrintStream console) {
        console.println("Lessons (./run-bench.sh lesson NAME, or all): each runs the JVM side and CPython's in under "
                + BUDGET_SECONDS + " s.");
        for (Lesson l : Lesson.values()) {
            console.printf("  %-18s %s  [seed: %s]  runs: %s%n", l.id(),
                    l.program() ? "program (no claim): " + l.shows : "\"" + l.claim + "\"", l.seed, l.runs);
        }
    }

    /** Runs one lesson into {@code dir} and prints it. */
    private LessonOutcome run(Lesson l, Path dir, String runId, Optional<PythonBaseline> py, String pythonNote,
            Map<String, String> env) throws IOException, InterruptedException {
        long start = System.nanoTime();
        console.println("lesson " + l.id() + ": " + (l.program() ? l.claim : "\"" + l.claim + "\"")
                + "  (from the material's " + l.seed + ")");
        console.println("budget: at most " + BUDGET_SECONDS + " s of wall time on " + Cpus.detect().count()
                + " cores: the JVM side" + (py.isPresent() ? ", then CPython's" : "") + "; progress follows");
        Side jvm;
        Side pythonSide = null;
        String note = pythonNote;
        if (l.program()) {
            console.println("[jvm] " + String.join(" ", l.javaProgram()));
            jvm = Side.program("JVM", javaProgram(l));
            if (py.isPresent()) {
                console.println("[python] python/lesson_programs.py " + l.id());
                try {
                    pythonSide = Side.program("CPython", py.get().runProgram(l.id()));
                } catch (IOException e) {
                    note = "failed: " + e.getMessage().lines().findFirst().orElse("");
                }
            }
        } else {
            jvm = l.judge.judge(jvmData(l, dir, runId));
            if (py.isPresent()) {
                try {
                    List<ResultRow> rows = py.get().runLesson(l.id(), runId, Cpus.detect().count(), dir, env);
                    Path iterations = dir.resolve(PythonBaseline.ITERATIONS);
                    pythonSide = l.judge.judge(new Data(true, rows, IterationsCsv.valuesByPoint(
                            Files.isRegularFile(iterations) ? IterationsCsv.read(iterations) : List.of(),
                            IterationsCsv.PRIMARY)));
                } catch (IOException e) {
                    note = "failed: " + e.getMessage().lines().findFirst().orElse("") + " (see "
                            + dir.resolve("python.log") + ")";
                }
            }
        }
        if (pythonSide == null) {
            console.println("CPython side: " + note);
        }
        LessonOutcome o = new LessonOutcome(l.id(), l.claim, l.seed, capitalized(l.shows) + (l.shows.endsWith("?") ? "" : "."), jvm, pythonSide,
                pythonSide == null ? note : "", l.notice, l.paperCommand, (System.nanoTime() - start) / 1e9);
        print(o, console);
        return o;
    }

    /** The JVM side's rows and iterations: the lesson's JMH invocations, short, through {@link JmhLauncher}. */
    private Data jvmData(Lesson l, Path dir, String runId) throws IOException, InterruptedException {
        Cpus cpus = Cpus.detect();
        Path json = dir.resolve("jmh.json");
        if (JmhLauncher.otherJmhRunning()) {
            console.println("note: another JMH run holds " + JmhLauncher.JMH_LOCK + ": this lesson shares the CPUs "
                    + "with it, and its intervals are wider for it");
        }
        new JmhLauncher(JavaBinary.current(), RunCommand.ownJar(), cpus, Profile.SMOKE, JMH_ARGS,
                JvmSettings.of(false, JMH_ARGS), console, true).run(l.invocations(cpus.count()), json,
                dir.resolve("jmh.log"));
        List<ResultRow> rows = Family.completeAll(JmhJson.convert(json, runId,
                Family.with(Family.Trait.AUX_COUNTERS)));
        ResultsCsv.write(dir.resolve("results.csv"), rows);
        List<IterationsCsv.Iteration> iterations = IterationsCsv.fromJmhJson(json, rows);
        return new Data(false, rows, IterationsCsv.valuesByPoint(iterations, IterationsCsv.PRIMARY));
    }

    /** A program's Java side: its output, line by line. */
    private static List<String> javaProgram(Lesson l) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(JavaBinary.current().toString()));
        cmd.addAll(AGRONA_FLAGS);
        cmd.addAll(List.of("-cp", RunCommand.ownJar().toString()));
        cmd.addAll(l.javaProgram());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread killer = new Thread(p::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(BUDGET_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", l.javaProgram()) + " did not end within a minute");
            }
            List<String> lines = new String(output, StandardCharsets.UTF_8).lines().toList();
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", l.javaProgram()) + " failed (exit " + p.exitValue() + "): "
                        + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
            }
            return lines;
        } finally {
            Runtime.getRuntime().removeShutdownHook(killer);
        }
    }

    /**
     * The lesson on the console, in this order: what it shows; the figures side by side with their 95 % intervals
     * (a program: the two outputs); a verdict per side (a program: what to notice); the paper-grade command.
     */
    static void print(LessonOutcome o, PrintStream c) {
        c.println();
        c.println("What it shows: " + o.shows());
        List<Side> sides = new ArrayList<>(List.of(o.jvm()));
        if (o.python() != null) {
            sides.add(o.python());
        }
        if (!o.jvm().output().isEmpty()) {
            c.println("Output, side by side:");
            int width = Math.max(40, o.jvm().output().stream().mapToInt(String::length).max().orElse(0) + 2);
            width = Math.min(width, 64);
            c.println("  " + pad("JVM", width) + "| CPython");
            int n = Math.max(o.jvm().output().size(), o.python() == null ? 0 : o.python().output().size());
            for (int i = 0; i < n; i++) {
                String left = i < o.jvm().output().size() ? o.jvm().output().get(i) : "";
                String right = o.python() != null && i < o.python().output().size() ? o.python().output().get(i) : "";
                c.println("  " + pad(left, width) + "| " + right);
            }
            c.println("What a student should notice: " + o.notice());
            c.println("Run it by hand: " + o.paperCommand());
            return;
        }
        List<String> labels = new ArrayList<>();
        for (Side s : sides) {
            for (Measure m : s.figures()) {
                if (!labels.contains(m.label())) {
                    labels.add(m.label());
                }
            }
        }
        int width = labels.stream().mapToInt(String::length).max().orElse(10) + 2;
        c.println("Figures (95 % intervals):");
        c.println("  " + pad("", width) + pad("JVM", 34) + (o.python() != null ? "CPython" : ""));
        for (String label : labels) {
            StringBuilder line = new StringBuilder("  " + pad(label, width));
            for (Side s : sides) {
                String f = s.figures().stream().filter(m -> m.label().equals(label)).findFirst()
                        .map(Handout::figure).orElse("-");
                line.append(pad(f, 34));
            }
            c.println(line.toString().stripTrailing());
        }
        c.println("Verdict, JVM: " + o.jvm().sentence());
        c.println("Verdict, CPython: " + (o.python() != null ? o.python().sentence() : o.pythonNote()));
        c.println("Paper-grade figures: " + o.paperCommand());
    }

    /** The lesson's CSV: one row per figure (or output line) of each side. */
    static Path writeCsv(LessonOutcome o, Path csv) throws IOException {
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
             CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader("lesson", "side", "figure",
                     "estimate", "low95", "high95", "unit", "verdict_or_output").build())) {
            for (List<String> row : o.csvRows()) {
                List<String> cells = new ArrayList<>(List.of(o.name()));
                cells.addAll(row);
                p.printRecord(cells);
            }
        }
        return csv;
    }

    /** The machine in one line: cores, CPU, JDK, CPython. */
    static String machine(Map<String, String> env) {
        return "Machine: " + String.join("; ", machineLines(env));
    }

    static List<String> machineLines(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        out.add(env.getOrDefault("logical_cores", "?") + " cores (" + env.getOrDefault("cpu_model", "?") + ")");
        out.add("JDK " + env.getOrDefault("jdk_version", "?") + " (" + env.getOrDefault("jdk_vendor", "?") + ")");
        out.add(env.containsKey("python_version") ? env.getOrDefault("python_implementation", "CPython") + " "
                + env.get("python_version") : "CPython: not run");
        return out;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
