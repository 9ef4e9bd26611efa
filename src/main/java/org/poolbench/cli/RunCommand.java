package org.poolbench.cli;

import java.io.IOException;
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
import org.poolbench.analysis.Analysis;
import org.poolbench.analysis.QualityView;
import org.poolbench.jvm.JavaBinary;
import org.poolbench.report.Latex;
import org.poolbench.report.Report;
import org.poolbench.results.Environment;
import org.poolbench.results.IterationsCsv;
import org.poolbench.results.JmhJson;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;
import org.poolbench.results.RunId;
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

    @Option(names = "--families", paramLabel = "LIST",
            description = "Families to run (default: all but cluster; quick leaves out transport, sync and ipc, which it runs when named).")
    String families;

    @Option(names = "--workloads", paramLabel = "LIST", description = "factorial, squares, download (default: all).")
    String workloads;

    @Option(names = "--backends", paramLabel = "LIST", description = "Backends to compare (default: all).")
    String backends;

    @Option(names = "--workers", paramLabel = "LIST",
            description = "Worker counts at every core count (default: as many as cores).")
    String workers;

    @Option(names = "--cores", paramLabel = "LIST",
            description = "Core counts to pin runs to, in any order (measured ascending; the largest is the top "
                    + "core count); default: 1, 2, 4, ... up to this machine's.")
    String cores;

    @Option(names = "--results-dir", paramLabel = "DIR", defaultValue = "results",
            description = "Where run folders go (default: ${DEFAULT-VALUE}).")
    Path resultsDir;

    @Option(names = "--charts-dir", paramLabel = "DIR", defaultValue = "charts",
            description = "Where chart folders go (default: ${DEFAULT-VALUE}).")
    Path chartsDir;

    @Option(names = "--no-python", description = "Leave out the CPython baseline.")
    boolean noPython;

    @Option(names = "--python", paramLabel = "PATH", description = "The Python interpreter that runs the CPython "
            + "baseline (default: python3 on the PATH), e.g. a free-threaded build or PyPy; environment.csv and the "
            + "rows' notes say which implementation and version, and whether the GIL is on.")
    String python;

    @Option(names = "--cluster", paramLabel = "LIST",
            description = "host:port,... of running members ('run-bench.sh member') for the cluster backend.")
    String cluster;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "poolbench",
            description = "The cluster name of those members (default: ${DEFAULT-VALUE}).")
    String clusterName;

    @Option(names = "--dry-run", description = "Print the plan and its time estimate, run nothing.")
    boolean dryRun;

    /** The folder of the run this command wrote, once {@link #call} has started it (reproduce reads it). */
    Path runDir;

    @Option(names = "--jvm-defaults", description = "Run benchmark JVMs with the JVM's own ergonomics (collector, "
            + "heap, compiler threads chosen from the CPUs it sees) instead of fixed settings; see docs/METHODOLOGY.md.")
    boolean jvmDefaults;

    /** What a run needs once its arguments are checked: the plan, the JVM settings, where CPython comes from. */
    private record Setup(Profile profile, List<String> jmhArgs, JvmSettings jvm, List<String> families,
                         List<String> workloads, Cpus cpus, List<Integer> cores, Plan plan,
                         Optional<PythonBaseline> python) {
    }

    /** A run under way: its id, folders and environment, and the rows gathered besides JMH's. */
    private record Run(String id, Path dir, Path chartDir, Map<String, String> env, List<ResultRow> extra) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Setup setup = plan();
        if (dryRun) {
            setup.plan().invocations.forEach(inv -> System.out.println("  " + inv.describe() + "  (~"
                    + JmhLauncher.hms(JmhLauncher.estimateSeconds(setup.profile(), inv)) + ")"));
            setup.plan().probes.forEach(p -> System.out.println("  resource, " + String.join(" ", p)));
            return 0;
        }
        Path java = JavaBinary.current(); // run-bench.sh chose it, so JMH and the worker JVMs use it too
        Path jar = ownJar();
        Run run = start(setup);
        try {
            measure(setup, run, java, jar);
            baseline(setup, run);
            probes(setup, run, java, jar);
        } catch (IOException e) {
            System.err.println("poolbench run: " + e.getMessage());
            System.err.println("poolbench run: run " + run.id() + " failed; its log is " + run.dir().resolve("jmh.log"));
            return 1;
        }
        List<ResultRow> rows = convert(setup, run);
        if (rows.isEmpty()) {
            System.err.println("poolbench run: JMH wrote no results (is the JDK older than 21, or did the filter "
                    + "match nothing?); see " + run.dir().resolve("jmh.log"));
            return 1;
        }
        Path csv = run.dir().resolve("results.csv");
        ResultsCsv.write(csv, rows);
        Analysis analysis = Family.analyse(rows, run.env(), ChartsCommand.iterationsBeside(csv));
        List<Path> charts = Family.drawAll(analysis, run.chartDir());
        List<Path> report = new ArrayList<>(Report.write(analysis, run.chartDir()));
        Latex.write(analysis, run.chartDir());
        report.add(run.chartDir().resolve("tables"));
        System.out.println("results: " + csv + " (" + rows.size() + " rows)");
        System.out.println("charts:  " + run.chartDir() + " (" + charts.size() + " files)");
        report.forEach(p -> System.out.println("report:  " + p));
        analysis.views(QualityView.class).forEach(q -> {
            System.out.println("quality: " + q.lesson());
            q.checks().forEach(c -> System.out.println("check:   " + String.format("%-13s", c.result()) + c.name()
                    + ": " + c.figure() + " (target " + c.target() + ")"));
        });
        return 0;
    }

    /** Checks every argument (a bad one is a {@link UsageError}: nothing is written), builds the plan, prints it. */
    private Setup plan() {
        String profileName = positional.isEmpty() || positional.get(0).startsWith("-") ? "quick" : positional.get(0);
        List<String> jmhArgs = positional.isEmpty() ? List.of()
                : positional.subList(profileName.equals(positional.get(0)) ? 1 : 0, positional.size());
        Profile profile;
        try {
            profile = Profile.of(profileName);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        List<String> familyList = families == null ? Plan.defaultFamilies(profile)
                : choose("--families", families, Plan.FAMILIES);
        List<String> workloadList = choose("--workloads", workloads, Workloads.NAMES);
        List<String> backendList = choose("--backends", backends, Backends.names());
        List<Integer> workerList = workers == null ? List.of() : Main.positiveInts("--workers", workers);
        jmhArgs = ClusterOption.apply(cluster, clusterName, jmhArgs);
        JvmSettings jvm = JvmSettings.of(jvmDefaults, jmhArgs);
        Cpus cpus = Cpus.detect();
        List<Integer> coreList = coreCounts(profile, cpus);
        Plan plan = Plan.build(profile, familyList, workloadList, backendList, cpus.count(), coreList, workerList,
                !jvm.defaults());
        boolean pythonFamilies = familyList.stream().anyMatch(f -> Family.of(f).python());
        if (this.python != null && (noPython || !pythonFamilies)) {
            PythonBaseline.checkInterpreter(this.python); // a bad --python is an error even when CPython is left out
        }
        Optional<PythonBaseline> python = noPython || !pythonFamilies
                ? Optional.empty() : PythonBaseline.find(Path.of("").toAbsolutePath(), System.out, this.python);
        double estimate = JmhLauncher.estimateSeconds(profile, plan.invocations)
                + ResourceProbes.SECONDS * plan.probes.size()
                + (python.isPresent() ? PythonBaseline.estimateSeconds(profile, familyList) : 0);
        System.out.printf("poolbench %s profile on %d cores (scaling pinned to %s): %d JMH runs, %d points, %d resource "
                        + "probes%s; estimated %s%n", profile.id(), cpus.count(), coreList, plan.invocations.size(),
                plan.points(), plan.probes.size(), python.isPresent() ? ", CPython baseline" : "",
                JmhLauncher.hms(estimate));
        return new Setup(profile, jmhArgs, jvm, familyList, workloadList, cpus, coreList, plan, python);
    }

    private List<Integer> coreCounts(Profile profile, Cpus cpus) {
        if (cores != null) {
            List<Integer> coreList = Main.positiveInts("--cores", cores);
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
            return Plan.ascending(coreList);
        }
        if (cpus.canPin()) {
            return profile.coreCounts(cpus.count());
        }
        System.out.println("note: taskset not found, so every run uses all " + cpus.count()
                + " cores (install util-linux for per-core scaling)");
        return List.of(cpus.count());
    }

    /** Creates the run's folder and writes its environment.csv. */
    private Run start(Setup s) throws IOException {
        String runId = RunId.next(resultsDir);
        Path runDir = Files.createDirectories(resultsDir.resolve(runId));
        Map<String, String> env = new LinkedHashMap<>(Environment.capture(runId, s.profile().id(), Instant.now()));
        env.put("forks", String.valueOf(s.profile().forks));
        env.put("warmup", s.profile().warmupIterations + " x " + s.profile().warmupMillis + " ms");
        env.put("measurement", s.profile().iterations + " x " + s.profile().iterationMillis + " ms");
        env.put("cores_measured", s.cores().toString().replaceAll("[\\[\\] ]", ""));
        env.put("pinning", s.cpus().canPin() ? "taskset" : "none");
        env.put("jmh_extra_args", String.join(" ", s.jmhArgs()));
        // the plan as asked for, so that reproduce can run it again
        env.put("families", String.join(",", s.families()));
        env.put("workloads", String.join(",", s.workloads()));
        env.put("backends", backends == null ? "" : String.join(",", Main.list(backends)));
        env.put("workers", workers == null ? "" : String.join(",", Main.list(workers)));
        s.jvm().record(env);
        this.runDir = runDir;
        Environment.write(runDir.resolve("environment.csv"), env);
        System.out.println("run " + runId + ": writing " + runDir);
        return new Run(runId, runDir, chartsDir.resolve(runId), env, new ArrayList<>());
    }

    /** Runs the plan's JMH invocations into jmh.json and jmh.log. */
    private void measure(Setup s, Run run, Path java, Path jar) throws IOException, InterruptedException {
        if (!s.plan().invocations.isEmpty()) {
            new JmhLauncher(java, jar, s.cpus(), s.profile(), s.jmhArgs(), s.jvm(), System.out)
                    .run(s.plan().invocations, run.dir().resolve("jmh.json"), run.dir().resolve("jmh.log"));
            Path noise = run.dir().resolve("noise.csv");
            if (Files.exists(noise)) { // the report's environment table says how quiet the machine was
                run.env().put("noise", JmhLauncher.noiseSummary(noise).replaceFirst("^noise: ", "")
                        .replaceFirst(" \\([^()]*\\)$", "") + " (noise.csv)");
                Environment.write(run.dir().resolve("environment.csv"), run.env());
            }
        }
    }

    /** The CPython baseline's rows, when python3 is there and not left out. */
    private void baseline(Setup s, Run run) throws IOException, InterruptedException {
        if (s.python().isPresent()) {
            run.extra().addAll(s.python().get().run(run.id(), s.profile(), s.families(), s.workloads(), s.cores(),
                    run.dir(), run.env()));
            Environment.write(run.dir().resolve("environment.csv"), run.env());
        }
    }

    /** Peak memory per backend, one fresh JVM each. */
    private void probes(Setup s, Run run, Path java, Path jar) throws IOException, InterruptedException {
        run.extra().addAll(new ResourceProbes(java, jar, s.cpus().count(), s.jvm(), System.out).run(s.plan().probes, run.id()));
    }

    /**
     * jmh.json → rows, completed with what the benchmarks know (workload, tasks) and the cores the overhead family
     * ran on, plus the baseline's, the probes' and the skipped rows, with speedups filled: what results.csv holds.
     * Empty when JMH was asked to measure and wrote nothing.
     */
    private List<ResultRow> convert(Setup s, Run run) throws IOException {
        Path jmhJson = run.dir().resolve("jmh.json");
        List<ResultRow> measured = Files.exists(jmhJson) ? JmhJson.convert(jmhJson, run.id(), Family.with(Family.Trait.AUX_COUNTERS)) : List.of();
        if (measured.isEmpty() && !s.plan().invocations.isEmpty()) {
            return List.of();
        }
        List<ResultRow> rows = withCores(Family.completeAll(measured), s.plan());
        // every JMH iteration, labelled like its row (JSON order = row order), then CPython's
        List<IterationsCsv.Iteration> iterations = new ArrayList<>(measured.isEmpty() ? List.of()
                : IterationsCsv.fromJmhJson(jmhJson, rows));
        Path python = run.dir().resolve(PythonBaseline.ITERATIONS);
        if (Files.isRegularFile(python)) {
            iterations.addAll(IterationsCsv.read(python));
        }
        if (!iterations.isEmpty()) {
            IterationsCsv.write(run.dir().resolve("iterations.csv"), iterations);
        }
        rows.addAll(run.extra());
        s.plan().skipped.forEach(r -> rows.add(r.toBuilder().runId(run.id()).build()));
        return Family.fillSpeedups(rows);
    }

    /**
     * The rows, each with the cores it ran on: the overhead family has no cores parameter, and ran pinned to the
     * plan's top core count ({@link Plan#topCores()}) like every family. A new list the caller may add to.
     */
    static List<ResultRow> withCores(List<ResultRow> rows, Plan plan) {
        List<ResultRow> out = new ArrayList<>();
        for (ResultRow r : rows) {
            out.add(r.cores() != null ? r : r.toBuilder().cores(plan.topCores()).build());
        }
        return out;
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
