package org.poolbench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.poolbench.charts.BackendStyle;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Speedups;
import org.poolbench.results.Units;

/**
 * The report of one run, written from its rows, its environment and the chart files already in the charts
 * directory (it reads no other data). Each chart comes with a caption that states its lesson in numbers computed from
 * the rows, and with the table behind it.
 */
public final class Report {

    private Report() {
    }

    /** One section: a heading, an optional chart, what it shows, and the table behind it. */
    record Section(String title, String chart, String lesson, List<String> header, List<List<String>> table) {
    }

    /**
     * Writes {@code report.md} and {@code report.html} into {@code chartsDir}. The HTML is self-contained (charts
     * embedded as base64 PNG, inline CSS) and opens offline; the Markdown links the PNGs beside it. A chart whose PNG
     * is not in {@code chartsDir} is left out; its table stays.
     *
     * @return the two files written
     */
    public static List<Path> write(List<ResultRow> rows, Map<String, String> env, Path chartsDir) throws IOException {
        Files.createDirectories(chartsDir);
        List<Section> sections = sections(rows, chartsDir);
        String runId = env.getOrDefault("run_id", rows.isEmpty() ? "?" : Objects.toString(rows.get(0).runId(), "?"));
        Path md = chartsDir.resolve("report.md");
        Path html = chartsDir.resolve("report.html");
        Files.writeString(md, markdown(runId, env, rows, sections), StandardCharsets.UTF_8);
        Files.writeString(html, html(runId, env, rows, sections, chartsDir), StandardCharsets.UTF_8);
        return List.of(md, html);
    }

    // ---------------------------------------------------------------- what each section says

    static List<Section> sections(List<ResultRow> all, Path chartsDir) {
        List<ResultRow> rows = all.stream().filter(ResultRow::measured).toList();
        List<Section> out = new ArrayList<>();
        for (String workload : rows.stream().filter(r -> "scaling".equals(r.family()) && r.workload() != null)
                .map(ResultRow::workload).distinct().sorted().toList()) {
            out.add(scaling(all, rows, workload));
        }
        List<ResultRow> creation = family(rows, "creation");
        if (!creation.isEmpty()) {
            out.add(creation(creation));
        }
        List<ResultRow> granularity = family(rows, "granularity");
        if (!granularity.isEmpty()) {
            out.add(granularity(granularity));
        }
        Section chunks = chunksize(granularity);
        if (chunks != null) {
            out.add(chunks);
        }
        List<ResultRow> io = family(rows, "io");
        if (!io.isEmpty()) {
            out.add(io(io));
        }
        List<ResultRow> resource = family(rows, "resource");
        if (!resource.isEmpty()) {
            out.add(resource(resource));
        }
        for (String family : rows.stream().map(ResultRow::family).filter(Objects::nonNull).distinct().sorted().toList()) {
            if (!List.of("scaling", "creation", "granularity", "io", "resource").contains(family)) {
                out.add(plain(family, family(rows, family)));
            }
        }
        // Only link charts that exist.
        List<Section> present = new ArrayList<>();
        for (Section s : out) {
            boolean drawn = s.chart() != null && Files.exists(chartsDir.resolve(s.chart() + ".png"));
            present.add(drawn ? s : new Section(s.title(), null, s.lesson(), s.header(), s.table()));
        }
        return present;
    }

    private static Section scaling(List<ResultRow> all, List<ResultRow> rows, String workload) {
        List<ResultRow> points = rows.stream().filter(r -> "scaling".equals(r.family())
                && workload.equals(r.workload()) && r.cores() != null).toList();
        TreeSet<Integer> cores = points.stream().map(ResultRow::cores).collect(Collectors.toCollection(TreeSet::new));
        Map<String, Map<Integer, Double>> speedups = new TreeMap<>(BY_BACKEND);
        for (ResultRow r : points) {
            boolean matched = r.workers() == null || r.workers().equals(r.cores()) || isSequential(r.backend());
            Double s = speedup(all, r);
            if (matched && s != null) {
                speedups.computeIfAbsent(BackendStyle.seriesName(r, points), b -> new TreeMap<>()).putIfAbsent(r.cores(), s);
            }
        }
        int max = cores.isEmpty() ? 0 : cores.last();
        List<String> atMax = new ArrayList<>();
        speedups.entrySet().stream().filter(e -> e.getValue().containsKey(max) && !isSequential(e.getKey()))
                .sorted(Comparator.comparingDouble(e -> -e.getValue().get(max)))
                .forEach(e -> atMax.add(e.getKey() + (e.getKey().startsWith("py-") ? " (over py-sequential) " : " ")
                        + times(e.getValue().get(max))));
        String lesson = atMax.isEmpty() ? "No speedups: the run has no sequential baseline for " + workload + "."
                : "At " + max + " cores on " + workload + ", the speedup over sequential is " + String.join(", ", atMax)
                        + " (ideal: " + max + "×). Points with more workers than cores are in the chart only.";
        List<String> header = new ArrayList<>(List.of("backend"));
        cores.forEach(c -> header.add(c + (c == 1 ? " core" : " cores")));
        List<List<String>> table = new ArrayList<>();
        speedups.forEach((b, byCores) -> {
            List<String> line = new ArrayList<>(List.of(b));
            cores.forEach(c -> line.add(byCores.containsKey(c) ? times(byCores.get(c)) : ""));
            table.add(line);
        });
        return new Section("Scaling: " + workload, "scaling-" + fileName(workload), lesson, header, table);
    }

    private static Section creation(List<ResultRow> rows) {
        List<ResultRow> timed = rows.stream().filter(r -> micros(r) != null)
                .sorted(Comparator.comparing(Report::micros)).toList();
        String lesson = "";
        if (timed.size() >= 2) {
            ResultRow cheap = timed.get(0);
            ResultRow dear = timed.get(timed.size() - 1);
            lesson = "The cheapest thing to create is " + label(cheap) + " (" + duration(micros(cheap)) + "); the "
                    + "dearest is " + label(dear) + " (" + duration(micros(dear)) + "), "
                    + number(micros(dear) / micros(cheap)) + "× as much.";
        }
        List<List<String>> table = timed.stream().map(r -> List.of(label(r), duration(micros(r)),
                r.scoreError() == null ? "" : "± " + duration(micros(r) * Units.relativeError(r)))).toList();
        return new Section("Creation overhead", "creation-overhead", lesson,
                List.of("created", "time", "99.9 % error"), table);
    }

    private static Section granularity(List<ResultRow> rows) {
        List<ResultRow> sweep = rows.stream().filter(r -> r.taskSize() != null && r.tasks() != null && r.tasks() > 0
                && micros(r) != null).toList();
        Integer chunk = mostCommonChunk(sweep);
        sweep = sweep.stream().filter(r -> isSequential(r.backend()) || Objects.equals(r.chunksize(), chunk)).toList();
        // task size → sequential row, per workload
        Map<List<Object>, ResultRow> seq = new LinkedHashMap<>();
        sweep.stream().filter(r -> "sequential".equals(r.backend()))
                .forEach(r -> seq.putIfAbsent(List.of(Objects.toString(r.workload(), ""), r.taskSize()), r));
        List<String> lessons = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        Map<String, TreeMap<Long, ResultRow>> byBackend = new TreeMap<>(BY_BACKEND);
        sweep.forEach(r -> byBackend.computeIfAbsent(Objects.toString(r.workload(), "") + "\u0000" + r.backend(),
                b -> new TreeMap<>()).putIfAbsent(r.taskSize(), r));
        for (var e : byBackend.entrySet()) {
            String backend = e.getKey().substring(e.getKey().indexOf('\u0000') + 1);
            String workload = e.getKey().substring(0, e.getKey().indexOf('\u0000'));
            ResultRow from = null;
            for (ResultRow r : e.getValue().descendingMap().values()) {
                ResultRow s = seq.get(List.of(workload, r.taskSize()));
                if (s != null && micros(r) < micros(s)) {
                    from = r;
                } else if (s != null) {
                    break;
                }
            }
            for (ResultRow r : e.getValue().values()) {
                ResultRow s = seq.get(List.of(workload, r.taskSize()));
                table.add(List.of(workload, backend, Long.toString(r.taskSize()),
                        s == null ? "" : duration(micros(s) / s.tasks()), duration(micros(r) / r.tasks()),
                        s == null ? "" : times(micros(s) / micros(r))));
            }
            if (isSequential(backend)) {
                continue;
            }
            ResultRow base = from == null ? null : seq.get(List.of(workload, from.taskSize()));
            lessons.add(from == null ? backend + " is never faster than sequential on " + workload + " in this range"
                    : backend + " beats sequential on " + workload + " from task size " + from.taskSize() + " on (≈ "
                    + duration(micros(base) / base.tasks()) + " of work per task)");
        }
        String lesson = lessons.isEmpty() ? "" : String.join("; ", lessons) + "."
                + (chunk == null ? "" : " Chunksize " + (chunk == 0 ? "auto" : chunk) + ".");
        return new Section("Granularity", "granularity", lesson,
                List.of("workload", "backend", "task size", "work per task", "wall time per task", "speedup"), table);
    }

    private static Section chunksize(List<ResultRow> rows) {
        List<ResultRow> sweep = rows.stream().filter(r -> !isSequential(r.backend()) && r.chunksize() != null
                && r.chunksize() > 0 && micros(r) != null).toList();
        if (sweep.stream().map(ResultRow::chunksize).distinct().count() < 2) {
            return null;
        }
        Map<String, ResultRow> best = new TreeMap<>(BY_BACKEND);
        sweep.forEach(r -> best.merge(r.backend(), r, (a, b) -> micros(b) < micros(a) ? b : a));
        String lesson = "Fastest chunksize: " + best.values().stream().map(r -> r.backend() + " " + r.chunksize()
                + " (" + duration(micros(r)) + " per job)").collect(Collectors.joining(", ")) + ".";
        List<List<String>> table = sweep.stream()
                .sorted(Comparator.comparing((ResultRow r) -> BackendStyle.order(r.backend()))
                        .thenComparing(ResultRow::chunksize))
                .map(r -> List.of(Objects.toString(r.workload(), ""), r.backend(), Integer.toString(r.chunksize()),
                        Objects.toString(r.tasks(), ""), duration(micros(r)))).toList();
        return new Section("Chunk size", "granularity-chunksize", lesson,
                List.of("workload", "backend", "chunksize", "tasks", "time per job"), table);
    }

    private static Section io(List<ResultRow> rows) {
        List<ResultRow> timed = rows.stream().filter(r -> r.tasks() != null && r.workers() != null
                && micros(r) != null).toList();
        Map<String, ResultRow> best = new TreeMap<>(BY_BACKEND);
        List<ResultRow> ceiling = new ArrayList<>();
        for (ResultRow r : timed) {
            if ("0".equals(r.param("latencyMs"))) {
                ceiling.add(r); // no latency: the HTTP client and server's own ceiling, not a concurrency result
                continue;
            }
            best.merge(r.backend(), r, (a, b) -> filesPerSecond(b) > filesPerSecond(a) ? b : a);
        }
        String lesson = best.isEmpty() ? "" : "Best throughput: " + best.values().stream()
                .sorted(Comparator.comparingDouble(r -> -filesPerSecond(r)))
                .map(r -> r.backend() + " " + number(filesPerSecond(r)) + " files/s at " + r.workers() + " workers")
                .collect(Collectors.joining(", ")) + ".";
        String latency = timed.isEmpty() ? null : timed.get(0).param("latencyMs");
        if (latency != null && !best.isEmpty()) {
            lesson += " Each request waits " + best.values().iterator().next().param("latencyMs")
                    + " ms at the server.";
        }
        ResultRow top = ceiling.stream().max(Comparator.comparingDouble(Report::filesPerSecond)).orElse(null);
        if (top != null) {
            lesson += " With no latency at all, " + top.backend() + " at " + top.workers() + " workers manages "
                    + number(filesPerSecond(top)) + " files/s: the ceiling of this machine's HTTP client and server.";
        }
        List<List<String>> table = timed.stream().sorted(Comparator.comparing((ResultRow r) -> BackendStyle.order(r.backend()))
                        .thenComparing(r -> -Double.parseDouble(Objects.requireNonNullElse(r.param("latencyMs"), "0")))
                        .thenComparing(ResultRow::workers))
                .map(r -> List.of(r.backend(), Integer.toString(r.workers()), Integer.toString(r.tasks()),
                        Objects.requireNonNullElse(r.param("latencyMs"), "") + " ms",
                        duration(micros(r)), number(filesPerSecond(r)))).toList();
        return new Section("I/O concurrency", "io-concurrency", lesson,
                List.of("backend", "workers", "files", "latency", "time per job", "files/s"), table);
    }

    private static Section resource(List<ResultRow> rows) {
        Map<String, ResultRow> largest = new TreeMap<>(BY_BACKEND);
        rows.forEach(r -> largest.merge(r.backend(), r, (a, b) ->
                Objects.requireNonNullElse(b.workers(), 0) > Objects.requireNonNullElse(a.workers(), 0) ? b : a));
        String lesson = largest.values().stream().map(r -> r.backend() + " " + number(r.score()) + " " + r.unit()
                        + (r.workers() == null ? "" : " at " + r.workers() + " workers"))
                .collect(Collectors.joining(", "));
        List<List<String>> table = rows.stream().map(r -> List.of(Objects.toString(r.backend(), ""),
                Objects.toString(r.workers(), ""), number(r.score()) + " " + Objects.toString(r.unit(), ""))).toList();
        ResultRow threads = largest.get("thread-pool");
        ResultRow processes = largest.get("process-pool");
        if (threads != null && processes != null && processes.workers() != null && processes.workers() > 0
                && Objects.equals(threads.unit(), processes.unit())) {
            lesson += ". A worker JVM costs about " + number((processes.score() - threads.score()) / processes.workers())
                    + " " + processes.unit() + " more than a thread (process-pool minus thread-pool, per worker)";
        }
        return new Section("Memory", "resource-memory", lesson.isEmpty() ? "" : "Peak memory: " + lesson + ".",
                List.of("backend", "workers", "peak memory"), table);
    }

    private static Section plain(String family, List<ResultRow> rows) {
        List<List<String>> table = rows.stream().map(r -> List.of(Objects.toString(r.benchmark(), ""),
                Objects.toString(r.backend(), ""), Objects.toString(r.workers(), ""), Objects.toString(r.mode(), ""),
                number(r.score()) + (r.scoreError() == null ? "" : " ± " + number(r.scoreError())),
                Objects.toString(r.unit(), ""))).toList();
        return new Section("Family: " + family, null, "", List.of("benchmark", "backend", "workers", "mode", "score",
                "unit"), table);
    }

    // ---------------------------------------------------------------- rendering

    private static String markdown(String runId, Map<String, String> env, List<ResultRow> rows, List<Section> sections) {
        StringBuilder md = new StringBuilder("# poolbench report: run " + runId + "\n\n");
        md.append(method(env, rows)).append("\n\n## Environment\n\n| key | value |\n|---|---|\n");
        env.forEach((k, v) -> md.append("| ").append(mdCell(k)).append(" | ").append(mdCell(v)).append(" |\n"));
        for (Section s : sections) {
            md.append("\n## ").append(s.title()).append("\n\n");
            if (s.chart() != null) {
                md.append("![").append(s.title()).append("](").append(s.chart()).append(".png)\n\n");
            }
            if (!s.lesson().isEmpty()) {
                md.append(s.lesson()).append("\n\n");
            }
            md.append("| ").append(s.header().stream().map(Report::mdCell).collect(Collectors.joining(" | ")))
                    .append(" |\n|").append("---|".repeat(s.header().size())).append('\n');
            for (List<String> line : s.table()) {
                md.append("| ").append(line.stream().map(Report::mdCell).collect(Collectors.joining(" | ")))
                        .append(" |\n");
            }
        }
        md.append("\n## Skipped points\n\n");
        List<ResultRow> skipped = rows.stream().filter(r -> !r.measured()).toList();
        if (skipped.isEmpty()) {
            md.append("None.\n");
        }
        skipped.forEach(r -> md.append("- ").append(mdCell(describe(r))).append(": ")
                .append(mdCell(Objects.toString(r.note(), "no note"))).append('\n'));
        return md.toString();
    }

    private static String html(String runId, Map<String, String> env, List<ResultRow> rows, List<Section> sections,
                               Path dir) throws IOException {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>poolbench report: run ")
                .append(esc(runId)).append("</title>\n<style>\n").append(CSS).append("</style></head><body>\n");
        h.append("<h1>poolbench report: run ").append(esc(runId)).append("</h1>\n<p>").append(esc(method(env, rows)))
                .append("</p>\n<h2>Environment</h2>\n<table><tr><th>key</th><th>value</th></tr>\n");
        env.forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(v)).append("</td></tr>\n"));
        h.append("</table>\n");
        for (Section s : sections) {
            h.append("<h2>").append(esc(s.title())).append("</h2>\n");
            if (s.chart() != null) {
                String png = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve(s.chart() + ".png")));
                h.append("<figure><img alt=\"").append(esc(s.title())).append("\" src=\"data:image/png;base64,")
                        .append(png).append("\">");
                if (!s.lesson().isEmpty()) {
                    h.append("<figcaption>").append(esc(s.lesson())).append("</figcaption>");
                }
                h.append("</figure>\n");
            } else if (!s.lesson().isEmpty()) {
                h.append("<p>").append(esc(s.lesson())).append("</p>\n");
            }
            h.append("<table><tr>");
            s.header().forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
            h.append("</tr>\n");
            for (List<String> line : s.table()) {
                h.append("<tr>");
                line.forEach(c -> h.append("<td>").append(esc(c)).append("</td>"));
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Skipped points</h2>\n");
        List<ResultRow> skipped = rows.stream().filter(r -> !r.measured()).toList();
        if (skipped.isEmpty()) {
            h.append("<p>None.</p>\n");
        } else {
            h.append("<ul>\n");
            skipped.forEach(r -> h.append("<li>").append(esc(describe(r))).append(": ")
                    .append(esc(Objects.toString(r.note(), "no note"))).append("</li>\n"));
            h.append("</ul>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
            h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
            table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}
            th{background:#f3f3f3}td{font-variant-numeric:tabular-nums}
            figure{margin:1em 0}img{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:.95em;color:#333;margin-top:.4em}
            """;

    private static String method(Map<String, String> env, List<ResultRow> rows) {
        String modes = rows.stream().map(ResultRow::mode).filter(Objects::nonNull).distinct().sorted()
                .collect(Collectors.joining(", "));
        return "Measured with JMH " + env.getOrDefault("jmh_version", "(version unknown)") + ", profile "
                + env.getOrDefault("profile", "(unknown)") + (modes.isEmpty() ? "" : ", modes " + modes)
                + ", on " + env.getOrDefault("jdk_vendor", "") + " JDK " + env.getOrDefault("jdk_version", "?")
                + " with " + env.getOrDefault("logical_cores", "?") + " logical cores ("
                + env.getOrDefault("cpu_model", "CPU unknown") + "). Errors are JMH's 99.9 % confidence half-widths; "
                + "speedups are over the sequential backend with the fewest cores (CPython rows: over py-sequential).";
    }

    // ---------------------------------------------------------------- helpers

    private static final Comparator<String> BY_BACKEND = Comparator.comparingInt((String b) -> BackendStyle.order(
            (b.contains("\u0000") ? b.substring(b.indexOf('\u0000') + 1) : b).split(",")[0]))
            .thenComparing(Comparator.naturalOrder());


    private static Double speedup(List<ResultRow> all, ResultRow r) {
        ResultRow base = Speedups.baseline(all, r);
        if (base == null) {
            return r.speedup();
        }
        return Speedups.higherIsBetter(r.mode()) ? r.score() / base.score() : base.score() / r.score();
    }

    private static List<ResultRow> family(List<ResultRow> rows, String family) {
        return rows.stream().filter(r -> family.equals(r.family())).toList();
    }

    private static Integer mostCommonChunk(List<ResultRow> rows) {
        Map<Integer, Long> counts = new LinkedHashMap<>();
        rows.stream().filter(r -> !isSequential(r.backend())).forEach(r -> counts.merge(r.chunksize(), 1L, Long::sum));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    private static boolean isSequential(String backend) {
        return "sequential".equals(backend) || "py-sequential".equals(backend);
    }

    private static Double micros(ResultRow r) {
        return r.score() == null ? null : Units.toMicros(r.score(), r.unit());
    }

    private static double filesPerSecond(ResultRow r) {
        return r.tasks() / (micros(r) / 1e6);
    }

    private static String label(ResultRow r) {
        return r.benchmark() + (r.workers() == null ? "" : " (" + r.workers() + " workers)");
    }

    static String describe(ResultRow r) {
        List<String> parts = new ArrayList<>();
        parts.add(r.family() + "/" + r.benchmark());
        if (r.workload() != null) {
            parts.add(r.workload());
        }
        if (r.backend() != null) {
            parts.add(r.backend());
        }
        if (r.cores() != null) {
            parts.add(r.cores() + (r.cores() == 1 ? " core" : " cores"));
        }
        if (r.workers() != null) {
            parts.add(r.workers() + (r.workers() == 1 ? " worker" : " workers"));
        }
        if (r.taskSize() != null) {
            parts.add("task size " + r.taskSize());
        }
        if (r.chunksize() != null) {
            parts.add("chunksize " + r.chunksize());
        }
        if (r.params() != null) {
            parts.add(r.params());
        }
        return String.join(", ", parts);
    }

    static String times(double speedup) {
        return String.format(Locale.ROOT, speedup >= 10 ? "%.1f×" : "%.2f×", speedup);
    }

    static String number(double v) {
        double a = Math.abs(v);
        String s = a >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : a >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : a >= 10 ? String.format(Locale.ROOT, "%.1f", v) : a >= 1 ? String.format(Locale.ROOT, "%.2f", v)
                : String.format(Locale.ROOT, "%.3g", v);
        return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    static String duration(double micros) {
        return micros >= 1e6 ? number(micros / 1e6) + " s" : micros >= 1e3 ? number(micros / 1e3) + " ms"
                : micros >= 1 ? number(micros) + " µs" : number(micros * 1e3) + " ns";
    }

    private static String fileName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "").toLowerCase(Locale.ROOT);
    }

    private static String mdCell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
