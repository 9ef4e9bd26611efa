package org.poolbench.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.poolbench.analysis.MachineDrift;
import org.poolbench.bench.FastestCpus;
import org.poolbench.bench.MachineProbe;
import org.poolbench.bench.WarmUp;
import org.poolbench.results.Alternation;
import org.poolbench.results.IterationsCsv;
import org.poolbench.results.NoiseCsv;

/**
 * Runs JMH invocations one after another, each in a child JVM pinned to its cores, and merges their JSON results.
 *
 * <p>JMH's output goes to {@code jmh.log}; the console gets one progress line per invocation with an overall ETA, and
 * JMH's own "Run progress" lines. Every benchmark JVM gets the run's {@link JvmSettings} (JMH's {@code -jvmArgs}), and
 * the load and CPU times of the machine before and after each invocation go to {@code noise.csv} beside
 * {@code jmh.json} ({@link NoiseCsv}). A child is killed if this JVM exits first (shutdown hook), so an interrupted run
 * leaves no benchmark JVM behind.
 */
final class JmhLauncher {

    private final Path java;
    private final Path jar;
    private final Cpus cpus;
    private final Profile profile;
    private final List<String> extraJmhArgs;
    private final JvmSettings jvm;
    private final PrintStream console;
    private final boolean ignoreLock;

    /** JMH's lock file: a JMH run holds it while it measures. */
    static final Path JMH_LOCK = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");

    /** Whether another JMH run holds {@link #JMH_LOCK} now. */
    static boolean otherJmhRunning() {
        if (!Files.exists(JMH_LOCK)) {
            return false;
        }
        try (var channel = FileChannel.open(JMH_LOCK, StandardOpenOption.WRITE)) {
            var lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    JmhLauncher(Path java, Path jar, Cpus cpus, Profile profile, List<String> extraJmhArgs, JvmSettings jvm,
            PrintStream console) {
        this(java, jar, cpus, profile, extraJmhArgs, jvm, console, false);
    }

    /**
     * @param ignoreLock run even while another JMH run holds JMH's lock file ({@code -Djmh.ignoreLock=true}): for
     *                   lessons, which say so on the console ({@link #otherJmhRunning()}); a run waits for no one and
     *                   fails instead
     */
    JmhLauncher(Path java, Path jar, Cpus cpus, Profile profile, List<String> extraJmhArgs, JvmSettings jvm,
            PrintStream console, boolean ignoreLock) {
        this.ignoreLock = ignoreLock;
        this.java = java;
        this.jar = jar;
        this.cpus = cpus;
        this.profile = profile;
        this.extraJmhArgs = List.copyOf(extraJmhArgs);
        this.jvm = jvm;
        this.console = console;
    }

    /** Seconds the whole plan should take, by the profile's settings and each invocation's expected job time. */
    static double estimateSeconds(Profile profile, List<JmhInvocation> plan) {
        return plan.stream().mapToDouble(inv -> estimateSeconds(profile, inv)).sum();
    }

    /** Seconds one invocation should take: JMH starts, then every point's iterations, each at least one job long. */
    static double estimateSeconds(Profile profile, JmhInvocation inv) {
        return 1.0 + inv.points() * profile.secondsPerPoint(inv) + profile.forks * setUpWarmUpSeconds(inv);
    }

    /** The set-up warm-up of the invocation's trials ({@link WarmUp#setUpSeconds}), which JMH does not count. */
    static double setUpWarmUpSeconds(JmhInvocation inv) {
        boolean scalingJob = inv.benchmark().contains("ScalingBenchmark"); // the transport family's factorial
        if ("transport".equals(inv.family()) && !scalingJob) { // TransportBenchmark: pools warm per transport
            double s = 0;
            if (inv.benchmark().contains("roundTrip")) {
                s += WarmUp.setUpSeconds("overhead", "squares", "process-pool");
            }
            if (inv.benchmark().contains("mapSquares")) {
                s += WarmUp.setUpSeconds("overhead", "squares", "process-pool");
            }
            List<String> idle = inv.params().get("idleMillis"); // single shots JMH's iteration time does not bound
            if (idle != null) {
                s += (inv.warmupIterations() + inv.iterations()) * Double.parseDouble(idle.get(0)) / 1000;
            }
            return s * inv.params().getOrDefault("transport", List.of("pipe")).size();
        }
        List<String> backends = inv.params().getOrDefault("backend", List.of());
        if (backends.isEmpty()) {
            return 0;
        }
        List<String> workloads = inv.params().getOrDefault("workload",
                List.of(inv.benchmark().contains("factorial") ? "factorial" : ""));
        double perCombination = (double) inv.points() / backends.size() / workloads.size();
        double sum = 0;
        for (String w : workloads) {
            for (String b : backends) {
                for (String one : Alternation.backends(b)) { // alternating backends all warm in one trial
                    sum += perCombination * WarmUp.setUpSeconds(scalingJob ? "scaling" : inv.family(), w,
                            Alternation.backendOf(one));
                }
            }
        }
        return sum;
    }

    /**
     * Runs every invocation and writes the merged JMH results to {@code jmhJson}.
     *
     * @return the number of results JMH produced
     * @throws IOException if a JMH run failed, with the tail of its output
     */
    int run(List<JmhInvocation> plan, Path jmhJson, Path jmhLog) throws IOException, InterruptedException {
        Path parts = Files.createTempDirectory("poolbench-jmh-");
        JsonArray merged = new JsonArray();
        long start = System.nanoTime();
        double estimateTotal = estimateSeconds(profile, plan);
        double estimateDone = 0;
        Path noise = jmhJson.resolveSibling("noise.csv");
        try {
            for (int i = 0; i < plan.size(); i++) {
                JmhInvocation inv = plan.get(i);
                double elapsed = (System.nanoTime() - start) / 1e9;
                // scale the remaining estimate by how far off the estimate was so far
                double pace = estimateDone > 0 ? elapsed / estimateDone : 1.0;
                double eta = (estimateTotal - estimateDone) * pace;
                console.printf("[%d/%d] %s  (%d points; elapsed %s, ETA %s)%n", i + 1, plan.size(), inv.describe(),
                        inv.reportedPoints(), hms(elapsed), hms(eta));
                Path part = parts.resolve("part-" + i + ".json");
                NoiseCsv.Sample before = probed();
                try {
                    runOne(inv, part, jmhLog);
                } finally {
                    NoiseCsv.append(noise, i + 1, inv.family(), inv.jmhArgs().get(0), inv.describe(), inv.cores(),
                            before, probed());
                }
                JsonArray results = read(part);
                if (results.isEmpty()) {
                    throw new IOException("JMH produced no results for [" + inv.describe() + "]; see " + jmhLog);
                }
                for (var result : results) { // so iterations.csv can say which noise.csv row measured a point
                    if (result.isJsonObject()) {
                        result.getAsJsonObject().addProperty(IterationsCsv.INVOCATION_PROPERTY, i + 1);
                    }
                }
                merged.addAll(results);
                estimateDone += estimateSeconds(profile, inv);
            }
        } finally {
            try (var files = Files.list(parts)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(parts);
        }
        try (Writer w = Files.newBufferedWriter(jmhJson, StandardCharsets.UTF_8)) {
            new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(merged, w);
        }
        console.printf("JMH finished: %d results in %s%n", merged.size(), hms((System.nanoTime() - start) / 1e9));
        console.println(noiseSummary(noise));
        return merged.size();
    }

    private void runOne(JmhInvocation inv, Path part, Path jmhLog) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(cpus.pinPrefix(inv.cores()));
        cmd.add(java.toString());
        cmd.add("-Djava.awt.headless=true");
        if (ignoreLock) {
            cmd.add("-Djmh.ignoreLock=true");
        }
        cmd.add("-cp");
        cmd.add(jar.toString());
        cmd.add("org.openjdk.jmh.Main");
        cmd.addAll(inv.jmhArgs());
        cmd.addAll(profile.jmhArgs(inv));
        // the forks' options, stated rather than inherited from this JVM: the same at every core count
        // native access: bench.Affinity sets CPU masks by system call through JNA (JDK 24+ warns without it)
        List<String> forkArgs = new ArrayList<>(List.of("-Djava.awt.headless=true",
                "--enable-native-access=ALL-UNNAMED"));
        forkArgs.addAll(jvm.benchmarkJvmArgs(inv.params().getOrDefault("workload", List.of())));
        forkArgs.add("-D" + FastestCpus.PROPERTY + "=" + cpus.list()); // the CPUs a k-core fork chooses from
        cmd.addAll(List.of("-jvmArgs", String.join(" ", forkArgs)));
        cmd.addAll(List.of("-rf", "json", "-rff", part.toString()));
        cmd.addAll(List.of("-foe", "true")); // a failed check stops the run: no result is better than a wrong one
        cmd.addAll(extraJmhArgs); // last, so that the user's options win
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread killer = new Thread(p::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killer);
        List<String> tail = new ArrayList<>();
        boolean failed = false;
        try (Writer log = Files.newBufferedWriter(jmhLog, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                     StandardCharsets.UTF_8))) {
            log.write("### " + String.join(" ", cmd) + System.lineSeparator());
            for (String line; (line = out.readLine()) != null; ) {
                log.write(line + System.lineSeparator());
                if (line.startsWith("# Run progress:")) {
                    console.println("    " + line.substring(2));
                }
                failed |= line.contains("<failure>");
                tail.add(line);
                if (tail.size() > 25) {
                    tail.remove(0);
                }
            }
        }
        boolean ended = p.waitFor(1, TimeUnit.MINUTES);
        Runtime.getRuntime().removeShutdownHook(killer);
        if (!ended) {
            p.destroyForcibly();
            throw new IOException("JMH did not exit after closing its output; killed it");
        }
        if (p.exitValue() != 0 || !Files.exists(part)) {
            throw new IOException("JMH failed (exit " + p.exitValue() + ") for [" + inv.describe() + "]; last lines:"
                    + System.lineSeparator() + String.join(System.lineSeparator(), tail));
        }
        if (failed) {
            throw new IOException("a benchmark failed in [" + inv.describe() + "]; see " + jmhLog);
        }
    }

    /** The machine's load and CPU times, and the probe's reading of its speed, now. */
    private static NoiseCsv.Sample probed() {
        MachineProbe.Reading r = MachineProbe.now();
        return NoiseCsv.Sample.now().withProbe(r.spinMs(), r.copyMs());
    }

    /** One line on how busy the machine was: the highest load and CPU steal any invocation saw. */
    static String noiseSummary(Path noise) throws IOException {
        double load = 0;
        double steal = 0;
        for (var row : NoiseCsv.read(noise)) {
            load = Math.max(load, Math.max(number(row.get("load1_before")), number(row.get("load1_after"))));
            steal = Math.max(steal, number(row.get("steal_pct")));
        }
        StringBuilder drift = new StringBuilder();
        for (MachineDrift.Measure m : MachineDrift.Measure.values()) {
            MachineDrift d = MachineDrift.of(m, noise);
            if (d != null) {
                drift.append("; ").append(d.describe());
            }
        }
        return String.format(Locale.ROOT, "noise: 1-minute load up to %.2f, CPU steal up to %.1f %% "
                + "in an invocation%s (%s)", load, steal, drift, noise);
    }

    private static double number(String cell) {
        return cell == null || cell.isEmpty() ? 0 : Double.parseDouble(cell);
    }

    private static JsonArray read(Path part) throws IOException {
        try (Reader r = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
            var el = JsonParser.parseReader(r);
            return el.isJsonArray() ? el.getAsJsonArray() : new JsonArray();
        }
    }

    static String hms(double seconds) {
        Duration d = Duration.ofSeconds(Math.max(0, Math.round(seconds)));
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
