package org.poolbench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.poolbench.analysis.Analysis;
import org.poolbench.analysis.Format;
import org.poolbench.analysis.Table;
import org.poolbench.analysis.View;
import org.poolbench.results.ResultRow;

/**
 * The report of one run, written from its views and the figures already drawn into the charts directory (it reads
 * no other data): one section per view with its figure, its lesson in numbers and the table behind it.
 */
public final class Report {

    private Report() {
    }

    /** One section as printed: the view, and the figures of it that were found on disk. */
    private record Section(View view, List<String> figures) {
    }

    /**
     * Writes {@code report.md} and {@code report.html} into {@code chartsDir}. The HTML is self-contained (figures
     * embedded as base64 PNG, inline CSS) and opens offline; the Markdown links the PNGs beside it. A figure whose
     * PNG is not in {@code chartsDir} is left out; its table stays.
     *
     * @return the two files written
     */
    public static List<Path> write(Analysis analysis, Path chartsDir) throws IOException {
        Files.createDirectories(chartsDir);
        List<Section> sections = new ArrayList<>();
        for (View v : analysis.views()) {
            sections.add(new Section(v, v.figures().stream()
                    .filter(f -> Files.exists(chartsDir.resolve(f + ".png"))).toList()));
        }
        Path md = chartsDir.resolve("report.md");
        Path html = chartsDir.resolve("report.html");
        Files.writeString(md, markdown(analysis, sections), StandardCharsets.UTF_8);
        Files.writeString(html, html(analysis, sections, chartsDir), StandardCharsets.UTF_8);
        return List.of(md, html);
    }

    private static String markdown(Analysis a, List<Section> sections) {
        StringBuilder md = new StringBuilder("# poolbench report: run " + a.runId() + "\n\n");
        md.append(method(a)).append("\n\n## Environment\n\n| key | value |\n|---|---|\n");
        a.env().forEach((k, v) -> md.append("| ").append(mdCell(k)).append(" | ").append(mdCell(v)).append(" |\n"));
        for (Section s : sections) {
            View v = s.view();
            md.append("\n## ").append(v.title()).append("\n\n");
            for (String f : s.figures()) {
                md.append("![").append(v.title()).append("](").append(f).append(".png)\n\n");
            }
            if (!v.lesson().isEmpty()) {
                md.append(v.lesson()).append("\n\n");
            }
            md.append(markdownTable(v.table()));
        }
        md.append("\n## Skipped points\n\n");
        List<ResultRow> skipped = a.skipped();
        if (skipped.isEmpty()) {
            md.append("None.\n");
        }
        skipped.forEach(r -> md.append("- ").append(mdCell(Format.describe(r))).append(": ")
                .append(mdCell(Objects.toString(r.note(), "no note"))).append('\n'));
        return md.toString();
    }

    static String markdownTable(Table t) {
        StringBuilder md = new StringBuilder("| ")
                .append(t.header().stream().map(Report::mdCell).collect(Collectors.joining(" | ")))
                .append(" |\n|").append("---|".repeat(t.header().size())).append('\n');
        for (List<String> line : t.rows()) {
            md.append("| ").append(line.stream().map(Report::mdCell).collect(Collectors.joining(" | "))).append(" |\n");
        }
        return md.toString();
    }

    private static String html(Analysis a, List<Section> sections, Path dir) throws IOException {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<title>poolbench report: run ").append(esc(a.runId())).append("</title>\n<style>\n").append(CSS)
                .append("</style></head><body>\n");
        h.append("<h1>poolbench report: run ").append(esc(a.runId())).append("</h1>\n<p>").append(esc(method(a)))
                .append("</p>\n<h2>Environment</h2>\n<table><tr><th>key</th><th>value</th></tr>\n");
        a.env().forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(v))
                .append("</td></tr>\n"));
        h.append("</table>\n");
        for (Section s : sections) {
            View v = s.view();
            h.append("<h2>").append(esc(v.title())).append("</h2>\n");
            for (String f : s.figures()) {
                String png = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve(f + ".png")));
                h.append("<figure><img alt=\"").append(esc(v.title())).append("\" src=\"data:image/png;base64,")
                        .append(png).append("\">");
                boolean last = f.equals(s.figures().get(s.figures().size() - 1));
                if (last && !v.lesson().isEmpty()) {
                    h.append("<figcaption>").append(esc(v.lesson())).append("</figcaption>");
                }
                h.append("</figure>\n");
            }
            if (s.figures().isEmpty() && !v.lesson().isEmpty()) {
                h.append("<p>").append(esc(v.lesson())).append("</p>\n");
            }
            h.append(htmlTable(v.table()));
        }
        h.append("<h2>Skipped points</h2>\n");
        List<ResultRow> skipped = a.skipped();
        if (skipped.isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<ul>\n");
            skipped.forEach(r -> h.append("<li>").append(esc(Format.describe(r))).append(": ")
                    .append(esc(Objects.toString(r.note(), "no note"))).append("</li>\n"));
            h.append("</ul>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    static String htmlTable(Table t) {
        StringBuilder h = new StringBuilder("<table><tr>");
        t.header().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr>\n");
        for (List<String> line : t.rows()) {
            h.append("<tr>");
            line.forEach(c -> h.append("<td>").append(esc(c)).append("</td>"));
            h.append("</tr>\n");
        }
        return h.append("</table>\n").toString();
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
            h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
            table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}
            th{background:#f3f3f3}td{font-variant-numeric:tabular-nums}
            figure{margin:1em 0}img{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:.95em;color:#333;margin-top:.4em}
            """;

    private static String method(Analysis a) {
        Map<String, String> env = a.env();
        String modes = a.rows().stream().map(ResultRow::mode).filter(Objects::nonNull).distinct().sorted()
                .collect(Collectors.joining(", "));
        return "Measured with JMH " + env.getOrDefault("jmh_version", "(version unknown)") + ", profile "
                + env.getOrDefault("profile", "(unknown)") + (modes.isEmpty() ? "" : ", modes " + modes)
                + ", on " + env.getOrDefault("jdk_vendor", "") + " JDK " + env.getOrDefault("jdk_version", "?")
                + " with " + env.getOrDefault("logical_cores", "?") + " logical cores ("
                + env.getOrDefault("cpu_model", "CPU unknown") + "). Errors are JMH's 99.9 % confidence half-widths; "
                + "speedups are over the sequential backend with the fewest cores (CPython rows: over py-sequential).";
    }

    static String mdCell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
