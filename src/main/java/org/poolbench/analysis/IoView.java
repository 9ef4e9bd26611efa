package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.poolbench.results.ResultRow;

/**
 * Download throughput against concurrency: one panel (figure) per configuration (files per job, latency, file
 * size). Rows with no server latency are not a panel of their own: they are the ceiling of the HTTP client and
 * server, drawn as a line on the panels with the same files and file size.
 *
 * @param panels one per configuration
 */
public record IoView(List<Panel> panels, String lesson, Table table) implements View {

    /**
     * One figure.
     *
     * @param series      per backend: x = workers (downloads in flight), y = files/s
     * @param ideal       files/s if every request waited only the server latency: tasks / (⌈tasks / c⌉ × latency)
     * @param ceiling     files/s of the same job with no latency, or {@code null}
     * @param ceilingAt   the concurrency of that ceiling
     * @param concurrency the smallest and largest concurrency measured
     */
    public record Panel(String name, List<Series> series, List<Point> ideal, Double ceiling, int ceilingAt,
                        int[] concurrency, String caption) {
    }

    @Override
    public String title() {
        return "I/O concurrency";
    }

    @Override
    public List<String> figures() {
        return panels.stream().map(Panel::name).toList();
    }

    /** The io family's view, if its rows give one. */
    public static List<View> views(FamilyRows in) {
        return Viewer.some(of(in.own(), in.env(), in.skipped()));
    }

    static IoView of(List<ResultRow> family, Map<String, String> env, long skipped) {
        List<ResultRow> usable = family.stream()
                .filter(r -> r.workers() != null && r.workers() > 0 && r.tasks() != null && Rows.micros(r) != null)
                .toList();
        if (family.isEmpty()) {
            return null;
        }
        List<ResultRow> ceilings = usable.stream().filter(r -> Objects.equals(Rows.parse(r.param("latencyMs")), 0.0))
                .toList();
        Map<List<Object>, List<ResultRow>> configs = usable.stream().filter(r -> !ceilings.contains(r))
                .collect(Collectors.groupingBy(r -> Arrays.asList(r.workload(), r.tasks(), r.params()),
                        LinkedHashMap::new, Collectors.toList()));
        List<Panel> panels = new ArrayList<>();
        for (List<ResultRow> rows : configs.values()) {
            panels.add(panel(rows, ceilings, configs.size() == 1, env, skipped));
        }
        return new IoView(panels, lesson(usable), table(usable));
    }

    private static Panel panel(List<ResultRow> rows, List<ResultRow> ceilings, boolean only, Map<String, String> env,
                               long skipped) {
        ResultRow first = rows.get(0);
        int tasks = first.tasks();
        Map<String, TreeMap<Integer, ResultRow>> byBackend = new TreeMap<>(BackendOrder.SERIES);
        rows.forEach(r -> byBackend.computeIfAbsent(r.backend(), b -> new TreeMap<>()).putIfAbsent(r.workers(), r));
        List<Series> series = new ArrayList<>();
        for (var e : byBackend.entrySet()) {
            List<Point> points = new ArrayList<>();
            for (ResultRow r : e.getValue().values()) {
                double perSecond = tasks / (Rows.micros(r) / 1e6);
                points.add(new Point(r.workers(), perSecond, Rows.scaledError(perSecond, r)));
            }
            series.add(new Series(e.getKey(), e.getKey(), points));
        }
        TreeSet<Integer> concurrency = rows.stream().map(ResultRow::workers).collect(Collectors.toCollection(TreeSet::new));
        String note = "";
        List<Point> ideal = new ArrayList<>();
        Double latencyMs = Rows.parse(first.param("latencyMs"));
        if (latencyMs != null && latencyMs > 0) {
            for (int w : concurrency) {
                ideal.add(new Point(w, tasks / (Math.ceil((double) tasks / w) * latencyMs / 1e3)));
            }
            note = " Ideal: every request waits only the server latency of " + Format.number(latencyMs) + " ms.";
        }
        ResultRow best = ceilings.stream()
                .filter(r -> Objects.equals(r.tasks(), first.tasks())
                        && Objects.equals(r.param("fileBytes"), first.param("fileBytes")))
                .max(Comparator.comparingDouble(r -> tasks / Rows.micros(r))).orElse(null);
        Double ceiling = null;
        if (best != null) {
            ceiling = tasks / (Rows.micros(best) / 1e6);
            note += " Dotted: the same job with no latency, the ceiling of this machine's HTTP client and"
                    + " server (" + Format.number(ceiling) + " files/s).";
        }
        String name = only ? "io-concurrency"
                : "io-concurrency-" + Format.fileName(Objects.toString(first.params(), "") + "-" + tasks);
        String bytes = first.param("fileBytes");
        String caption = Caption.of(env, rows, tasks + " files per job"
                + (bytes == null ? "" : " of " + bytes + " bytes") + ", loopback server." + note, skipped);
        return new Panel(name, series, ideal, ceiling, best == null ? 0 : best.workers(),
                new int[] {concurrency.first(), concurrency.last()}, caption);
    }

    private static double filesPerSecond(ResultRow r) {
        return r.tasks() / (Rows.micros(r) / 1e6);
    }

    private static String lesson(List<ResultRow> timed) {
        Map<String, ResultRow> best = new TreeMap<>(BackendOrder.SERIES);
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
                .map(r -> r.backend() + " " + Format.number(filesPerSecond(r)) + " files/s at " + r.workers() + " workers")
                .collect(Collectors.joining(", ")) + ".";
        String latency = timed.isEmpty() ? null : timed.get(0).param("latencyMs");
        if (latency != null && !best.isEmpty()) {
            lesson += " Each request waits " + best.values().iterator().next().param("latencyMs")
                    + " ms at the server.";
        }
        ResultRow top = ceiling.stream().max(Comparator.comparingDouble(IoView::filesPerSecond)).orElse(null);
        if (top != null) {
            lesson += " With no latency at all, " + top.backend() + " at " + top.workers() + " workers manages "
                    + Format.number(filesPerSecond(top)) + " files/s: the ceiling of this machine's HTTP client and server.";
        }
        return lesson;
    }

    private static Table table(List<ResultRow> timed) {
        return new Table(List.of("backend", "workers", "files", "latency", "time per job", "files/s"), timed.stream()
                .sorted(Comparator.comparing((ResultRow r) -> BackendOrder.order(r.backend()))
                        .thenComparing(r -> -Double.parseDouble(Objects.requireNonNullElse(r.param("latencyMs"), "0")))
                        .thenComparing(ResultRow::workers))
                .map(r -> List.of(r.backend(), Integer.toString(r.workers()), Integer.toString(r.tasks()),
                        Objects.requireNonNullElse(r.param("latencyMs"), "") + " ms",
                        Format.duration(Rows.micros(r)), Format.number(filesPerSecond(r)))).toList());
    }
}
