package org.poolbench.results;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code iterations.csv}: every measured iteration JMH reported, in long format beside {@code results.csv}, so that a
 * comparison can test on the raw values (Welch, Mann–Whitney, bootstrap) and a reader can see whether a point's
 * iterations were flat or one slow iteration made its mean.
 *
 * <p>One row per point × metric × fork × iteration. Columns: {@code run_id, family, benchmark, workload, backend,
 * cores, workers, task_size, chunksize, tasks, params} (the point, exactly as in its {@code results.csv} row, so
 * {@link ResultRow#pointKey()} joins the two), {@code mode, unit, metric, fork, iteration} (1-based) and {@code value}.
 * {@code metric} is {@code primary} for the benchmark's score, else JMH's name of a secondary metric without its
 * leading dot (e.g. {@code gc.alloc.rate.norm} from {@code -prof gc}), with that metric's own unit. {@code invocation}
 * is the JMH invocation of the run that measured the point, i.e. its row in {@code noise.csv}, so a comparison can
 * look up the machine's state around it; files written before this column are still read, with it empty. Warm-up
 * iterations are not in JMH's JSON and so not here; JMH's {@code sample} mode keeps histograms, not iterations, and
 * has no rows.
 */
public final class IterationsCsv {

    /** The columns, in file order. */
    public static final List<String> COLUMNS = List.of("run_id", "family", "benchmark", "workload", "backend", "cores",
            "workers", "task_size", "chunksize", "tasks", "params", "mode", "unit", "metric", "fork", "iteration",
            "value", "invocation");

    /** The columns a file must have: those of runs made before {@code invocation} was recorded. */
    static final List<String> REQUIRED = COLUMNS.subList(0, COLUMNS.indexOf("invocation"));

    /**
     * The name under which {@code cli.JmhLauncher} tags each result of its merged JMH JSON with the invocation (1-based,
     * noise.csv's {@code invocation}) that produced it. JMH itself ignores the property.
     */
    public static final String INVOCATION_PROPERTY = "poolbenchInvocation";

    /** {@code metric} of the benchmark's own score. */
    public static final String PRIMARY = "primary";

    /**
     * One measured iteration of one point.
     *
     * @param fork 1-based fork number
     * @param iteration 1-based measurement iteration within the fork
     * @param invocation the run's JMH invocation that measured it (noise.csv's row), or {@code null} if not recorded
     */
    public record Iteration(String runId, String family, String benchmark, String workload, String backend,
                            Integer cores, Integer workers, Long taskSize, Integer chunksize, Integer tasks,
                            String params, String mode, String unit, String metric, int fork, int iteration,
                            double value, Integer invocation) {

        /** An iteration whose invocation is not known. */
        public Iteration(String runId, String family, String benchmark, String workload, String backend,
                         Integer cores, Integer workers, Long taskSize, Integer chunksize, Integer tasks,
                         String params, String mode, String unit, String metric, int fork, int iteration,
                         double value) {
            this(runId, family, benchmark, workload, backend, cores, workers, taskSize, chunksize, tasks, params, mode,
                    unit, metric, fork, iteration, value, null);
        }

        /** The point this iteration belongs to, comparable with {@link ResultRow#pointKey()}. */
        public List<Object> pointKey() {
            return Arrays.asList(family, benchmark, workload, backend, cores, workers, taskSize, chunksize, tasks,
                    params);
        }

        List<Object> cells() {
            return Arrays.asList(runId, family, benchmark, workload, backend, cores, workers, taskSize, chunksize,
                    tasks, params, mode, unit, metric, fork, iteration, value, invocation);
        }
    }

    private IterationsCsv() {
    }

    /**
     * The iterations of every result in a JMH JSON file, labelled with {@code points}: the rows made from the same
     * file, one per result in the file's order (as {@link JmhJson#convert} returns them, possibly completed since with
     * workload, tasks or cores). A result without raw data (JMH's {@code sample} mode) gives no rows.
     *
     * @throws IOException if the file cannot be read, is not JMH JSON, or has a different number of results than
     *                     {@code points}
     */
    public static List<Iteration> fromJmhJson(Path jmhJson, List<ResultRow> rows) throws IOException {
        // JmhJson turns some secondary metrics into rows of their own ("method:metric", right after their primary
        // row); only primary rows stand for a result, and the secondary metrics' iterations come with it below
        List<ResultRow> points = rows.stream().filter(r -> r.benchmark() == null || !r.benchmark().contains(":"))
                .toList();
        JsonElement root;
        try (Reader in = Files.newBufferedReader(jmhJson, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(in);
        } catch (JsonParseException e) {
            throw new IOException(jmhJson + ": not a JSON file: " + e.getMessage(), e);
        }
        JsonArray results = root.isJsonArray() ? root.getAsJsonArray() : new JsonArray();
        // a result whose JVM alternated between points stands for one row per point (JmhJson#split)
        List<Integer> alternated = new ArrayList<>();
        int expected = 0;
        for (int i = 0; i < results.size(); i++) {
            if (!results.get(i).isJsonObject()) {
                throw new IOException(jmhJson + ": result #" + (i + 1) + " is not a JSON object");
            }
            JmhJson.Split split = JmhJson.alternation(jmhJson, results.get(i).getAsJsonObject());
            alternated.add(split == null ? 1 : split.turns().size());
            expected += alternated.get(i);
        }
        if (expected != points.size()) {
            throw new IOException(jmhJson + ": " + results.size() + " results, but " + points.size()
                    + " rows to label them with" + (expected == results.size() ? ""
                    : " (they stand for " + expected + " points: some alternated between points)"));
        }
        List<Iteration> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < results.size(); i++) {
            JsonObject result = results.get(i).getAsJsonObject();
            int n = alternated.get(i);
            List<ResultRow> group = points.subList(next, next + n);
            next += n;
            String mode = result.has("mode") ? result.get("mode").getAsString() : group.get(0).mode();
            Integer invocation = invocation(jmhJson, result, i);
            if (result.has("primaryMetric")) {
                add(out, group, mode, PRIMARY, result.getAsJsonObject("primaryMetric"), invocation);
            }
            if (result.has("secondaryMetrics") && result.get("secondaryMetrics").isJsonObject()) {
                for (Map.Entry<String, JsonElement> m : result.getAsJsonObject("secondaryMetrics").entrySet()) {
                    if (m.getValue().isJsonObject()) {
                        add(out, group, mode, m.getKey().replaceFirst("^\u00b7", ""), m.getValue().getAsJsonObject(),
                                invocation);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The iterations of one metric, labelled with {@code group}: one point, or the points of an alternating JVM, where
     * iteration i of a fork belongs to point {@link Alternation#index}(i) and is numbered within it.
     */
    private static void add(List<Iteration> out, List<ResultRow> group, String mode, String metric, JsonObject m,
                            Integer invocation) {
        String unit = m.has("scoreUnit") ? m.get("scoreUnit").getAsString() : null;
        Alternation.forEachIteration(m.get("rawData"), group.size(), (fork, point, number, v) -> {
            if (Double.isFinite(v)) {
                ResultRow p = group.get(point);
                out.add(new Iteration(p.runId(), p.family(), p.benchmark(), p.workload(), p.backend(), p.cores(),
                        p.workers(), p.taskSize(), p.chunksize(), p.tasks(), p.params(), mode, unit, metric, fork + 1,
                        number, v, invocation));
            }
        });
    }

    /** A result's {@link #INVOCATION_PROPERTY}, or {@code null} if it has none (JSON not written by poolbench). */
    private static Integer invocation(Path jmhJson, JsonObject result, int index) throws IOException {
        JsonElement e = result.get(INVOCATION_PROPERTY);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        try {
            return e.getAsInt();
        } catch (RuntimeException ex) {
            throw new IOException(jmhJson + ": result #" + (index + 1) + " has " + INVOCATION_PROPERTY + " '" + e
                    + "', not an integer", ex);
        }
    }

    /** Writes {@code rows} to {@code file} (UTF-8, header first), replacing it. */
    public static void write(Path file, List<Iteration> rows) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter printer = new CSVPrinter(out, Csv.WRITE)) {
            printer.printRecord(COLUMNS);
            for (Iteration row : rows) {
                List<String> cells = new ArrayList<>(COLUMNS.size());
                for (Object cell : row.cells()) {
                    cells.add(ResultsCsv.format(cell));
                }
                printer.printRecord(cells);
            }
        }
    }

    /**
     * Reads {@code file}; every column but {@code invocation} is required, empty cells are {@code null}.
     *
     * @throws CsvFormatException if the file is missing or unreadable, a column is missing, or a cell is not a number
     *                            where one is expected; the message names file, line and column
     */
    public static List<Iteration> read(Path file) throws IOException {
        List<Iteration> rows = new ArrayList<>();
        for (Csv.Line line : Csv.read(file, REQUIRED)) {
            Map<String, String> c = line.cells();
            rows.add(new Iteration(text(c, "run_id"), text(c, "family"), text(c, "benchmark"), text(c, "workload"),
                    text(c, "backend"), integer(file, line, "cores"), integer(file, line, "workers"),
                    longInteger(file, line, "task_size"), integer(file, line, "chunksize"),
                    integer(file, line, "tasks"), text(c, "params"), text(c, "mode"), text(c, "unit"),
                    text(c, "metric"), required(file, line, "fork"), required(file, line, "iteration"),
                    number(file, line, "value"), integer(file, line, "invocation")));
        }
        return rows;
    }

    /**
     * The values of one metric per point, in fork and iteration order, keyed by {@link Iteration#pointKey()} (the
     * same key as {@link ResultRow#pointKey()}).
     */
    public static Map<List<Object>, double[]> valuesByPoint(List<Iteration> rows, String metric) {
        Map<List<Object>, List<Iteration>> grouped = new LinkedHashMap<>();
        for (Iteration r : rows) {
            if (metric.equals(r.metric())) {
                grouped.computeIfAbsent(r.pointKey(), k -> new ArrayList<>()).add(r);
            }
        }
        Map<List<Object>, double[]> out = new LinkedHashMap<>();
        grouped.forEach((k, list) -> out.put(k, list.stream()
                .sorted((a, b) -> a.fork() != b.fork() ? Integer.compare(a.fork(), b.fork())
                        : Integer.compare(a.iteration(), b.iteration()))
                .mapToDouble(Iteration::value).toArray()));
        return out;
    }

    /**
     * How far one fork's iterations drift: the mean of the last third minus the mean of the first third, over the
     * mean of all (0 for fewer than three values). A warm-up that was long enough leaves this near 0; a large
     * negative value means the first measured iterations were still warming up.
     */
    public static double drift(double[] values) {
        int n = values.length;
        if (n < 3) {
            return 0;
        }
        int third = n / 3;
        double first = Arrays.stream(values, 0, third).average().orElse(0);
        double last = Arrays.stream(values, n - third, n).average().orElse(0);
        double all = Arrays.stream(values).average().orElse(0);
        return all == 0 ? 0 : (last - first) / all;
    }

    private static String text(Map<String, String> c, String column) {
        String v = c.get(column);
        return v == null || v.isEmpty() ? null : v;
    }

    private static Integer integer(Path file, Csv.Line line, String column) throws CsvFormatException {
        Long v = longInteger(file, line, column);
        if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw bad(file, line, column, v.toString(), "an int");
        }
        return v == null ? null : v.intValue();
    }

    private static Long longInteger(Path file, Csv.Line line, String column) throws CsvFormatException {
        String v = text(line.cells(), column);
        try {
            return v == null ? null : Long.valueOf(v);
        } catch (NumberFormatException e) {
            throw bad(file, line, column, v, "an integer");
        }
    }

    private static int required(Path file, Csv.Line line, String column) throws CsvFormatException {
        Integer v = integer(file, line, column);
        if (v == null) {
            throw bad(file, line, column, "", "an integer");
        }
        return v;
    }

    private static double number(Path file, Csv.Line line, String column) throws CsvFormatException {
        String v = text(line.cells(), column);
        try {
            if (v == null) {
                throw new NumberFormatException();
            }
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw bad(file, line, column, v == null ? "" : v, "a number");
        }
    }

    private static CsvFormatException bad(Path file, Csv.Line line, String column, String value, String what) {
        return new CsvFormatException(file + " line " + line.number() + ", column '" + column + "': '" + value
                + "' is not " + what);
    }
}
