package org.poolbench.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.poolbench.analysis.Format;
import org.poolbench.analysis.Reproduction;
import org.poolbench.analysis.Reproduction.Figure;
import org.poolbench.analysis.Reproduction.Time;
import org.poolbench.analysis.Reproduction.Verdict;
import org.poolbench.analysis.Table;

/**
 * A reproduction written out: {@code reproduction.csv} and {@code reproduction.md} beside the new run, and the same
 * for a terminal.
 */
public final class ReproductionReport {

    /** reproduction.csv's columns. Claims and figures have a verdict; absolute times have {@code machine-dependent}. */
    public static final List<String> COLUMNS = List.of("section", "kind", "item", "recorded", "recorded_interval",
            "now", "now_interval", "ratio_now_over_recorded", "p_value", "verdict", "why");

    /**
     * What the two runs were.
     *
     * @param differences rows of {@link org.poolbench.analysis.RunDifferences#of}
     */
    public record Sides(String recordedRun, String recordedCommit, String nowRun, String nowCommit,
                        List<List<String>> differences) {
    }

    private ReproductionReport() {
    }

    /** Writes {@code reproduction.csv} and {@code reproduction.md} into {@code dir}; returns them. */
    public static List<Path> write(Reproduction r, Sides s, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path csv = dir.resolve("reproduction.csv");
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
             CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder().get())) {
            p.printRecord(COLUMNS);
            for (Figure f : r.figures()) {
                p.printRecord(f.kind().equals("claim") ? "claim" : "figure", f.kind(), f.name(), f.recorded(),
                        f.recordedInterval(), f.now(), f.nowInterval(), f.ratio() == null ? "" : f.ratio(),
                        f.p() == null ? "" : f.p(), f.verdict().toString(), f.why());
            }
            for (Time t : r.times()) {
                Double c = r.machine().ceilingRatio(t.cores());
                p.printRecord("absolute time", "µs", t.point(), t.recordedMicros(), "", t.nowMicros(), "", t.ratio(),
                        "", "machine-dependent", machineNote(r, c));
            }
        }
        Path md = dir.resolve("reproduction.md");
        Files.writeString(md, markdown(r, s), StandardCharsets.UTF_8);
        return List.of(csv, md);
    }

    /** The summary line: reproduced or not, with counts. */
    public static String summary(Reproduction r) {
        String counts = r.count(Verdict.REPRODUCED) + " reproduced, " + r.count(Verdict.NOT_REPRODUCED)
                + " not reproduced, " + r.count(Verdict.NOT_COMPARABLE) + " not comparable";
        return (r.reproduced() ? "REPRODUCED: every claim and figure that could be compared (" : "NOT REPRODUCED ("
                ) + counts + ")" + (r.reproduced() ? "" : ": " + String.join("; ", r.failures().stream()
                .map(f -> f.kind() + " " + f.name()).toList()));
    }

    /** The differences table. */
    public static Table differences(Sides s) {
        return new Table(List.of("", "recorded", "now", "what it means"), s.differences());
    }

    /** Claims and figures as a table. */
    public static Table figures(Reproduction r) {
        List<List<String>> rows = new ArrayList<>();
        for (Figure f : r.figures()) {
            rows.add(List.of(f.kind(), f.name(), join(f.recorded(), f.recordedInterval()), join(f.now(),
                    f.nowInterval()), f.verdict().toString(), f.why()));
        }
        return new Table(List.of("kind", "claim or figure", "recorded", "now", "verdict", "why"), rows);
    }

    /** Absolute times as a table, with the machines' ratios beside each. */
    public static Table times(Reproduction r) {
        List<List<String>> rows = new ArrayList<>();
        for (Time t : r.times()) {
            Double c = r.machine().ceilingRatio(t.cores());
            rows.add(List.of(t.point(), Format.duration(t.recordedMicros()), Format.duration(t.nowMicros()),
                    Format.times(t.ratio()), r.machine().spinRatio() == null ? "" : Format.times(r.machine()
                            .spinRatio()), c == null ? "" : Format.times(c)));
        }
        return new Table(List.of("point (machine-dependent)", "recorded", "now", "now/recorded",
                "spin loop, 1 thread, now/recorded", "ceiling at its cores, now/recorded"), rows);
    }

    private static String machineNote(Reproduction r, Double ceiling) {
        return "spin loop on one thread now/recorded " + (r.machine().spinRatio() == null ? "unknown"
                : String.format(Locale.ROOT, "%.3f", r.machine().spinRatio())) + "; ceiling at its cores now/recorded "
                + (ceiling == null ? "unknown" : String.format(Locale.ROOT, "%.3f", ceiling));
    }

    private static String join(String value, String interval) {
        return interval.isEmpty() ? value : value + " " + interval;
    }

    /** reproduction.md. */
    public static String markdown(Reproduction r, Sides s) {
        StringBuilder md = new StringBuilder("# Reproduction of " + s.recordedRun() + "\n\n");
        md.append("Recorded: run ").append(s.recordedRun()).append(", commit ").append(s.recordedCommit())
                .append(". Now: run ").append(s.nowRun()).append(", commit ").append(s.nowCommit()).append(".\n\n");
        md.append("**").append(summary(r)).append("**\n\n");
        md.append("## What differs\n\n").append(Report.markdownTable(differences(s))).append('\n');
        md.append("## Claims and figures\n\nRule: ").append(r.rule()).append(". Intervals are 95 %.\n\n")
                .append(Report.markdownTable(figures(r))).append('\n');
        md.append("## Absolute times (machine-dependent, not judged)\n\n");
        Map<Integer, double[]> ceilings = r.machine().ceilings();
        if (!ceilings.isEmpty()) {
            md.append("Machine ceiling (spin loop on k threads against one): ");
            List<String> parts = new ArrayList<>();
            ceilings.forEach((k, v) -> parts.add(k + " cores " + num(v[0]) + " recorded, " + num(v[1]) + " now"));
            md.append(String.join("; ", parts)).append(".\n\n");
        }
        md.append(Report.markdownTable(times(r)));
        return md.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "–" : Format.times(v);
    }

    /** The report for a terminal: claims and figures, then the summary line. */
    public static String terminal(Reproduction r) {
        StringBuilder sb = new StringBuilder();
        sb.append(plain(figures(r), 72));
        Map<Integer, double[]> ceilings = r.machine().ceilings();
        if (r.machine().spinRatio() != null || !ceilings.isEmpty()) {
            List<String> parts = new ArrayList<>();
            ceilings.forEach((k, v) -> parts.add(k + " cores " + num(v[0]) + " → " + num(v[1])));
            sb.append("machine-dependent: ").append(r.times().size()).append(" absolute times in reproduction.md/csv;"
                    + " spin loop on one thread now/recorded ").append(r.machine().spinRatio() == null ? "unknown"
                    : Format.times(r.machine().spinRatio())).append("; ceiling ").append(String.join(", ", parts))
                    .append('\n');
        }
        return sb.append(summary(r)).append('\n').toString();
    }

    /** A table as aligned plain text, each column cut at {@code max} characters. */
    public static String plain(Table t, int max) {
        int columns = t.header().size();
        int[] width = new int[columns];
        List<List<String>> lines = new ArrayList<>();
        lines.add(t.header());
        lines.addAll(t.rows());
        for (List<String> l : lines) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], Math.min(l.get(i).length(), max));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> l : lines) {
            for (int i = 0; i < columns; i++) {
                String cell = l.get(i).length() > width[i] ? l.get(i).substring(0, width[i] - 1) + "…" : l.get(i);
                sb.append(i == 0 ? "" : "  ").append(i == columns - 1 ? cell
                        : String.format("%-" + Math.max(1, width[i]) + "s", cell));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
