package org.poolbench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.poolbench.analysis.Format;
import org.poolbench.analysis.LessonOutcome;
import org.poolbench.analysis.LessonOutcome.Measure;
import org.poolbench.analysis.LessonOutcome.Side;

/**
 * The handout of {@code ./run-bench.sh lesson all}: one page per lesson with the claim (the material's wording), the
 * seed program, the chart, the figures with their 95 % intervals, each side's verdict (or, for a program, its output
 * and what to notice), and the machine it ran on. {@code handout.html} is self-contained (charts inlined as base64,
 * inline CSS; prints one lesson per page); {@code handout.md} links the PNGs beside it.
 */
public final class Handout {

    private Handout() {
    }

    /**
     * Writes {@code handout.html} and {@code handout.md} into {@code dir}, where each lesson's PNG is
     * {@code charts.get(name)} (a path relative to {@code dir}, or absolute).
     */
    public static List<Path> write(List<LessonOutcome> lessons, Map<String, Path> charts, List<String> machine,
            Path dir) throws IOException {
        Path html = dir.resolve("handout.html");
        Path md = dir.resolve("handout.md");
        Files.writeString(html, html(lessons, charts, machine, dir), StandardCharsets.UTF_8);
        Files.writeString(md, markdown(lessons, charts, machine, dir), StandardCharsets.UTF_8);
        return List.of(html, md);
    }

    static String markdown(List<LessonOutcome> lessons, Map<String, Path> charts, List<String> machine, Path dir) {
        StringBuilder m = new StringBuilder("# poolbench in class: the teaching material's claims, measured\n\n");
        m.append("Machine: ").append(String.join("; ", machine)).append(".\n\n");
        m.append("Each lesson ran for under a minute: short JMH invocations on the JVM, the same points in CPython. ")
                .append("Intervals are 95 %; a verdict is \"not resolved at this sample size\" when the interval ")
                .append("straddles the claim's threshold.\n\n");
        m.append("| lesson | claim or program | JVM | CPython |\n|---|---|---|---|\n");
        for (LessonOutcome o : lessons) {
            m.append("| ").append(o.name()).append(" | ").append(o.claim().replace("|", "\\|")).append(" | ")
                    .append(o.jvm().verdict()).append(" | ")
                    .append(o.python() == null ? "not run" : o.python().verdict()).append(" |\n");
        }
        for (LessonOutcome o : lessons) {
            m.append("\n## ").append(o.name()).append(": ").append(o.claim()).append("\n\n");
            m.append("From the material's ").append(o.seed()).append(". ").append(o.shows()).append("\n\n");
            Path png = charts.get(o.name());
            if (png != null) {
                m.append("![").append(o.name()).append("](").append(relative(dir, png)).append(")\n\n");
            }
            for (Side s : sides(o)) {
                m.append("**").append(s.platform()).append("**");
                if (!s.output().isEmpty()) {
                    m.append(" printed:\n\n```\n").append(String.join("\n", s.output())).append("\n```\n\n");
                    continue;
                }
                m.append(": ").append(s.sentence()).append("\n\n");
                for (Measure f : s.figures()) {
                    m.append("- ").append(f.label()).append(": ").append(figure(f)).append('\n');
                }
                m.append('\n');
            }
            if (o.python() == null) {
                m.append("CPython: ").append(o.pythonNote()).append("\n\n");
            }
            if (!o.notice().isEmpty()) {
                m.append("What to notice: ").append(o.notice()).append("\n\n");
            }
            m.append("Paper-grade figures: `").append(o.paperCommand()).append("`\n");
        }
        return m.toString();
    }

    static String html(List<LessonOutcome> lessons, Map<String, Path> charts, List<String> machine, Path dir)
            throws IOException {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>poolbench in class</title><style>")
                .append("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4;font-size:18px}")
                .append("img{max-width:100%}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:")
                .append(".2em .5em}pre{background:#f4f4f4;padding:.5em;overflow-x:auto;font-size:14px}")
                .append(".cols{display:flex;gap:1em}.cols>div{flex:1;min-width:0}")
                .append("section{page-break-before:always}</style></head><body>")
                .append("<h1>poolbench in class: the teaching material's claims, measured</h1><p>Machine: ")
                .append(esc(String.join("; ", machine))).append(".</p><p>Each lesson ran for under a minute. ")
                .append("Intervals are 95 %; a verdict is <em>not resolved at this sample size</em> when the interval ")
                .append("straddles the claim's threshold.</p><table><tr><th>lesson</th><th>claim or program</th>")
                .append("<th>JVM</th><th>CPython</th></tr>");
        for (LessonOutcome o : lessons) {
            h.append("<tr><td>").append(esc(o.name())).append("</td><td>").append(esc(o.claim())).append("</td><td>")
                    .append(esc(o.jvm().verdict().toString())).append("</td><td>")
                    .append(esc(o.python() == null ? "not run" : o.python().verdict().toString()))
                    .append("</td></tr>");
        }
        h.append("</table>");
        for (LessonOutcome o : lessons) {
            h.append("<section><h2>").append(esc(o.name())).append(": ").append(esc(o.claim())).append("</h2><p>")
                    .append("From the material's ").append(esc(o.seed())).append(". ").append(esc(o.shows()))
                    .append("</p>");
            Path png = charts.get(o.name());
            if (png != null && Files.isRegularFile(dir.resolve(png))) {
                h.append("<img alt=\"").append(esc(o.claim())).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve(png))))
                        .append("\">");
            }
            boolean program = !o.jvm().output().isEmpty();
            if (program) {
                h.append("<div class=\"cols\">");
            }
            for (Side s : sides(o)) {
                if (!s.output().isEmpty()) {
                    h.append("<div><h3>").append(esc(s.platform())).append("</h3><pre>")
                            .append(esc(String.join("\n", s.output()))).append("</pre></div>");
                    continue;
                }
                h.append("<p><b>").append(esc(s.platform())).append("</b>: ").append(esc(s.sentence()))
                        .append("</p><ul>");
                for (Measure f : s.figures()) {
                    h.append("<li>").append(esc(f.label())).append(": ").append(esc(figure(f))).append("</li>");
                }
                h.append("</ul>");
            }
            if (program) {
                h.append("</div>");
            }
            if (o.python() == null) {
                h.append("<p>CPython: ").append(esc(o.pythonNote())).append("</p>");
            }
            if (!o.notice().isEmpty()) {
                h.append("<p><b>What to notice:</b> ").append(esc(o.notice())).append("</p>");
            }
            h.append("<p>Paper-grade figures: <code>").append(esc(o.paperCommand())).append("</code></p></section>");
        }
        return h.append("</body></html>\n").toString();
    }

    /** "1.64 × [1.52–1.77]" or "0 %" for an exact count. */
    public static String figure(Measure f) {
        var v = f.value();
        String unit = f.unit().equals("×") ? "×" : " " + f.unit();
        if (!v.known()) {
            return Format.number(v.estimate()) + unit + " (one sample: no interval)";
        }
        if (v.low() == v.high()) {
            return Format.number(v.estimate()) + unit;
        }
        return Format.number(v.estimate()) + unit + " [" + Format.number(v.low()) + "–" + Format.number(v.high())
                + "]";
    }

    private static List<Side> sides(LessonOutcome o) {
        List<Side> out = new ArrayList<>(List.of(o.jvm()));
        if (o.python() != null) {
            out.add(o.python());
        }
        return out;
    }

    private static String relative(Path dir, Path p) {
        return (p.isAbsolute() ? dir.toAbsolutePath().relativize(p) : p).toString().replace('\\', '/');
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
