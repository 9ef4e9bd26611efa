package org.poolbench.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.poolbench.analysis.Comparison;
import org.poolbench.analysis.Comparison.Change;
import org.poolbench.analysis.Table;
import org.poolbench.results.ResultRow;

/** A comparison of two runs written out: {@code compare.csv}, {@code compare.md}, and a table for a terminal. */
public final class CompareReport {

    /** compare.csv's columns: the point, both scores, the ratio with its interval, both p-values, the verdict. */
    public static final List<String> COLUMNS = List.of("family", "benchmark", "workload", "backend", "cores",
            "workers", "task_size", "chunksize", "tasks", "params", "mode", "unit", "score_a", "score_error_a",
            "score_b", "score_error_b", "n_a", "n_b", "time_ratio_b_over_a", "ratio_low", "ratio_high", "p_welch",
            "p_mann_whitney", "method", "noise_threshold", "copy_ratio", "probe_ratio", "verdict",
            "note");

    private CompareReport() {
    }

    /** Writes {@code compare.csv} and {@code compare.md} into {@code dir} and returns them. */
    public static List<Path> write(Comparison c, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path csv = dir.resolve("compare.csv");
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
             CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder().get())) {
            p.printRecord(COLUMNS);
            for (Change ch : c.changes()) {
                ResultRow a = ch.a();
                ResultRow b = ch.b();
                p.printRecord(cell(b.family()), cell(b.benchmark()), cell(b.workload()), cell(b.backend()),
                        cell(b.cores()), cell(b.workers()), cell(b.taskSize()), cell(b.chunksize()), cell(b.tasks()),
                        cell(b.params()), cell(b.mode()), cell(b.unit()), cell(a.score()), cell(a.scoreError()),
                        cell(b.score()), cell(b.scoreError()), ch.nA() == 0 ? "" : ch.nA(), ch.nB() == 0 ? "" : ch.nB(),
                        ch.ratio(), ch.low(), finite(ch.high()), finite(ch.pWelch()), finite(ch.pMannWhitney()),
                        ch.method(), c.threshold(), finite(ch.copyRatio()), finite(ch.probeRatio()),
                        ch.verdict().toString(), ch.note());
            }
        }
        Path md = dir.resolve("compare.md");
        Files.writeString(md, "# " + c.title() + "\n\n![" + c.title() + "](" + Comparison.FIGURE + ".png)\n\n"
                + c.lesson() + "\n\n" + Report.markdownTable(c.table()), StandardCharsets.UTF_8);
        return List.of(csv, md);
    }

    /** The comparison as a plain-text table for a terminal, then its counts. */
    public static String terminal(Comparison c) {
        Table t = c.table();
        int columns = t.header().size();
        int[] width = new int[columns];
        List<List<String>> lines = new java.util.ArrayList<>();
        lines.add(t.header());
        lines.addAll(t.rows());
        for (List<String> l : lines) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], Math.min(l.get(i).length(), i == 0 ? 70 : 40));
            }
        }
        StringBuilder sb = new StringBuilder("A = " + c.labelA() + ", B = " + c.labelB()
                + " (B/A time < 1: B is faster)\n");
        for (List<String> l : lines) {
            for (int i = 0; i < columns; i++) {
                String cell = l.get(i).length() > width[i] ? l.get(i).substring(0, width[i] - 1) + "…" : l.get(i);
                sb.append(i == 0 ? String.format("%-" + width[i] + "s", cell)
                        : String.format("  %" + width[i] + "s", cell));
            }
            sb.append('\n');
        }
        return sb.append(c.lesson()).append('\n').toString();
    }

    private static Object cell(Object o) {
        return o == null ? "" : o;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : "";
    }
}
