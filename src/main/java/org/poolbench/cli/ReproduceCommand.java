package org.poolbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.poolbench.analysis.Reproduction;
import org.poolbench.analysis.RunDifferences;
import org.poolbench.backend.Backends;
import org.poolbench.report.ReproductionReport;
import org.poolbench.results.Environment;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;
import org.poolbench.workload.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code reproduce results/<run-id> [--families LIST] [--workloads LIST]}: runs a recorded run's plan again on this
 * machine (restricted if asked), then says whether its claims and machine-independent figures reproduce
 * ({@link Reproduction}): on the terminal, and as {@code reproduction.md} and {@code reproduction.csv} beside the
 * new run. Exit status 0 when everything comparable reproduced, 1 when something did not (or the run failed), 2 for
 * bad input.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Re-run a recorded run's plan here and report whether its claims and ratios reproduce.")
final class ReproduceCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "The recorded run: a results/<run-id> folder.")
    Path run;

    @Option(names = "--families", paramLabel = "LIST", description = "Re-run only these of the run's families.")
    String families;

    @Option(names = "--workloads", paramLabel = "LIST", description = "Re-run only these of the run's workloads.")
    String workloads;

    @Option(names = "--tolerance", paramLabel = "FRACTION", defaultValue = "0.10",
            description = "How far a figure may move and still reproduce (default: ${DEFAULT-VALUE}, i.e. ±10 %%).")
    double tolerance;

    @Option(names = "--results-dir", paramLabel = "DIR", defaultValue = "results",
            description = "Where the new run's folder goes (default: ${DEFAULT-VALUE}).")
    Path resultsDir;

    @Option(names = "--charts-dir", paramLabel = "DIR", defaultValue = "charts",
            description = "Where the new run's charts go (default: ${DEFAULT-VALUE}).")
    Path chartsDir;

    @Option(names = "--dry-run", description = "Print what differs and the plan, run nothing.")
    boolean dryRun;

    @Option(names = "--with", paramLabel = "RUN", description = "Judge an existing run (a results/<run-id> folder made "
            + "from this plan, e.g. by an earlier reproduce) instead of measuring again.")
    Path with;

    /** The recorded plan, as read from a run folder. */
    record Recorded(String runId, Map<String, String> env, List<ResultRow> rows, String profile,
                    List<String> families, List<String> workloads, List<String> backends, String workers,
                    List<Integer> cores, List<String> jmhArgs, boolean jvmDefaults, boolean python) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new UsageError("--tolerance: '" + tolerance + "' is not a fraction; expected a fraction from 0 to"
                    + " below 1, e.g. 0.10 for 10 %");
        }
        Recorded rec = read(run);
        List<String> fams = restrict("--families", families, rec.families(), Plan.FAMILIES, rec.runId());
        List<String> loads = restrict("--workloads", workloads, rec.workloads(), Workloads.NAMES, rec.runId());
        Cpus cpus = Cpus.detect();
        List<Integer> cores = rec.cores().stream().filter(k -> k <= cpus.count() && (cpus.canPin()
                || k == cpus.count())).toList();
        if (cores.isEmpty()) {
            throw new UsageError("run " + rec.runId() + " measured at " + rec.cores() + " cores; this machine can pin"
                    + " only " + (cpus.canPin() ? "1.." + cpus.count() : String.valueOf(cpus.count()))
                    + ": nothing of it can be measured here");
        }
        Map<String, String> here = new LinkedHashMap<>(Environment.capture("now", rec.profile(), Instant.now()));
        here.put("cores_measured", cores.stream().map(String::valueOf).collect(Collectors.joining(",")));
        JvmSettings.of(rec.jvmDefaults(), rec.jmhArgs()).record(here);
        String py = PythonBaseline.versionOf("python3");
        if (py != null) {
            here.put("python_version", py);
            here.put("python_implementation", "python3");
        }
        System.out.println("reproduce " + rec.runId() + " (commit " + rec.env().getOrDefault("git_commit", "unknown")
                + ", profile " + rec.profile() + "): families " + String.join(",", fams) + "; workloads "
                + String.join(",", loads) + "; cores " + cores + (rec.python() ? "; CPython" : "; no CPython"));
        System.out.print(ReproductionReport.plain(ReproductionReport.differences(sides(rec, "this machine",
                here)), 60));

        RunCommand r = new RunCommand();
        r.positional = new ArrayList<>();
        r.positional.add(rec.profile());
        r.positional.addAll(rec.jmhArgs());
        r.families = String.join(",", fams);
        r.workloads = String.join(",", loads);
        r.backends = rec.backends().isEmpty() ? null : String.join(",", rec.backends());
        r.workers = rec.workers().isBlank() ? null : rec.workers();
        r.cores = cores.stream().map(String::valueOf).collect(Collectors.joining(","));
        r.resultsDir = resultsDir;
        r.chartsDir = chartsDir;
        r.noPython = !rec.python();
        r.jvmDefaults = rec.jvmDefaults();
        r.clusterName = "poolbench";
        r.dryRun = dryRun;
        Path newRun;
        if (with != null) {
            read(with); // a run folder, or a usage error naming it
            newRun = with;
        } else {
            int status = r.call();
            if (dryRun || status != 0) {
                return status;
            }
            newRun = r.runDir;
        }
        Path csv = newRun.resolve("results.csv");
        List<ResultRow> now = ResultsCsv.read(csv);
        Map<String, String> nowEnv = Environment.read(newRun.resolve("environment.csv"));
        List<ResultRow> recorded = Reproduction.restrict(rec.rows(), fams, loads, Workloads.NAMES);
        Reproduction result = Reproduction.of(recorded, now, Family.with(Family.Trait.SPEEDUPS), with == null ? cpus.count()
                : coresOf(nowEnv, cpus.count()),
                nowEnv.containsKey("python_version"), tolerance);
        ReproductionReport.Sides sides = sides(rec, nowEnv.getOrDefault("run_id", newRun.getFileName().toString()),
                nowEnv);
        List<Path> files = ReproductionReport.write(result, sides, newRun);
        System.out.println();
        System.out.print(ReproductionReport.terminal(result));
        files.forEach(f -> System.out.println("reproduction: " + f));
        return result.reproduced() ? 0 : 1;
    }

    /** The CPUs a run could use, from its environment.csv, else {@code fallback}. */
    private static int coresOf(Map<String, String> env, int fallback) {
        try {
            return Integer.parseInt(env.getOrDefault("logical_cores", "").strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static ReproductionReport.Sides sides(Recorded rec, String nowRun, Map<String, String> now) {
        return new ReproductionReport.Sides(rec.runId(), rec.env().getOrDefault("git_commit", "unknown"), nowRun,
                now.getOrDefault("git_commit", "unknown"), RunDifferences.of(rec.env(), now));
    }

    /**
     * A run folder's plan: environment.csv's keys, and for runs older than those keys the rows (which families,
     * workloads and backends have rows).
     *
     * @throws UsageError for a folder that is not a run, or an environment.csv without a valid profile
     */
    static Recorded read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UsageError("'" + dir + "' is not a run folder; expected results/<run-id> (a folder holding "
                    + "results.csv and environment.csv)");
        }
        for (String file : List.of("results.csv", "environment.csv")) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new UsageError("'" + dir + "' is not a run folder: it has no " + file + "; expected "
                        + "results/<run-id> with results.csv and environment.csv");
            }
        }
        Map<String, String> env = Environment.read(dir.resolve("environment.csv"));
        String profile = env.getOrDefault("profile", "").strip();
        try {
            Profile.of(profile);
        } catch (IllegalArgumentException e) {
            throw new UsageError(dir.resolve("environment.csv") + ": profile '" + profile + "' "
                    + (profile.isEmpty() ? "is missing" : "is unknown") + "; valid: "
                    + Arrays.stream(Profile.values()).map(Profile::id).collect(Collectors.joining(", ")));
        }
        List<ResultRow> rows = ResultsCsv.read(dir.resolve("results.csv"));
        if (rows.stream().noneMatch(ResultRow::measured)) {
            throw new UsageError(dir.resolve("results.csv") + ": no measured rows; expected a run that measured "
                    + "something");
        }
        String runId = env.getOrDefault("run_id", rows.stream().map(ResultRow::runId).filter(Objects::nonNull)
                .findFirst().orElse(dir.getFileName().toString()));
        List<String> families = listed(env, "families", rows.stream().map(ResultRow::family).toList(), Plan.FAMILIES);
        List<String> loads = listed(env, "workloads", rows.stream().map(ResultRow::workload).toList(),
                Workloads.NAMES);
        List<String> backends = env.containsKey("backends") ? Main.list(env.get("backends")) : List.of();
        String cellCores = env.get("cores_measured");
        List<Integer> cores;
        try {
            cores = cellCores == null || cellCores.isBlank()
                    ? rows.stream().filter(r -> "scaling".equals(r.family()) || "ceiling".equals(r.family()))
                    .map(ResultRow::cores).filter(Objects::nonNull).distinct().sorted().toList()
                    : Main.positiveInts("cores_measured", cellCores);
        } catch (UsageError e) {
            throw new UsageError(dir.resolve("environment.csv") + ": " + e.getMessage());
        }
        if (cores.isEmpty()) {
            throw new UsageError(dir.resolve("environment.csv") + ": cores_measured is missing and no scaling row "
                    + "names its cores; expected e.g. cores_measured,\"1,2\"");
        }
        String extra = env.getOrDefault("jmh_extra_args", "").strip();
        List<String> jmh = extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
        boolean python = env.containsKey("python_version")
                || rows.stream().anyMatch(r -> r.backend() != null && r.backend().startsWith("py-"));
        for (String b : backends) {
            if (!Backends.names().contains(b)) {
                throw new UsageError(dir.resolve("environment.csv") + ": backend '" + b + "' is unknown; valid: "
                        + String.join(", ", Backends.names()));
            }
        }
        return new Recorded(runId, env, rows, profile, families, loads, backends, env.getOrDefault("workers", ""),
                cores, jmh, "on".equals(env.get("jvm_defaults")), python);
    }

    /** A list the run recorded under {@code key}, else the valid values its rows name, in the valid order. */
    private static List<String> listed(Map<String, String> env, String key, List<String> fromRows,
                                       List<String> valid) {
        List<String> named = env.containsKey(key) && !env.get(key).isBlank() ? Main.list(env.get(key)) : fromRows;
        return valid.stream().filter(named::contains).toList();
    }

    /** The recorded values, restricted to the given ones; a value the run did not measure is a usage error. */
    private static List<String> restrict(String option, String given, List<String> recorded, List<String> valid,
                                         String runId) {
        if (given == null) {
            return recorded;
        }
        List<String> chosen = RunCommand.choose(option, given, valid);
        for (String c : chosen) {
            if (!recorded.contains(c)) {
                throw new UsageError(option + ": run " + runId + " did not measure '" + c + "'; valid: "
                        + String.join(", ", recorded));
            }
        }
        return recorded.stream().filter(chosen::contains).toList();
    }
}
