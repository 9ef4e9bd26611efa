package org.poolbench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.poolbench.analysis.Analysis;
import org.poolbench.analysis.Format;
import org.poolbench.analysis.Table;
import org.poolbench.analysis.View;

/**
 * Every table of the report as a LaTeX file for papers: {@code tables/<name>.tex}, a {@code booktabs} tabular inside
 * a {@code table} float with the view's lesson as caption. Needs the {@code booktabs} package.
 */
public final class Latex {

    private static final Map<String, String> SYMBOLS = Map.of("×", "$\\times$", "±", "$\\pm$", "µ", "\\textmu{}",
            "≈", "$\\approx$", "∞", "$\\infty$", "–", "--", "⌈", "$\\lceil$", "⌉", "$\\rceil$", "·", "$\\cdot$");

    private Latex() {
    }

    /** Writes one {@code .tex} file per view with a table into {@code dir/tables} and returns them. */
    public static List<Path> write(Analysis analysis, Path dir) throws IOException {
        Path tables = Files.createDirectories(dir.resolve("tables"));
        List<Path> files = new ArrayList<>();
        for (View v : analysis.views()) {
            if (v.table().rows().isEmpty()) {
                continue;
            }
            String name = v.figures().isEmpty() ? Format.fileName(v.title()) : v.figures().get(0);
            Path file = tables.resolve(name + ".tex");
            Files.writeString(file, table(v.title(), v.lesson(), "tab:" + name, v.table()), StandardCharsets.UTF_8);
            files.add(file);
        }
        return files;
    }

    /** One booktabs table: header, rows, caption and label. */
    static String table(String title, String caption, String label, Table t) {
        StringBuilder tex = new StringBuilder("% poolbench: ").append(title).append("\n\\begin{table}[htbp]\n")
                .append("\\centering\n\\small\n\\begin{tabular}{").append("l".repeat(t.header().size()))
                .append("}\n\\toprule\n")
                .append(t.header().stream().map(Latex::escape).collect(Collectors.joining(" & "))).append(" \\\\\n")
                .append("\\midrule\n");
        for (List<String> row : t.rows()) {
            tex.append(row.stream().map(Latex::escape).collect(Collectors.joining(" & "))).append(" \\\\\n");
        }
        tex.append("\\bottomrule\n\\end{tabular}\n\\caption{").append(escape(title))
                .append(caption.isEmpty() ? "" : ". " + escape(caption)).append("}\n\\label{").append(label)
                .append("}\n\\end{table}\n");
        return tex.toString();
    }

    /** Text made safe for LaTeX: its special characters escaped, the symbols we print spelled in LaTeX. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            String c = s.substring(i, i + 1);
            switch (c) {
                case "\\" -> out.append("\\textbackslash{}");
                case "&", "%", "$", "#", "_", "{", "}" -> out.append('\\').append(c);
                case "~" -> out.append("\\textasciitilde{}");
                case "^" -> out.append("\\textasciicircum{}");
                default -> out.append(SYMBOLS.getOrDefault(c, c));
            }
        }
        return out.toString();
    }
}
