package org.poolbench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.poolbench.backend.Backends;
import org.poolbench.bench.JobFacts;
import org.poolbench.charts.Charts;
import org.poolbench.report.Report;
import org.poolbench.results.Environment;
import org.poolbench.results.JmhJson;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;
import org.poolbench.results.RunId;
import org.poolbench.results.Speedups;
import org.poolbench.workload.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run [smoke|quick|full] [options] [-- JMH options]}: measures, then writes
 * {@code results/<run-id>/} (jmh.json, jmh.log, results.csv, environment.csv) and {@code charts/<run-id>/}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the benchmarks of a profile and write results, charts and a report.")
final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PROFILE [-- JMH-ARGS]", arity = "0..*",
            description = "smoke, quick (default) or full; anything after -- goes to JMH as it is.")
    List<String> positional = new ArrayList<>();

    @Option(names = "--families", paramLabel = "LIST", description = "Families to run (default: all).")
    String families;

    @Option(names = "--workloads", paramLabel = "LIST", description = "factorial, squares, download (default: all).")
    String workloads;

    @Option(names = "--backends", paramLabel = "LIST", description = "Backends to compare (default: all).")
    String backends;

    @Option(names = "--workers", paramLabel = "LIST",
            description = "Worker counts at every core count (default: as many as cores).")
    String workers;

    @Option(names = "--cores", paramLabel = "LIST",
            description = "Core counts to pin runs to (default: 1, 2, 4, ... up to this machine's).")
    String cores;

    @Option(names = "--results-dir", paramLabel = "DIR", defaultValue = "results",
            description = "Where run folders go (default: ${DEFAULT-VALUE}).")
    Path resultsDir;

    @Option(names = "--charts-dir", paramLabel = "DIR", defaultValue = "charts",
            description = "Where chart folders go (default: ${DEFAULT-VALUE}).")
    Path chartsDir;

    @Option(names = "--no-python", description = "Leave out the CPython baseline.")
    boolean noPython;

    @Option(names = "--cluster", paramLabel = "LIST",
            description = "host:port,... of running members ('run-bench.sh member') for the cluster backend.")
    String cluster;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "poolbench",
            description = "The cluster name of those members (default: ${DEFAULT-VALUE}).")
    String clusterName;

    @Option(names = "--dry-run", description = "Print the plan and its time estimate, run nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintStream out = System.out;
        String profileName = positional.isEmpty() || positional.get(0).startsWith("-") ? "quick" : positional.get(0);
        List<String> jmhArgs = positional.isEmpty() ? List.of()
                : positional.subList(profileName.equals(positional.get(0)) ? 1 : 0, positional.size());
        Profile profile;
        try {
            profile = Profile.of(profileName);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        List<String> familyList = choose("--families", families, Plan.FAMILIES);
        List<String> workloadList = choose("--workloads", workloads, Workloads.NAMES);
        List<String> backendList = choose("--backends", backends, Backends.names());
        List<Integer> workerList = workers == null ? List.of() : Main.positiveInts("--workers", workers);

        jmhArgs = ClusterOption.apply(cluster, clusterName, jmhArgs);
        Cpus cpus = Cpus.detect();
        List<Integer> coreList;
        if (cores != null) {
            coreList = Main.positiveInts("--cores", cores);
            for (int k : coreList) {
                if (k > cpus.count()) {
                    throw new UsageError("--cores: " + k + " is more than the " + cpus.count()
                            + " CPUs this machine lets us use; valid: 1.." + cpus.count());
                }
                if (k < cpus.count() && !cpus.canPin()) {
                    throw new UsageError("--cores: " + k + " needs taskset (util-linux) to pin the run; only "
                            + cpus.count() + " is possible here");
                }
            }
        } else if (cpus.canPin()) {
            coreList = profile.coreCounts(cpus.count());
        } else {
            out.println("note: taskset not found, so every run uses all " + cpus.count()
                    + " cores (install util-linux for per-core scaling)");
            coreList = List.of(cpus.count());
        }

        Plan plan = Plan.build(profile, familyList, workloadList, backendList, cpus.count(), coreList, workerList);
        boolean pythonFamilies = familyList.stream().anyMatch(PythonBaseline.FAMILIES::contains);
        Optional<PythonBaseline> python = noPython || !pythonFamilies
                ? Optional.empty() : PythonBaseline.find(Path.of("").toAbsolutePath(), out);
        double estimate = JmhLauncher.estimateSeconds(profile, plan.invocations)
                + ResourceProbes.SECONDS * plan.probes.size()
                + (python.isPresent() ? PythonBaseline.estimateSeconds(profile) : 0);
        out.printf("poolbench %s profile on %d cores (scaling pinned to %s): %d JMH runs, %d points, %d resource "
                        + "probes%s; estimated %s%n", profile.id(), cpus.count(), coreList, plan.invocations.size(),
                plan.points(), plan.probes.size(), python.isPresent() ? ", CPython baseline" : "",
                JmhLauncher.hms(estimate));
        if (dryRun) {
            plan.invocations.forEach(inv -> out.println("  " + inv.describe()));
            plan.probes.forEach(p -> out.println("  resource, " + String.join(" ", p)));
            return 0;
        }

        Path java = javaBinary();
        Path jar = ownJar();
        JmhLauncher launcher = new JmhLauncher(java, jar, cpus, profile, jmhArgs, out);
        Instant start = Instant.now();
        String runId = RunId.next(resultsDir);
        Path runDir = Files.createDirectories(resultsDir.resolve(runId));
        Path chartDir = chartsDir.resolve(runId);
        Map<String, String> env = new LinkedHashMap<>(Environment.capture(runId, profile.id(), start));
        env.put("forks", String.valueOf(profile.forks));
        env.put("warmup", profile.warmupIterations + " x " + profile.warmupMillis + " ms");
        env.put("measurement", profile.iterations + " x " + profile.iterationMillis + " ms");
        env.put("cores_measured", coreList.toString().replaceAll("[\\[\\] ]", ""));
        env.put("pinning", cpus.canPin() ? "taskset" : "none");
        env.put("jmh_extra_args", String.join(" ", jmhArgs));
        Environment.write(runDir.resolve("environment.csv"), env);
        out.println("run " + runId + ": writing " + runDir);

        Path jmhJson = runDir.resolve("jmh.json");
        List<ResultRow> extra = new ArrayList<>();
        try {
            if (!plan.invocations.isEmpty()) {
                launcher.run(plan.invocations, jmhJson, runDir.resolve("jmh.log"));
            }
            if (python.isPresent()) {
                extra.addAll(python.get().run(runId, profile, familyList, workloadList, coreList, runDir, env));
                Environment.write(runDir.resolve("environment.csv"), env);
            }
            extra.addAll(new ResourceProbes(java, jar, cpus.count(), out).run(plan.probes, runId));
        } catch (IOException e) {
            System.err.println("poolbench run: " + e.getMessage());
            System.err.println("poolbench run: run " + runId + " failed; its log is " + runDir.resolve("jmh.log"));
            return 1;
        }
        for (ResultRow r : plan.skipped) {
            extra.add(new ResultRow(runId, r.family(), r.benchmark(), r.workload(), r.backend(), r.cores(),
                    r.workers(), r.taskSize(), r.chunksize(), r.tasks(), r.mode(), r.score(), r.scoreError(),
                    r.unit(), r.speedup(), r.efficiency(), r.status(), r.note(), r.params()));
        }
        List<ResultRow> measured = Files.exists(jmhJson) ? JmhJson.convert(jmhJson, runId) : List.of();
        if (measured.isEmpty() && !plan.invocations.isEmpty()) {
            System.err.println("poolbench run: JMH wrote no results (is the JDK older than 21, or did the filter "
                    + "match nothing?); see " + runDir.resolve("jmh.log"));
            return 1;
        }
        int top = coreList.get(coreList.size() - 1);
        List<ResultRow> rows = new ArrayList<>();
        for (ResultRow r : JobFacts.complete(measured)) {
            // the overhead family has no cores parameter; it ran pinned to the top core count like every family
            rows.add(r.cores() != null ? r : new ResultRow(r.runId(), r.family(), r.benchmark(), r.workload(),
                    r.backend(), top, r.workers(), r.taskSize(), r.chunksize(), r.tasks(), r.mode(), r.score(),
                    r.scoreError(), r.unit(), r.speedup(), r.efficiency(), r.status(), r.note(), r.params()));
        }
        rows.addAll(extra);
        rows = Speedups.fill(rows);
        if (rows.isEmpty()) {
            System.err.println("poolbench run: JMH wrote no results (is the JDK older than 21, or did the filter "
                    + "match nothing?); see " + runDir.resolve("jmh.log"));
            return 1;
        }
        Path csv = runDir.resolve("results.csv");
        ResultsCsv.write(csv, rows);
        Files.createDirectories(chartDir);
        List<Path> charts = Charts.drawAll(rows, env, chartDir);
        List<Path> report = Report.write(rows, env, chartDir);
        out.println("results: " + csv + " (" + rows.size() + " rows)");
        out.println("charts:  " + chartDir + " (" + charts.size() + " files)");
        report.forEach(p -> out.println("report:  " + p));
        return 0;
    }

    /** The values of a list option, each checked against the valid ones; all of them when the option is absent. */
    static List<String> choose(String option, String value, List<String> valid) {
        if (value == null) {
            return valid;
        }
        List<String> chosen = Main.list(value);
        if (chosen.isEmpty()) {
            throw new UsageError(option + ": empty list; valid: " + String.join(", ", valid));
        }
        for (String c : chosen) {
            if (!valid.contains(c)) {
                throw new UsageError(option + ": unknown value '" + c + "'; valid: " + String.join(", ", valid));
            }
        }
        return chosen;
    }

    /** The java binary running this CLI: run-bench.sh chose it, so JMH and the worker JVMs use it too. */
    static Path javaBinary() {
        return ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    /** The jar holding this class: JMH's child JVMs need the benchmarks jar on their class path. */
    static Path ownJar() {
        try {
            Path p = Path.of(RunCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(p)) {
                throw new UsageError("run needs the benchmarks jar (build it with mvn package); running from " + p);
            }
            return p;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
