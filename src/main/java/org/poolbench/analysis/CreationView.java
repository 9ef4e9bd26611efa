package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Units;

/**
 * What it costs to create a thread, a virtual thread, a process, a worker JVM, a pool of N: one point per thing
 * created, sorted from cheapest to dearest, times in µs.
 *
 * @param points one per thing created, at x = 1, 2, … in order of cost
 * @param series the same points grouped by backend ({@code ""}: belongs to no backend)
 */
public record CreationView(List<Created> points, List<Series> series, String caption, String lesson, Table table)
        implements View {

    /** The figure's file name. */
    public static final String FIGURE = "creation-overhead";

    /** One thing created: its place on the x axis, its time in µs, and its name. */
    public record Created(int x, double micros, String label) {
    }

    @Override
    public String title() {
        return "Creation overhead";
    }

    @Override
    public List<String> figures() {
        return List.of(FIGURE);
    }

    /** The creation family's view, with the cluster family's rungs (a member's start, join, first task) on it. */
    public static List<View> views(FamilyRows in) {
        List<ResultRow> creation = new ArrayList<>(in.own());
        creation.addAll(Rows.family(in.measured(), "cluster").stream()
                .filter(r -> List.of("memberUp", "memberJoin", "firstTask").contains(r.benchmark())).toList());
        return Viewer.some(of(creation, in.env(), in.skipped()));
    }

    static CreationView of(List<ResultRow> family, Map<String, String> env, long skipped) {
        List<ResultRow> rows = family.stream().filter(r -> Rows.micros(r) != null)
                .sorted(Comparator.comparing(Rows::micros)).toList();
        if (rows.isEmpty()) {
            return null;
        }
        List<Created> points = new ArrayList<>();
        Map<String, List<Point>> groups = new TreeMap<>(BackendOrder.SERIES);
        for (int i = 0; i < rows.size(); i++) {
            ResultRow r = rows.get(i);
            double us = Rows.micros(r);
            points.add(new Created(i + 1, us, label(r).replace(" (", ", ").replace(")", "")));
            groups.computeIfAbsent(Objects.toString(r.backend(), ""), b -> new ArrayList<>())
                    .add(new Point(i + 1, us, Rows.scaledError(us, r)));
        }
        List<Series> series = new ArrayList<>();
        groups.forEach((backend, pts) -> series.add(new Series(backend.isEmpty() ? "created" : backend, backend, pts)));
        String caption = Caption.of(env, rows, "Each point: create, run one trivial task, end. Error bars: 99.9 % CI.",
                skipped);
        String lesson = "";
        if (rows.size() >= 2) {
            ResultRow cheap = rows.get(0);
            ResultRow dear = rows.get(rows.size() - 1);
            lesson = "The cheapest thing to create is " + label(cheap) + " (" + Format.duration(Rows.micros(cheap))
                    + "); the dearest is " + label(dear) + " (" + Format.duration(Rows.micros(dear)) + "), "
                    + Format.number(Rows.micros(dear) / Rows.micros(cheap)) + "× as much.";
        }
        List<List<String>> lines = rows.stream().map(r -> List.of(label(r), Format.duration(Rows.micros(r)),
                r.scoreError() == null ? "" : "± " + Format.duration(Rows.micros(r) * Units.relativeError(r)))).toList();
        return new CreationView(points, series, caption, lesson,
                new Table(List.of("created", "time", "99.9 % error"), lines));
    }

    /**
     * A creation point's name: its benchmark, with the start method where it is not CPython's {@code fork} (the
     * method rows without one were measured by: {@code pyProcess[spawn]}, {@code pyPool[forkserver]}), then its
     * workers or members.
     */
    private static String label(ResultRow r) {
        String members = r.param("members");
        String method = r.param("start_method");
        return r.benchmark() + (method == null || method.equals("fork") ? "" : "[" + method + "]")
                + (members != null ? " (" + members + " members)"
                : r.workers() == null ? "" : " (" + r.workers() + (r.workers() == 1 ? " worker)" : " workers)"));
    }
}
