package org.poolbench.results;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

/**
 * JMH's JSON result file ({@code -rf json}) → {@link ResultRow}s.
 *
 * <p>JMH writes an array with one object per benchmark × parameter combination; we read {@code benchmark}
 * ({@code package.FooBenchmark.method}), {@code mode}, {@code params} (all values are strings) and
 * {@code primaryMetric.score / scoreError / scoreUnit}. JMH writes {@code "NaN"} (a string) for the error when it
 * cannot compute one (fewer than three iterations); that becomes an empty cell. In the families named by
 * {@code convert}'s {@code auxCounterFamilies} (the registry's, {@code cli/Family}: sync), whose benchmarks report
 * counts through {@code @AuxCounters}, each secondary metric becomes a row of its own right after its primary row,
 * with benchmark {@code <method>:<metric>} (JMH's own name for it) and the same parameters; elsewhere secondary metrics (profilers' ones) are not converted, so a
 * {@code -prof gc} run adds no rows to the other families' charts.
 *
 * <p>A result whose JVM alternated between points ({@link Alternation}: core counts, or backends) becomes one row per
 * value, in the order listed, each from its own iterations: the mean, and JMH's error (the 99.9 % Student's t
 * half-width).
 */
public final class JmhJson {

    private JmhJson() {
    }

    /**
     * Converts one JMH JSON file into rows, in the file's order; speedup and efficiency are left empty (the run
     * fills them once all rows, the CPython baseline's too, are in: {@link Speedups#fill}).
     *
     * <ul>
     *   <li>{@code family}: the benchmark class's simple name without {@code Benchmark}, lower case;
     *       {@code benchmark}: the method name.</li>
     *   <li>Params {@code workload, backend, cores, workers, taskSize, chunksize, tasks} go to their columns, every
     *       other param into {@code params} as {@code key=value;…} in JMH's (alphabetical) order.</li>
     *   <li>{@code status} is {@code ok}; a point with no finite score is kept as {@code skipped} with a note.</li>
     * </ul>
     *
     * @param auxCounterFamilies the families whose secondary metrics are rows of their own (sync: time per add,
     *                           lost and made updates)
     * @throws IOException if the file cannot be read, is not JMH JSON, or an integer param is not an integer (the
     *                     message names the file, the benchmark and the param)
     */
    public static List<ResultRow> convert(Path jmhJson, String runId, java.util.Set<String> auxCounterFamilies)
            throws IOException {
        JsonElement root;
        try (Reader in = Files.newBufferedReader(jmhJson, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(in);
        } catch (JsonParseException e) {
            throw new IOException(jmhJson + ": not a JSON file: " + e.getMessage(), e);
        }
        if (root.isJsonNull()) { // JMH leaves an empty file when no benchmark matched
            return List.of();
        }
        if (!root.isJsonArray()) {
            throw new IOException(jmhJson + ": not a JMH result file (expected a JSON array of benchmark results)");
        }
        JsonArray results = root.getAsJsonArray();
        List<ResultRow> rows = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            ResultRow primary = row(jmhJson, i, results.get(i), runId);
            JsonObject result = results.get(i).getAsJsonObject();
            Split alternated = alternation(jmhJson, result);
            if (alternated != null) {
                rows.addAll(split(primary, alternated, result.getAsJsonObject("primaryMetric")));
                continue;
            }
            rows.add(primary);
            if (auxCounterFamilies.contains(primary.family()) && result.has("secondaryMetrics") && result.get("secondaryMetrics").isJsonObject()) {
                for (Map.Entry<String, JsonElement> m : result.getAsJsonObject("secondaryMetrics").entrySet()) {
                    if (m.getValue().isJsonObject()) {
                        rows.add(row(jmhJson, i, result, runId, m.getKey(), m.getValue().getAsJsonObject()));
                    }
                }
            }
        }
        return rows;
    }

    /**
     * What a result's JVM alternated between ({@link Alternation#turns}): its points in turn order, and the note each
     * split row gets; null for a result that measured one point.
     */
    record Split(List<Alternation.Turn> turns, List<Integer> taskSizes, String note) {

        Split(List<Alternation.Turn> turns, String note) {
            this(turns, null, note);
        }
    }

    static Split alternation(Path file, JsonObject result) throws IOException {
        JsonElement params = result.get("params");
        if (params == null || !params.isJsonObject()) {
            return null;
        }
        JsonObject p = params.getAsJsonObject();
        String cores = p.has(Alternation.CORES) ? p.get(Alternation.CORES).getAsString() : "";
        String backend = p.has(Alternation.BACKEND) ? p.get(Alternation.BACKEND).getAsString() : "";
        String workers = p.has(Alternation.WORKERS) ? p.get(Alternation.WORKERS).getAsString() : "";
        boolean coresAlternate = !cores.isBlank();
        boolean backendsAlternate = backend.contains(Alternation.SEPARATOR);
        boolean workersAlternate = !workers.isBlank();
        String sizes = p.has(Alternation.TASK_SIZE) ? p.get(Alternation.TASK_SIZE).getAsString() : "";
        boolean sizesAlternate = sizes.contains(Alternation.SEPARATOR);
        if (!coresAlternate && !backendsAlternate && !workersAlternate && !sizesAlternate) {
            return null;
        }
        try {
            int k = p.has("cores") ? Integer.parseInt(p.get("cores").getAsString().strip()) : 0;
            if (sizesAlternate) {
                if (coresAlternate || workersAlternate) {
                    throw new IllegalArgumentException(Alternation.TASK_SIZE + " '" + sizes + "' never alternates "
                            + "with " + Alternation.CORES + " or " + Alternation.WORKERS);
                }
                List<Alternation.Turn> turns = new ArrayList<>();
                List<Integer> each = new ArrayList<>();
                Alternation.withTaskSizes(Alternation.turns(backend, "", k), Alternation.taskSizes(sizes))
                        .forEach(e -> {
                            turns.add(e.getKey());
                            each.add(e.getValue());
                        });
                return new Split(turns, each, "one JVM for backend " + backend + " at task sizes " + sizes
                        + ", taking turns between iterations");
            }
            if (workersAlternate) {
                if (backendsAlternate) {
                    throw new IllegalArgumentException(Alternation.WORKERS + " '" + workers + "' never alternates "
                            + "with several backends, but backend is '" + backend + "'");
                }
                return new Split(Alternation.workerTurns(p.has(Alternation.BACKEND) ? backend : null, workers, cores,
                        k), "one JVM for workers " + workers + (coresAlternate ? " on cores " + cores : "")
                        + ", taking turns between iterations");
            }
            List<Alternation.Turn> turns = Alternation.turns(backend, cores, k);
            String note = coresAlternate && backendsAlternate
                    ? "one JVM for sequential at cores " + cores + " and backend " + backend
                    + " at " + k + (backend.contains(Alternation.AT) ? " or an entry's own @cores:workers" : "")
                    + ", taking turns between iterations"
                    : coresAlternate ? "one JVM for cores " + cores + ", its CPU mask switched between iterations"
                    : "one JVM for backend " + backend + ", taking turns between iterations";
            return new Split(turns, note);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + result.get("benchmark").getAsString() + ": " + e.getMessage(), e);
        }
    }

    /**
     * One row per alternated point, each scored from the iterations that ran with it. Sequential's rows say 1 worker
     * whatever the JVM's {@code workers}, which its turns do not use.
     */
    private static List<ResultRow> split(ResultRow mixed, Split split, JsonObject metric) {
        List<Alternation.Turn> on = split.turns();
        List<List<Double>> values = new ArrayList<>();
        on.forEach(k -> values.add(new ArrayList<>()));
        Alternation.forEachIteration(metric.get("rawData"), on.size(), (fork, point, number, v) -> {
            if (Double.isFinite(v)) {
                values.get(point).add(v);
            }
        });
        List<ResultRow> rows = new ArrayList<>();
        for (int c = 0; c < on.size(); c++) {
            double[] v = values.get(c).stream().mapToDouble(Double::doubleValue).toArray();
            Alternation.Turn t = on.get(c);
            ResultRow.Builder b = mixed.toBuilder().note(split.note()).cores(t.cores());
            if (split.taskSizes() != null) {
                b.taskSize(split.taskSizes().get(c).longValue());
            }
            if (t.backend() != null) {
                b.backend(t.backend());
            }
            if (Alternation.SEQUENTIAL.equals(t.backend()) && on.size() > 1) {
                b.workers(1);
            } else if (t.workers() > 0) {
                b.workers(t.workers());
            }
            if (v.length == 0) {
                b.score(null).scoreError(null).status(ResultRow.SKIPPED).note(split.note() + "; no iteration reported");
            } else {
                b.score(new Mean().evaluate(v)).scoreError(halfWidth999(v)).status(ResultRow.OK);
            }
            rows.add(b.build());
        }
        return rows;
    }

    /** JMH's score error: the 99.9 % Student's t half-width of the mean; null below three values, as JMH's NaN. */
    static Double halfWidth999(double[] v) {
        if (v.length < 3) {
            return null;
        }
        double t = new TDistribution(v.length - 1).inverseCumulativeProbability(1 - 0.001 / 2);
        return t * new StandardDeviation().evaluate(v) / Math.sqrt(v.length);
    }

    private static ResultRow row(Path file, int index, JsonElement element, String runId) throws IOException {
        if (!element.isJsonObject() || !element.getAsJsonObject().has("benchmark")
                || !element.getAsJsonObject().has("primaryMetric")) {
            throw new IOException(file + ": result #" + (index + 1)
                    + " is not a JMH benchmark result (no 'benchmark' or 'primaryMetric')");
        }
        JsonObject result = element.getAsJsonObject();
        return row(file, index, result, runId, null, result.getAsJsonObject("primaryMetric"));
    }

    /**
     * A JMH parameter that files a benchmark's rows under another family than its class's: the transport family
     * measures the pools' factorial speed with ScalingBenchmark ({@code -p family=transport}).
     */
    public static final String FAMILY = "family";

    /** The row of one metric of a result: the primary one ({@code label} null) or a secondary one. */
    private static ResultRow row(Path file, int index, JsonObject result, String runId, String label,
            JsonObject metric) throws IOException {
        String name = result.get("benchmark").getAsString();
        int lastDot = name.lastIndexOf('.');
        String method = name.substring(lastDot + 1) + (label == null ? "" : ":" + label);
        String className = lastDot < 0 ? "" : name.substring(name.lastIndexOf('.', lastDot - 1) + 1, lastDot);
        String family = (className.endsWith("Benchmark")
                ? className.substring(0, className.length() - "Benchmark".length()) : className).toLowerCase(Locale.ROOT);

        Map<String, String> params = new LinkedHashMap<>();
        if (result.has("params") && result.get("params").isJsonObject()) {
            for (Map.Entry<String, JsonElement> p : result.getAsJsonObject("params").entrySet()) {
                params.put(p.getKey(), p.getValue().getAsString());
            }
        }
        Params p = new Params(file, name, params);
        String filedUnder = p.text(FAMILY); // a benchmark borrowed by another family says so
        if (filedUnder != null && !filedUnder.isEmpty()) {
            family = filedUnder;
        }
        p.text(Alternation.CORES); // ways of measuring, not part of the point: the split rows say them in a note
        p.text(Alternation.WORKERS);
        String sizes = params.get(Alternation.TASK_SIZE);
        if (sizes != null && sizes.contains(Alternation.SEPARATOR)) {
            p.text(Alternation.TASK_SIZE); // the split rows get one size each
        }

        Double score = finite(metric.get("score"));
        Double error = finite(metric.get("scoreError"));
        String unit = metric.has("scoreUnit") ? metric.get("scoreUnit").getAsString() : null;
        String mode = result.has("mode") ? result.get("mode").getAsString() : null;
        String status = score == null ? ResultRow.SKIPPED : ResultRow.OK;
        String note = score == null ? "JMH reported no finite score" : null;

        return ResultRow.builder().runId(runId).family(family).benchmark(method).workload(p.text("workload"))
                .backend(p.text("backend")).cores(p.integer("cores")).workers(p.integer("workers"))
                .taskSize(p.longInteger("taskSize")).chunksize(p.integer("chunksize")).tasks(p.integer("tasks"))
                .mode(mode).score(score).scoreError(error).unit(unit).status(status).note(note)
                .params(ResultRow.formatParams(params)).build();
    }

    /** A JSON number, or {@code null} for JMH's {@code "NaN"} / {@code "Infinity"} strings and missing values. */
    private static Double finite(JsonElement e) {
        double d = Alternation.finite(e);
        return Double.isNaN(d) ? null : d;
    }

    /** Takes the params that have a column out of the map; what is left goes into {@code params}. */
    private record Params(Path file, String benchmark, Map<String, String> rest) {

        String text(String key) {
            return rest.remove(key);
        }

        Integer integer(String key) throws IOException {
            Long v = longInteger(key);
            if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
                throw new IOException(file + ": " + benchmark + " param '" + key + "' = " + v + " is out of range");
            }
            return v == null ? null : v.intValue();
        }

        Long longInteger(String key) throws IOException {
            String v = rest.remove(key);
            try {
                return v == null ? null : Long.valueOf(v.trim());
            } catch (NumberFormatException e) {
                throw new IOException(file + ": " + benchmark + " param '" + key + "' = '" + v
                        + "' is not an integer", e);
            }
        }
    }
}
