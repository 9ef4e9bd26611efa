package org.poolbench.report;

import java.awt.Color;
import java.io.BufferedWriter;
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

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.poolbench.results.ResultRow;
import org.poolbench.results.ResultsCsv;
import org.poolbench.results.Speedups;

/**
 * Compares two runs point by point, like criterion's change detection: a change counts only when the two
 * measurements' confidence intervals do not overlap.
 *
 * <p>Rows match on {@link ResultRow#pointKey()} (family, benchmark, workload, backend, cores, workers, task_size,
 * chunksize, tasks, params) and must share mode and unit. The ratio is <em>B's time over A's time</em> (for throughput
 * rows, A's score over B's), so below 1 always means B is faster. Its interval is the extreme ratios of the two
 * 99.9 % intervals, {@code [(B − eB)/(A + eA), (B + eB)/(A − eA)]} (time form).
 */
public final class Compare {

    /** The verdict on one point. */
    public enum Verdict {
        FASTER("faster"), SLOWER("slower"), WITHIN_NOISE("within noise"),
        /** A run without an error estimate (fewer than three iterations, e.g. smoke): no verdict is possible. */
        UNKNOWN("no error estimate");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** One matched point: A's and B's rows, the time ratio B/A with its interval, and the verdict. */
    public record Change(ResultRow a, ResultRow b, double ratio, double low, double high, Verdict verdict) {
    }

    private static final List<String> CSV_COLUMNS = List.of("family", "benchmark", "workload", "backend", "cores",
            "workers", "task_size", "chunksize", "tasks", "params", "mode", "unit", "score_a", "score_error_a",
            "score_b", "score_error_b", "time_ratio_b_over_a", "ratio_low", "ratio_high", "verdict");

    private Compare() {
    }

    /**
     * Compares run A with run B and writes {@code compare.csv}, {@code compare.png} and {@code compare.svg} into
     * {@code outDir} (created if needed).
     *
     * @param runDirA a run directory holding {@code results.csv}, or a {@code results.csv} itself
     * @param runDirB the same for the run compared against A
     * @return a plain-text table for a terminal: one line per matched point, then the counts per verdict and of
     *         points found in one run only
     * @throws org.poolbench.results.CsvFormatException if either results.csv is missing or malformed
     */
    public static String compare(Path runDirA, Path runDirB, Path outDir) throws IOException {
        List<ResultRow> a = ResultsCsv.read(csv(runDirA));
        List<ResultRow> b = ResultsCsv.read(csv(runDirB));
        List<Change> changes = changes(a, b);
        Files.createDirectories(outDir);
        writeCsv(outDir.resolve("compare.csv"), changes);
        drawChart(changes, outDir, label(a, runDirA), label(b, runDirB));
        long onlyA = a.stream().filter(ResultRow::measured).map(ResultRow::pointKey)
                .filter(k -> changes.stream().noneMatch(c -> c.a().pointKey().equals(k))).count();
        long onlyB = b.stream().filter(ResultRow::measured).map(ResultRow::pointKey)
                .filter(k -> changes.stream().noneMatch(c -> c.b().pointKey().equals(k))).count();
        return table(changes, label(a, runDirA), label(b, runDirB), onlyA, onlyB);
    }

    /** Matches the measured rows of A and B and judges each pair; the first row wins where a key repeats. */
    static List<Change> changes(List<ResultRow> a, List<ResultRow> b) {
        Map<List<Object>, ResultRow> byKey = new LinkedHashMap<>();
        a.stream().filter(ResultRow::measured).forEach(r -> byKey.putIfAbsent(r.pointKey(), r));
        List<Change> out = new ArrayList<>();
        java.util.Set<List<Object>> seen = new java.util.HashSet<>();
        for (ResultRow rb : b) {
            ResultRow ra = rb.measured() ? byKey.get(rb.pointKey()) : null;
            if (ra == null || !seen.add(rb.pointKey()) || !Objects.equals(ra.mode(), rb.mode())
                    || !Objects.equals(ra.unit(), rb.unit()) || ra.score() <= 0 || rb.score() <= 0) {
                continue;
            }
            out.add(judge(ra, rb));
        }
        return out;
    }

    static Change judge(ResultRow a, ResultRow b) {
        boolean thrpt = Speedups.higherIsBetter(a.mode());
        // In time form: t = score for time modes; for throughput compare A/B, which is the same as times B/A.
        double ta = thrpt ? b.score() : a.score();
        double tb = thrpt ? a.score() : b.score();
        double ea = error(thrpt ? b : a);
        double eb = error(thrpt ? a : b);
        double ratio = tb / ta;
        double low = Math.max(0, tb - eb) / (ta + ea);
        double high = ta - ea > 0 ? (tb + eb) / (ta - ea) : Double.POSITIVE_INFINITY;
        boolean overlap = tb - eb <= ta + ea && ta - ea <= tb + eb;
        Verdict v = a.scoreError() == null || b.scoreError() == null ? Verdict.UNKNOWN
                : overlap ? Verdict.WITHIN_NOISE : ratio < 1 ? Verdict.FASTER : Verdict.SLOWER;
        return new Change(a, b, ratio, low, high, v);
    }

    private static double error(ResultRow r) {
        return r.scoreError() == null ? 0 : Math.abs(r.scoreError());
    }

    private static Path csv(Path runDir) {
        return Files.isDirectory(runDir) ? runDir.resolve("results.csv") : runDir;
    }

    private static String label(List<ResultRow> rows, Path dir) {
        return rows.stream().map(ResultRow::runId).filter(Objects::nonNull).findFirst()
                .orElse(Objects.toString(csv(dir).toAbsolutePath().getParent().getFileName(), dir.toString()));
    }

    private static String point(ResultRow r) {
        return Report.describe(r);
    }

    private static String table(List<Change> changes, String a, String b, long onlyA, long onlyB) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"point", "A", "B", "B/A time", "interval", "verdict"});
        for (Change c : changes) {
            lines.add(new String[] {point(c.b()), score(c.a()), score(c.b()), fmt(c.ratio()) + "×",
                    "[" + fmt(c.low()) + ", " + fmt(c.high()) + "]", c.verdict().toString()});
        }
        int[] width = new int[6];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], Math.min(l[i].length(), i == 0 ? 70 : 30));
            }
        }
        StringBuilder sb = new StringBuilder("A = " + a + ", B = " + b + " (B/A time < 1: B is faster)\n");
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                String cell = l[i].length() > width[i] ? l[i].substring(0, width[i] - 1) + "…" : l[i];
                sb.append(i == 0 ? String.format("%-" + width[i] + "s", cell) : String.format("  %" + width[i] + "s", cell));
            }
            sb.append('\n');
        }
        Map<Verdict, Long> counts = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) {
            counts.put(v, changes.stream().filter(c -> c.verdict() == v).count());
        }
        sb.append(String.format(Locale.ROOT, "%d points: %d faster, %d slower, %d within noise; %d only in A, %d only in B%n",
                changes.size(), counts.get(Verdict.FASTER), counts.get(Verdict.SLOWER),
                counts.get(Verdict.WITHIN_NOISE), onlyA, onlyB));
        if (counts.get(Verdict.UNKNOWN) > 0) {
            sb.append(String.format(Locale.ROOT, "%d points have no error estimate (fewer than 3 iterations): "
                    + "no verdict; use the quick or full profile to compare%n", counts.get(Verdict.UNKNOWN)));
        }
        return sb.toString();
    }

    private static String score(ResultRow r) {
        return Report.number(r.score()) + (r.scoreError() == null ? "" : " ± " + Report.number(r.scoreError())) + " "
                + Objects.toString(r.unit(), "");
    }

    private static String fmt(double v) {
        return Double.isInfinite(v) ? "∞" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static void writeCsv(Path file, List<Change> changes) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder().get())) {
            p.printRecord(CSV_COLUMNS);
            for (Change c : changes) {
                ResultRow a = c.a();
                ResultRow b = c.b();
                p.printRecord(cell(b.family()), cell(b.benchmark()), cell(b.workload()), cell(b.backend()),
                        cell(b.cores()), cell(b.workers()), cell(b.taskSize()), cell(b.chunksize()), cell(b.tasks()),
                        cell(b.params()), cell(b.mode()), cell(b.unit()), cell(a.score()), cell(a.scoreError()),
                        cell(b.score()), cell(b.scoreError()), c.ratio(), c.low(),
                        Double.isInfinite(c.high()) ? "" : c.high(), c.verdict().toString());
            }
        }
    }

    private static Object cell(Object o) {
        return o == null ? "" : o;
    }

    /** Ratios sorted from most improved to most regressed, on a log axis, coloured by verdict. */
    private static void drawChart(List<Change> changes, Path dir, String a, String b) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(600)
                .title("Run " + b + " vs run " + a + ": time ratio per point")
                .xAxisTitle("points, sorted by ratio (" + changes.size() + " matched)")
                .yAxisTitle("time B / time A (log scale; < 1: B faster)").build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xE3E3E3));
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        st.setYAxisLogarithmic(true);
        st.setErrorBarsColorSeriesColor(true);
        st.setMarkerSize(7);
        st.setxAxisTickLabelsFormattingFunction(v -> " ");
        List<Change> sorted = changes.stream().sorted(Comparator.comparingDouble(Change::ratio)).toList();
        double lo = 0.5;
        double hi = 2;
        for (Verdict v : Verdict.values()) {
            List<double[]> pts = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) {
                Change c = sorted.get(i);
                if (c.verdict() == v) {
                    double up = Double.isInfinite(c.high()) ? c.ratio() : c.high() - c.ratio();
                    double down = c.ratio() - c.low();
                    // XChart draws symmetric bars; the larger half shows the whole uncertainty, kept above zero.
                    pts.add(new double[] {i + 1, c.ratio(), Math.min(Math.max(up, down), c.ratio() * 0.9)});
                    lo = Math.min(lo, c.ratio() / 2);
                    hi = Math.max(hi, c.ratio() * 2);
                }
            }
            if (pts.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(v.toString() + " (" + pts.size() + ")",
                    pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray(),
                    pts.stream().mapToDouble(p -> p[2]).toArray());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            Color color = v == Verdict.FASTER ? new Color(0x009E73) : v == Verdict.SLOWER ? new Color(0xD55E00)
                    : v == Verdict.UNKNOWN ? new Color(0xBBBBBB) : new Color(0x888888);
            s.setMarkerColor(color);
            s.setLineColor(color);
            s.setMarker(v == Verdict.FASTER ? SeriesMarkers.TRIANGLE_DOWN : v == Verdict.SLOWER
                    ? SeriesMarkers.TRIANGLE_UP : v == Verdict.UNKNOWN ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
        }
        int n = Math.max(1, sorted.size());
        XYSeries one = chart.addSeries("no change (ratio 1)", new double[] {0.5, n + 0.5}, new double[] {1, 1});
        one.setMarker(SeriesMarkers.NONE);
        one.setLineColor(Color.DARK_GRAY);
        st.setXAxisMin(0.0).setXAxisMax(n + 1.0);
        st.setYAxisMin(Math.pow(10, Math.floor(Math.log10(lo)))).setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi))));
        BitmapEncoder.saveBitmap(chart, dir.resolve("compare.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve("compare.svg").toString(),
                VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }
}
