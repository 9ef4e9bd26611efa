package org.poolbench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.poolbench.bench.ResourceProbe;
import org.poolbench.results.ResultRow;

/**
 * Runs {@link ResourceProbe} once per backend, each in a fresh JVM, and turns its line into a {@code resource} row
 * (peak resident memory in MB, summed over the JVM and its workers).
 */
final class ResourceProbes {

    /** Rough seconds per probe, for the estimate. */
    static final double SECONDS = 6;

    private static final int JOBS = 3;
    private static final Pattern LINE = Pattern.compile("peak_rss_kb=(\\d+) processes=(\\d+) jobs=(\\d+)");

    private final Path java;
    private final Path jar;
    private final int cores;
    private final PrintStream console;

    ResourceProbes(Path java, Path jar, int cores, PrintStream console) {
        this.java = java;
        this.jar = jar;
        this.cores = cores;
        this.console = console;
    }

    /** One row per probe {workload, backend, workers}. */
    List<ResultRow> run(List<List<String>> probes, String runId) throws IOException, InterruptedException {
        List<ResultRow> rows = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            List<String> probe = probes.get(i);
            console.printf("[resource %d/%d] %s on %s, %s workers%n", i + 1, probes.size(), probe.get(0),
                    probe.get(1), probe.get(2));
            Process p = new ProcessBuilder(java.toString(), "-cp", jar.toString(), ResourceProbe.class.getName(),
                    probe.get(0), probe.get(1), probe.get(2), String.valueOf(JOBS))
                    .redirectErrorStream(true).start();
            String output;
            try {
                output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    throw new IOException("resource probe of " + probe.get(1) + " did not finish");
                }
            } finally {
                p.destroyForcibly();
            }
            Matcher m = LINE.matcher(output);
            if (p.exitValue() != 0 || !m.find()) {
                throw new IOException("resource probe of " + probe.get(1) + " failed (exit " + p.exitValue() + "): "
                        + output.strip());
            }
            double mb = Long.parseLong(m.group(1)) / 1024.0;
            int processes = Integer.parseInt(m.group(2));
            rows.add(ResultRow.builder().runId(runId).family("resource").benchmark("peakRss").workload(probe.get(0))
                    .backend(probe.get(1)).cores(cores).workers(Integer.parseInt(probe.get(2))).mode("peak").score(mb)
                    .unit("MB").status(ResultRow.OK).params("processes=" + processes + ";jobs=" + JOBS).build());
        }
        return rows;
    }
}
