package org.poolbench.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Speedups;
import org.poolbench.results.Units;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;

/**
 * Draws the charts of a run from its rows and environment only (DESIGN.md: nothing downstream reaches upstream), so
 * a CSV from any machine re-draws the same charts. Every chart is written as {@code <name>.png} and
 * {@code <name>.svg}; see {@code docs/ARCHITECTURE.md} for what each one shows.
 */
public final class Charts {

    /** Size of every chart, caption included. */
    public static final int WIDTH = 900;
    public static final int HEIGHT = 600;
    private static final int CAPTION_HEIGHT = 58;

    private static final String FONT = Font.SANS_SERIF;
    private static final Color REFERENCE = new Color(0x888888);
    private static final BasicStroke IDEAL_LINE = new BasicStroke(1.5f, BasicStroke.CAP_ROUND,
            BasicStroke.JOIN_ROUND, 10f, new float[] {1.5f, 3.5f}, 0f);
    private static final BasicStroke REFERENCE_LINE = new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
            BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);

    private Charts() {
    }

    /**
     * Draws every chart the rows allow into {@code outDir} (created if needed): {@code scaling-<workload>} per
     * workload, {@code creation-overhead}, {@code granularity}, {@code granularity-chunksize}, {@code io-concurrency},
     * {@code resource-memory}. Families without measured rows are skipped; skipped rows are never drawn.
     *
     * @param env the run's {@code environment.csv}, for the caption; missing keys are left out
     * @return the files written, PNG then SVG for each chart
     */
    public static List<Path> drawAll(List<ResultRow> rows, Map<String, String> env, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        List<ResultRow> measured = rows.stream().filter(ResultRow::measured).toList();
        List<ResultRow> skipped = rows.stream().filter(r -> !r.measured()).toList();
        List<Figure> figures = new ArrayList<>();
        for (String workload : distinct(family(measured, "scaling"), ResultRow::workload)) {
            figures.add(scaling(measured, workload, env));
        }
        figures.add(creation(family(measured, "creation"), env));
        figures.add(granularity(family(measured, "granularity"), env));
        figures.add(chunksize(family(measured, "granularity"), env));
        figures.addAll(io(family(measured, "io"), env));
        figures.add(resource(family(measured, "resource"), env));
        List<Path> files = new ArrayList<>();
        for (Figure f : figures) {
            if (f != null) {
                files.addAll(f.noting(skipped).save(outDir));
            }
        }
        return files;
    }

    // ---------------------------------------------------------------- scaling

    private static Figure scaling(List<ResultRow> all, String workload, Map<String, String> env) {
        List<ResultRow> rows = family(all, "scaling").stream()
                .filter(r -> workload.equals(r.workload()) && r.cores() != null).toList();
        // backend → workers per core → cores → row
        Map<String, Map<Double, TreeMap<Integer, ResultRow>>> series = new TreeMap<>(BY_BACKEND);
        for (ResultRow r : rows) {
            double factor = isSequential(r.backend()) || r.workers() == null ? 1 : (double) r.workers() / r.cores();
            series.computeIfAbsent(BackendStyle.seriesName(r, rows), b -> new TreeMap<>())
                    .computeIfAbsent(factor, f -> new TreeMap<>()).putIfAbsent(r.cores(), r);
        }
        XYChart c = chart("Speedup vs cores: " + workload, "cores available to the JVM",
                "speedup over sequential (×)");
        int maxCores = rows.stream().mapToInt(ResultRow::cores).max().orElse(1);
        double maxY = maxCores;
        for (var backend : series.entrySet()) {
            String seriesName = backend.getKey();
            BackendStyle style = BackendStyle.of(seriesName.split(",")[0]);
            for (var byFactor : backend.getValue().entrySet()) {
                List<double[]> points = new ArrayList<>();
                for (ResultRow r : byFactor.getValue().values()) {
                    ResultRow base = Speedups.baseline(all, r);
                    Double s = base != null ? base.score() / r.score() : r.speedup();
                    if (s == null) {
                        continue;
                    }
                    if (base != null && Speedups.higherIsBetter(r.mode())) {
                        s = 1 / s;
                    }
                    double rel = Math.hypot(Units.relativeError(r), base == null ? 0 : Units.relativeError(base));
                    points.add(new double[] {r.cores(), s, s * rel});
                    // a two-iteration error bar can be 100× the value: never let it squash the chart
                    maxY = Math.max(maxY, s + Math.min(s * rel, s * 0.5));
                }
                if (points.isEmpty()) {
                    continue;
                }
                double factor = byFactor.getKey();
                String name = factor == 1 ? seriesName : seriesName + ", " + number(factor) + "× workers";
                XYSeries s = add(c, name, points, style);
                if (!seriesName.equals(style.backend())) {
                    s.setMarker(style.hollowMarker()); // a second chunk size of the same backend
                }
                if (factor != 1) {
                    s.setMarker(style.hollowMarker());
                    s.setLineStyle(BackendStyle.DOTTED);
                }
            }
        }
        reference(c, "ideal (speedup = cores)", new double[] {1, maxCores}, new double[] {1, maxCores});
        XYStyler st = c.getStyler();
        st.setXAxisMin(0.0).setXAxisMax(maxCores + 0.5).setYAxisMin(0.0).setYAxisMax(Math.ceil(maxY + 0.5));
        st.setxAxisTickLabelsFormattingFunction(Charts::integerOnly);
        st.setyAxisTickLabelsFormattingFunction(v -> number(v));
        boolean python = rows.stream().anyMatch(r -> r.backend() != null && r.backend().startsWith("py-"));
        return new Figure("scaling-" + fileName(workload), c, caption(env, rows,
                "Dotted, hollow: more workers than cores." + (python ? " Dashed py-…: CPython, over py-sequential." : "")
                        + " Error bars: 99.9 % CI of both times."));
    }

    // ---------------------------------------------------------------- creation


    private static Figure creation(List<ResultRow> family, Map<String, String> env) {
        List<ResultRow> rows = family.stream().filter(r -> micros(r) != null)
                .sorted(Comparator.comparing(Charts::micros)).toList();
        if (rows.isEmpty()) {
            return null;
        }
        XYChart c = chart("Cost of creating a thread, a process, a pool", "what is created (and used once, then ended)",
                "time (log scale)");
        Map<String, List<double[]>> groups = new TreeMap<>(BY_BACKEND);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ResultRow r = rows.get(i);
            double us = micros(r);
            labels.add(r.benchmark() + (r.workers() == null ? "" : ", " + r.workers() + " workers"));
            groups.computeIfAbsent(Objects.toString(r.backend(), ""), b -> new ArrayList<>())
                    .add(new double[] {i + 1, us, logSafeError(us, us * Units.relativeError(r))});
            c.addAnnotation(new AnnotationText(duration(us), i + 1, us * 2.4, false));
        }
        for (var g : groups.entrySet()) {
            BackendStyle style = g.getKey().isEmpty() ? NEUTRAL : BackendStyle.of(g.getKey());
            XYSeries s = add(c, g.getKey().isEmpty() ? "created" : g.getKey(), g.getValue(), style);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        XYStyler st = c.getStyler();
        st.setLegendVisible(groups.size() > 1 || !groups.containsKey(""));
        st.setYAxisLogarithmic(true);
        double min = rows.stream().mapToDouble(Charts::micros).min().orElse(1);
        double max = rows.stream().mapToDouble(Charts::micros).max().orElse(1);
        double bottom = Math.pow(10, Math.floor(Math.log10(min * 0.5)) - 1); // a decade of room for the names
        st.setYAxisMin(bottom);
        st.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max * 6))));
        st.setXAxisMin(0.4).setXAxisMax(rows.size() + 0.6);
        // XChart drops long custom tick labels it cannot fit, so the names are drawn inside the plot, staggered.
        st.setxAxisTickLabelsFormattingFunction(v -> " ");
        for (int i = 0; i < labels.size(); i++) {
            double y = bottom * (rows.size() > 6 && i % 2 == 1 ? 4.5 : 2.2);
            c.addAnnotation(new AnnotationText(labels.get(i), i + 1, y, false));
        }
        st.setyAxisTickLabelsFormattingFunction(Charts::duration);
        return new Figure("creation-overhead", c, caption(env, rows,
                "Each point: create, run one trivial task, end. Error bars: 99.9 % CI."));
    }

    // ---------------------------------------------------------------- granularity

    private static Figure granularity(List<ResultRow> family, Map<String, String> env) {
        List<ResultRow> rows = family.stream()
                .filter(r -> r.taskSize() != null && r.tasks() != null && r.tasks() > 0 && micros(r) != null).toList();
        String workload = rows.stream().collect(Collectors.groupingBy(r -> Objects.toString(r.workload(), ""),
                        TreeMap::new, Collectors.mapping(ResultRow::taskSize, Collectors.toSet())))
                .entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
                .map(Map.Entry::getKey).orElse(null);
        if (workload == null) {
            return null;
        }
        rows = rows.stream().filter(r -> workload.equals(Objects.toString(r.workload(), ""))).toList();
        // The chunksize sweep is another chart: keep the chunk size most rows were measured with.
        Integer chunk = mostCommon(rows.stream().filter(r -> !isSequential(r.backend())).toList(),
                ResultRow::chunksize);
        rows = rows.stream().filter(r -> isSequential(r.backend()) || Objects.equals(r.chunksize(), chunk)).toList();

        Map<Long, ResultRow> sequential = new TreeMap<>();
        rows.stream().filter(r -> isSequential(r.backend())).forEach(r -> sequential.putIfAbsent(r.taskSize(), r));
        if (sequential.isEmpty()) {
            return null;
        }
        XYChart c = chart("Task granularity: when does a process pool pay off? (" + workload + ")",
                "work per task (sequential time of one task, log scale)", "wall time per task (log scale)");
        Map<String, TreeMap<Long, ResultRow>> byBackend = new TreeMap<>(BY_BACKEND);
        rows.forEach(r -> byBackend.computeIfAbsent(r.backend(), b -> new TreeMap<>()).putIfAbsent(r.taskSize(), r));
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (var e : byBackend.entrySet()) {
            List<double[]> points = new ArrayList<>();
            for (ResultRow r : e.getValue().values()) {
                ResultRow seq = sequential.get(r.taskSize());
                if (seq == null) {
                    continue;
                }
                double work = micros(seq) / seq.tasks();
                double perTask = micros(r) / r.tasks();
                points.add(new double[] {work, perTask, logSafeError(perTask, perTask * Units.relativeError(r))});
                lo = Math.min(lo, Math.min(work, perTask));
                hi = Math.max(hi, Math.max(work, perTask));
            }
            if (!points.isEmpty()) {
                add(c, e.getKey(), points, BackendStyle.of(e.getKey()));
            }
        }
        double[] xs = sequential.values().stream().mapToDouble(r -> micros(r) / r.tasks()).sorted().toArray();
        double[] ends = {xs[0], xs[xs.length - 1]};
        int cores = coresOf(rows, env);
        reference(c, "sequential, no overhead (y = x)", ends, ends);
        if (cores > 1) {
            XYSeries ideal = c.addSeries("ideal on " + cores + " cores (y = x / " + cores + ")", ends,
                    new double[] {ends[0] / cores, ends[1] / cores});
            referenceStyle(ideal);
            ideal.setLineStyle(IDEAL_LINE);
            lo = Math.min(lo, ends[0] / cores);
        }
        String lesson;
        Crossover cross = crossover(byBackend.get("process-pool"), sequential);
        if (cross != null) {
            ResultRow seq = sequential.get(cross.row().taskSize()); // x is the work per task, as for the points
            double x = micros(seq) / seq.tasks();
            c.addAnnotation(new AnnotationLine(x, true, false));
            c.addAnnotation(new AnnotationText("process-pool faster from ≈ " + duration(x) + " per task (n = "
                    + cross.row().taskSize() + ")", x, hi * 3, false));
            lesson = "Vertical line: from this task size on, process-pool beats sequential.";
        } else {
            lesson = byBackend.containsKey("process-pool")
                    ? "process-pool never stays faster than sequential in this range." : "";
        }
        XYStyler st = c.getStyler();
        st.setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        st.setYAxisMin(Math.pow(10, Math.floor(Math.log10(lo)))).setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi * 4))));
        st.setxAxisTickLabelsFormattingFunction(Charts::duration);
        st.setyAxisTickLabelsFormattingFunction(Charts::duration);
        String chunkNote = chunk == null ? "" : " chunksize " + (chunk == 0 ? "auto" : chunk) + ".";
        return new Figure("granularity", c, caption(env, rows,
                rows.get(0).tasks() + " tasks per job." + chunkNote + " " + lesson));
    }

    /** The smallest task size from which process-pool stays faster than sequential, or null. */
    record Crossover(ResultRow row) {
    }

    static Crossover crossover(TreeMap<Long, ResultRow> pool, Map<Long, ResultRow> sequential) {
        if (pool == null) {
            return null;
        }
        ResultRow from = null;
        for (ResultRow r : pool.descendingMap().values()) {
            ResultRow seq = sequential.get(r.taskSize());
            if (seq == null) {
                continue;
            }
            if (micros(r) < micros(seq)) {
                from = r;
            } else {
                break;
            }
        }
        return from == null ? null : new Crossover(from);
    }

    private static Figure chunksize(List<ResultRow> family, Map<String, String> env) {
        List<ResultRow> timed = family.stream().filter(r -> micros(r) != null).toList();
        // The (workload, task_size, tasks) with the widest chunksize sweep.
        Map<List<Object>, List<ResultRow>> sweeps = timed.stream().filter(r -> !isSequential(r.backend())
                        && r.chunksize() != null && r.chunksize() > 0)
                .collect(Collectors.groupingBy(r -> java.util.Arrays.asList(r.workload(), r.taskSize(), r.tasks()),
                        LinkedHashMap::new, Collectors.toList()));
        var best = sweeps.entrySet().stream()
                .max(Comparator.comparingLong(e -> e.getValue().stream().map(ResultRow::chunksize).distinct().count()));
        if (best.isEmpty() || best.get().getValue().stream().map(ResultRow::chunksize).distinct().count() < 2) {
            return null;
        }
        List<Object> key = best.get().getKey();
        List<ResultRow> rows = best.get().getValue();
        double scale = timeScale(rows.stream().mapToDouble(Charts::micros).max().orElse(1));
        String unit = scale == 1e3 ? "ms" : scale == 1e6 ? "s" : "µs";
        XYChart c = chart("Chunk size: fewer, larger messages (" + key.get(0) + ")", "chunksize (tasks per message, log scale)",
                "time per job (" + unit + ", log scale)");
        Map<String, TreeMap<Integer, ResultRow>> byBackend = new TreeMap<>(BY_BACKEND);
        rows.forEach(r -> byBackend.computeIfAbsent(r.backend(), b -> new TreeMap<>()).putIfAbsent(r.chunksize(), r));
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (var e : byBackend.entrySet()) {
            List<double[]> points = new ArrayList<>();
            for (ResultRow r : e.getValue().values()) {
                double t = micros(r) / scale;
                points.add(new double[] {r.chunksize(), t, logSafeError(t, t * Units.relativeError(r))});
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
            add(c, e.getKey(), points, BackendStyle.of(e.getKey()));
        }
        int minChunk = rows.stream().mapToInt(ResultRow::chunksize).min().orElse(1);
        int maxChunk = rows.stream().mapToInt(ResultRow::chunksize).max().orElse(1);
        timed.stream().filter(r -> isSequential(r.backend()) && Objects.equals(r.workload(), key.get(0))
                        && Objects.equals(r.taskSize(), key.get(1)) && Objects.equals(r.tasks(), key.get(2)))
                .findFirst().ifPresent(seq -> {
                    double t = micros(seq) / scale;
                    reference(c, "sequential", new double[] {minChunk, maxChunk}, new double[] {t, t});
                });
        double lower = Math.min(lo, timed.stream().filter(r -> isSequential(r.backend())
                && Objects.equals(r.workload(), key.get(0))).mapToDouble(r -> micros(r) / scale).min().orElse(lo));
        XYStyler st = c.getStyler();
        st.setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        st.setYAxisMin(Math.pow(10, Math.floor(Math.log10(lower)))).setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi * 1.5))));
        st.setxAxisTickLabelsFormattingFunction(v -> number(v));
        st.setyAxisTickLabelsFormattingFunction(v -> number(v));
        Integer workers = mostCommon(rows, ResultRow::workers);
        Integer tasks = (Integer) key.get(2);
        String auto = "";
        int a = workers != null && tasks != null && workers > 0 ? (tasks + 4 * workers - 1) / (4 * workers) : -1;
        if (a >= minChunk && a <= maxChunk) { // mark the automatic chunk size only where the sweep reaches it
            c.addAnnotation(new AnnotationLine(a, true, false));
            c.addAnnotation(new AnnotationText("auto = ⌈tasks / (4 × workers)⌉ = " + a, a, hi * 1.2, false));
            auto = " Vertical line: the automatic chunksize.";
        }
        return new Figure("granularity-chunksize", c, caption(env, rows,
                tasks + " tasks" + (key.get(1) == null ? "" : " of size " + key.get(1)) + " per job"
                        + (workers == null ? "" : ", " + workers + " workers") + "."
                        + (a > 0 && auto.isEmpty() ? " The automatic chunksize would be " + a + "." : auto)));
    }

    // ---------------------------------------------------------------- io

    private static List<Figure> io(List<ResultRow> family, Map<String, String> env) {
        List<ResultRow> usable = family.stream()
                .filter(r -> r.workers() != null && r.workers() > 0 && r.tasks() != null && micros(r) != null)
                .toList();
        // Zero-latency rows measure the server and client themselves: drawn as a ceiling, not as a chart of their own.
        List<ResultRow> ceiling = usable.stream().filter(r -> Objects.equals(parse(r.param("latencyMs")), 0.0))
                .toList();
        Map<List<Object>, List<ResultRow>> configs = usable.stream().filter(r -> !ceiling.contains(r))
                .collect(Collectors.groupingBy(r -> java.util.Arrays.asList(r.workload(), r.tasks(), r.params()),
                        LinkedHashMap::new, Collectors.toList()));
        List<Figure> figures = new ArrayList<>();
        for (List<ResultRow> rows : configs.values()) {
            ResultRow first = rows.get(0);
            int tasks = first.tasks();
            String latency = first.param("latencyMs");
            String title = "Download throughput vs concurrency";
            XYChart c = chart(title, "concurrency: downloads in flight (workers, log scale)",
                    "throughput (files/s, log scale)");
            Map<String, TreeMap<Integer, ResultRow>> byBackend = new TreeMap<>(BY_BACKEND);
            rows.forEach(r -> byBackend.computeIfAbsent(r.backend(), b -> new TreeMap<>()).putIfAbsent(r.workers(), r));
            double lo = Double.MAX_VALUE;
            double hi = 0;
            for (var e : byBackend.entrySet()) {
                List<double[]> points = new ArrayList<>();
                for (ResultRow r : e.getValue().values()) {
                    double perSecond = tasks / (micros(r) / 1e6);
                    points.add(new double[] {r.workers(), perSecond,
                            logSafeError(perSecond, perSecond * Units.relativeError(r))});
                    lo = Math.min(lo, perSecond);
                    hi = Math.max(hi, perSecond);
                }
                add(c, e.getKey(), points, BackendStyle.of(e.getKey()));
            }
            TreeSet<Integer> concurrency = rows.stream().map(ResultRow::workers).collect(Collectors.toCollection(TreeSet::new));
            String lesson = "";
            Double latencyMs = parse(latency);
            if (latencyMs != null && latencyMs > 0) {
                List<double[]> ideal = new ArrayList<>();
                for (int w : concurrency) {
                    double y = tasks / (Math.ceil((double) tasks / w) * latencyMs / 1e3);
                    ideal.add(new double[] {w, y});
                    hi = Math.max(hi, y);
                    lo = Math.min(lo, y);
                }
                XYSeries s = c.addSeries("ideal: tasks / (⌈tasks / c⌉ × latency)",
                        ideal.stream().mapToDouble(p -> p[0]).toArray(), ideal.stream().mapToDouble(p -> p[1]).toArray());
                referenceStyle(s);
                lesson = " Ideal: every request waits only the server latency of " + number(latencyMs) + " ms.";
            }
            ResultRow best = ceiling.stream()
                    .filter(r -> Objects.equals(r.tasks(), first.tasks())
                            && Objects.equals(r.param("fileBytes"), first.param("fileBytes")))
                    .max(Comparator.comparingDouble(r -> tasks / micros(r))).orElse(null);
            if (best != null) {
                double y = tasks / (micros(best) / 1e6);
                XYSeries s = c.addSeries("ceiling: no latency (c = " + best.workers() + ")",
                        new double[] {concurrency.first(), concurrency.last()}, new double[] {y, y});
                referenceStyle(s);
                s.setLineStyle(IDEAL_LINE);
                hi = Math.max(hi, y);
                lesson += " Dotted: the same job with no latency, the ceiling of this machine's HTTP client and"
                        + " server (" + number(y) + " files/s).";
            }
            XYStyler st = c.getStyler();
            st.setYAxisLogarithmic(true);
            st.setYAxisMin(Math.pow(10, Math.floor(Math.log10(lo)))).setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi * 1.5))));
            // XChart's own log axis: its tick labels survive, where a formatting function on a transformed axis lost them
            st.setXAxisLogarithmic(true);
            st.setXAxisMin(concurrency.first() / 1.5).setXAxisMax(concurrency.last() * 1.5);
            st.setyAxisTickLabelsFormattingFunction(v -> number(v));
            String name = configs.size() == 1 ? "io-concurrency"
                    : "io-concurrency-" + fileName(Objects.toString(first.params(), "") + "-" + tasks);
            String bytes = first.param("fileBytes");
            figures.add(new Figure(name, c, caption(env, rows, tasks + " files per job"
                    + (bytes == null ? "" : " of " + bytes + " bytes") + ", loopback server." + lesson)));
        }
        return figures;
    }

    // ---------------------------------------------------------------- resource

    private static Figure resource(List<ResultRow> rows, Map<String, String> env) {
        if (rows.isEmpty()) {
            return null;
        }
        String unit = Objects.toString(mostCommon(rows, ResultRow::unit), "MB");
        int minW = rows.stream().map(ResultRow::workers).filter(Objects::nonNull).min(Integer::compare).orElse(1);
        int maxW = rows.stream().map(ResultRow::workers).filter(Objects::nonNull).max(Integer::compare).orElse(1);
        boolean log = maxW >= 8 * Math.max(1, minW);
        XYChart c = chart("Memory per backend", "workers" + (log ? " (log scale)" : ""),
                "peak resident memory (" + unit + ")");
        Map<String, TreeMap<Integer, ResultRow>> byBackend = new TreeMap<>(BY_BACKEND);
        rows.forEach(r -> byBackend.computeIfAbsent(r.backend(), b -> new TreeMap<>())
                .putIfAbsent(r.workers() == null ? 1 : r.workers(), r));
        double hi = 0;
        for (var e : byBackend.entrySet()) {
            List<double[]> points = new ArrayList<>();
            e.getValue().forEach((w, r) -> points.add(new double[] {w, r.score(),
                    r.scoreError() == null ? 0 : r.scoreError()}));
            hi = Math.max(hi, e.getValue().values().stream().mapToDouble(ResultRow::score).max().orElse(0));
            add(c, e.getKey(), points, BackendStyle.of(e.getKey()));
        }
        XYStyler st = c.getStyler();
        st.setYAxisMin(0.0).setYAxisMax(hi * 1.1);
        st.setyAxisTickLabelsFormattingFunction(v -> number(v));
        if (log) {
            // XChart places ticks from the axis minimum on: an integer minimum puts them on powers of two.
            // XChart does not label a log2-transformed axis whose points are not one step apart: use its log axis.
            st.setXAxisLogarithmic(true);
            st.setxAxisTickLabelsFormattingFunction(v -> number(v));
        } else {
            st.setxAxisTickLabelsFormattingFunction(Charts::integerOnly);
        }
        return new Figure("resource-memory", c, caption(env, rows, "Parent and all worker processes together."));
    }

    // ---------------------------------------------------------------- common

    /** Points that belong to no backend. */
    private static final BackendStyle NEUTRAL = new BackendStyle("", new Color(0x222222), SeriesMarkers.DIAMOND, false);

    private static final Comparator<String> BY_BACKEND =
            Comparator.comparingInt((String b) -> BackendStyle.order(b.split(",")[0]))
            .thenComparing(Comparator.naturalOrder());

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT - CAPTION_HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x999999));
        s.setPlotGridLinesColor(new Color(0xE3E3E3));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendBackgroundColor(Color.WHITE);
        s.setLegendSeriesLineLength(36);
        s.setChartTitleFont(new Font(FONT, Font.BOLD, 17));
        s.setAxisTitleFont(new Font(FONT, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 12));
        s.setLegendFont(new Font(FONT, Font.PLAIN, 12));
        s.setAnnotationTextFont(new Font(FONT, Font.PLAIN, 11));
        s.setAnnotationTextFontColor(new Color(0x333333));
        s.setAnnotationLineColor(new Color(0x555555));
        s.setAnnotationLineStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {3f, 3f}, 0f));
        s.setMarkerSize(9);
        s.setErrorBarsColorSeriesColor(true);
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setChartPadding(12);
        return c;
    }

    /** Adds a backend's series; points are {x, y, error} (error may be absent). */
    private static XYSeries add(XYChart c, String name, List<double[]> points, BackendStyle style) {
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
        double[] e = points.stream().mapToDouble(p -> p.length > 2 ? p[2] : 0).toArray();
        XYSeries s = c.addSeries(name, x, y, e);
        s.setLineColor(style.color());
        s.setMarkerColor(style.color());
        s.setMarker(style.marker());
        s.setLineStyle(style.stroke());
        return s;
    }

    private static void reference(XYChart c, String name, double[] x, double[] y) {
        referenceStyle(c.addSeries(name, x, y));
    }

    private static void referenceStyle(XYSeries s) {
        s.setLineColor(REFERENCE);
        s.setLineStyle(REFERENCE_LINE);
        s.setMarker(SeriesMarkers.NONE);
    }

    /** A log axis cannot show a bar below zero: keep the lower end of a bar inside the axis. */
    private static double logSafeError(double value, double error) {
        return Math.min(error, value * 0.9);
    }

    private static String caption(Map<String, String> env, List<ResultRow> rows, String note) {
        List<String> parts = new ArrayList<>();
        String run = env.getOrDefault("run_id", rows.isEmpty() ? null : rows.get(0).runId());
        if (run != null) {
            parts.add("run " + run);
        }
        TreeSet<Integer> cores = rows.stream().map(ResultRow::cores).filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
        String logical = env.get("logical_cores");
        String machine = env.get("machine_cores") != null ? env.get("machine_cores") : logical;
        String coresText = cores.isEmpty() ? "" : "measured with " + (cores.size() == 1 ? cores.first()
                : cores.first() + "–" + cores.last()) + " cores";
        if (machine != null) {
            coresText += (coresText.isEmpty() ? "" : " of ") + machine + " logical cores on the machine";
            if (logical != null && !logical.equals(machine)) {
                coresText += " (" + logical + " usable by the harness)";
            }
        }
        if (!coresText.isEmpty()) {
            parts.add(coresText);
        }
        String jdk = String.join(" ", java.util.stream.Stream.of(env.get("jdk_vendor"), env.get("jdk_version"))
                .filter(Objects::nonNull).toList());
        if (!jdk.isEmpty()) {
            parts.add("JDK " + jdk);
        }
        if (env.get("profile") != null) {
            parts.add("profile " + env.get("profile"));
        }
        return String.join(" · ", parts) + (note == null || note.isBlank() ? "" : "\n" + note.trim());
    }

    private static List<ResultRow> family(List<ResultRow> rows, String family) {
        return rows.stream().filter(r -> family.equals(r.family())).toList();
    }

    private static List<String> distinct(List<ResultRow> rows, Function<ResultRow, String> f) {
        return rows.stream().map(f).filter(Objects::nonNull).distinct().sorted().toList();
    }

    private static <T> T mostCommon(List<ResultRow> rows, Function<ResultRow, T> f) {
        Map<T, Long> counts = new LinkedHashMap<>();
        rows.forEach(r -> counts.merge(f.apply(r), 1L, Long::sum));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    private static boolean isSequential(String backend) {
        return "sequential".equals(backend) || "py-sequential".equals(backend);
    }

    private static int coresOf(List<ResultRow> rows, Map<String, String> env) {
        return rows.stream().map(ResultRow::cores).filter(Objects::nonNull).max(Integer::compare)
                .orElseGet(() -> {
                    Double d = parse(env.get("logical_cores"));
                    return d == null ? 1 : d.intValue();
                });
    }

    static Double micros(ResultRow r) {
        return r.score() == null ? null : Units.toMicros(r.score(), r.unit());
    }

    private static double timeScale(double maxMicros) {
        return maxMicros >= 1e7 ? 1e6 : maxMicros >= 1e4 ? 1e3 : 1;
    }


    private static Double parse(String s) {
        try {
            return s == null ? null : Double.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String integerOnly(double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9 ? Long.toString(Math.round(v)) : " ";
    }


    /** A number as a reader writes it: no trailing zeros, thousands grouped. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        double a = Math.abs(v);
        String s = a >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : a >= 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.3g", v);
        return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** A time given in µs, in the unit a reader would pick. */
    static String duration(double micros) {
        if (micros >= 1e6) {
            return number(micros / 1e6) + " s";
        }
        if (micros >= 1e3) {
            return number(micros / 1e3) + " ms";
        }
        if (micros >= 1) {
            return number(micros) + " µs";
        }
        return number(micros * 1e3) + " ns";
    }

    private static String fileName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "").toLowerCase(Locale.ROOT);
    }

    /** A chart and its caption, written as PNG and SVG with the caption below the plot. */
    private record Figure(String name, XYChart chart, String caption) {

        /** This figure with its caption saying how many points of its family were skipped by design. */
        Figure noting(List<ResultRow> skipped) {
            String family = name.startsWith("creation") ? "creation" : name.startsWith("resource") ? "resource"
                    : name.substring(0, name.contains("-") ? name.indexOf('-') : name.length());
            String workload = name.startsWith("scaling-") ? name.substring("scaling-".length()) : null;
            long n = skipped.stream().filter(r -> family.equals(r.family())
                    && (workload == null || workload.equals(fileName(Objects.toString(r.workload(), ""))))).count();
            return n == 0 ? this : new Figure(name, chart, caption + (caption.contains("\n") ? " " : "\n") + n
                    + (n == 1 ? " point" : " points") + " skipped by design (see the notes in results.csv).");
        }

        List<Path> save(Path dir) throws IOException {
            Path png = dir.resolve(name + ".png");
            Path svg = dir.resolve(name + ".svg");
            BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                paint(g);
            } finally {
                g.dispose();
            }
            if (!ImageIO.write(image, "png", png.toFile())) {
                throw new IOException("no PNG writer in this JVM");
            }
            VectorGraphics2D vg = new VectorGraphics2D();
            paint(vg);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new SVGProcessor().getDocument(vg.getCommands(), new PageSize(0, 0, WIDTH, HEIGHT)).writeTo(bytes);
            Files.writeString(svg, withTitle(bytes.toString(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            return List.of(png, svg);
        }

        /**
         * XChart draws its text as glyph outlines, so the SVG has no searchable title; add it (and the caption) as
         * the SVG {@code <title>} and {@code <desc>}, which screen readers and search tools use.
         */
        private String withTitle(String svg) {
            int start = svg.indexOf("<svg");
            int end = start < 0 ? -1 : svg.indexOf('>', start);
            if (end < 0) {
                return svg;
            }
            return svg.substring(0, end + 1) + "\n<title>" + xml(chart.getTitle()) + "</title>\n<desc>"
                    + xml(caption) + "</desc>" + svg.substring(end + 1);
        }

        private static String xml(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }

        private void paint(Graphics2D g) {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            chart.paint(g, WIDTH, HEIGHT - CAPTION_HEIGHT);
            g.setColor(new Color(0x444444));
            g.setFont(new Font(FONT, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            int y = HEIGHT - CAPTION_HEIGHT + fm.getAscent() + 2;
            for (String paragraph : caption.split("\n")) {
                StringBuilder line = new StringBuilder();
                for (String word : paragraph.split(" ")) {
                    if (!line.isEmpty() && fm.stringWidth(line + " " + word) > WIDTH - 28) {
                        g.drawString(line.toString(), 14, y);
                        y += fm.getHeight();
                        line.setLength(0);
                    }
                    line.append(line.isEmpty() ? "" : " ").append(word);
                }
                g.drawString(line.toString(), 14, y);
                y += fm.getHeight();
            }
        }
    }
}
