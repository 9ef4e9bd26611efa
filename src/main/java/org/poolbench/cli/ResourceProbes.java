package org.poolbench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.poolbench.bench.ResourceProbe;
import org.poolbench.results.ResultRow;

/**
 * Runs {@link ResourceProbe} once per probe, each in a fresh JVM with the run's {@link JvmSettings} (fixed heaps),
 * and turns its line into {@code resource} rows, all in MB:
 * <ul>
 *   <li>{@code peakRss} (mode {@code peak}): the peak of this JVM and all its workers together;</li>
 *   <li>{@code parentIdleRss} / {@code parentPeakRss}: the JVM that holds the backend, at rest after the backend was
 *   created, and at its peak while jobs ran;</li>
 *   <li>{@code workerIdleRss} / {@code workerPeakRss}: one worker JVM (mean over the workers), at rest and at its own
 *   peak; only for backends that start worker JVMs ({@code workerIdleRss} only where workers live between jobs).</li>
 * </ul>
 * {@code params} holds {@code jobs}; {@code note} what was observed: {@code processes} (most processes at once) and,
 * for worker rows, {@code workers_seen}. Observations stay out of {@code params}, which is part of a point's identity:
 * process-per-task sees 36 workers in one run and 37 in the next, and {@code compare} must still match the point.
 * Thread backends' cost is {@code parent*Rss} against {@code sequential}'s.
 */
final class ResourceProbes {

    /** Rough seconds per probe, for the estimate. */
    static final double SECONDS = 6;

    private static final int JOBS = 3;
    private static final Pattern PAIR = Pattern.compile("(\\w+)=(\\d+)");

    private final Path java;
    private final Path jar;
    private final int cores;
    private final JvmSettings jvm;
    private final PrintStream console;

    ResourceProbes(Path java, Path jar, int cores, JvmSettings jvm, PrintStream console) {
        this.java = java;
        this.jar = jar;
        this.cores = cores;
        this.jvm = jvm;
        this.console = console;
    }

    /** The rows of every probe {workload, backend, workers}. */
    List<ResultRow> run(List<List<String>> probes, String runId) throws IOException, InterruptedException {
        List<ResultRow> rows = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            List<String> probe = probes.get(i);
            console.printf("[resource %d/%d] %s on %s, %s %s%n", i + 1, probes.size(), probe.get(0),
                    probe.get(1), probe.get(2), probe.get(2).equals("1") ? "worker" : "workers");
            List<String> cmd = new ArrayList<>(List.of(java.toString()));
            cmd.addAll(jvm.benchmarkJvmArgs(List.of(probe.get(0))));
            cmd.addAll(List.of("-cp", jar.toString(), ResourceProbe.class.getName(), probe.get(0), probe.get(1),
                    probe.get(2), String.valueOf(JOBS)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output;
            try {
                output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    throw new IOException("resource probe of " + probe.get(1) + " did not finish");
                }
            } finally {
                p.destroyForcibly();
            }
            Map<String, Long> values = parse(output);
            if (p.exitValue() != 0 || !values.containsKey("peak_rss_kb")) {
                throw new IOException("resource probe of " + probe.get(1) + " failed (exit " + p.exitValue() + "): "
                        + output.strip());
            }
            rows.addAll(rows(runId, probe.get(0), probe.get(1), Integer.parseInt(probe.get(2)), values));
        }
        return rows;
    }

    /** The {@code key=number} pairs of the probe's last line that has {@code peak_rss_kb}. */
    static Map<String, Long> parse(String output) {
        Map<String, Long> values = new HashMap<>();
        for (String line : output.split("\\R")) {
            if (line.contains("peak_rss_kb=")) {
                values.clear();
                Matcher m = PAIR.matcher(line);
                while (m.find()) {
                    values.put(m.group(1), Long.parseLong(m.group(2)));
                }
            }
        }
        return values;
    }

    /** A probe's rows (see the class comment). */
    List<ResultRow> rows(String runId, String workload, String backend, int workers, Map<String, Long> v) {
        String jobs = "jobs=" + v.getOrDefault("jobs", 0L);
        String seen = "processes=" + v.getOrDefault("processes", 0L);
        List<ResultRow> rows = new ArrayList<>();
        rows.add(row(runId, "peakRss", "peak", workload, backend, workers, v.get("peak_rss_kb"), jobs, seen));
        rows.add(row(runId, "parentIdleRss", "idle", workload, backend, workers, v.get("idle_parent_kb"), jobs, seen));
        rows.add(row(runId, "parentPeakRss", "peak", workload, backend, workers, v.get("peak_parent_kb"), jobs, seen));
        if (v.getOrDefault("idle_workers", 0L) > 0) {
            rows.add(row(runId, "workerIdleRss", "idle", workload, backend, workers, v.get("idle_worker_kb"), jobs,
                    seen + ";workers_seen=" + v.get("idle_workers")));
        }
        if (v.getOrDefault("workers_seen", 0L) > 0) {
            rows.add(row(runId, "workerPeakRss", "peak", workload, backend, workers, v.get("peak_worker_kb"), jobs,
                    seen + ";workers_seen=" + v.get("workers_seen")));
        }
        rows.removeIf(r -> r.score() == null);
        return rows;
    }

    private ResultRow row(String runId, String benchmark, String mode, String workload, String backend, int workers,
            Long kb, String params, String observed) {
        return ResultRow.builder().runId(runId).family("resource").benchmark(benchmark).workload(workload)
                .backend(backend).cores(cores).workers(workers).mode(mode).score(kb == null ? null : kb / 1024.0)
                .unit("MB").status(ResultRow.OK).params(params).note(observed).build();
    }
}
