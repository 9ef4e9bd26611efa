package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.poolbench.results.ResultRow;

/**
 * The race, counted: k contenders each add 1 to one counter, threads against processes, without a lock, with locks
 * and with atomics. Two figures: the time per add against contenders (log y) and the share of updates lost.
 *
 * @param timePerAdd per (backend, primitive): x = contenders, y = ns per add
 * @param lost       per (backend, primitive) that lost any update: x = contenders, y = % of updates lost
 */
public record SyncView(List<Series> timePerAdd, List<Series> lost, String caption, String lesson, Table table)
        implements View {

    public static final String TIME_FIGURE = "sync-time-per-add";
    public static final String LOST_FIGURE = "sync-lost-updates";

    @Override
    public String title() {
        return "Shared state: the race, counted";
    }

    @Override
    public List<String> figures() {
        return List.of(TIME_FIGURE, LOST_FIGURE);
    }

    /** One (backend, primitive, contenders) point: its time per add and its counts. */
    private record Cell(String backend, String primitive, int k, ResultRow perAdd, Double lost, Double updates) {
        String series() {
            return backend + ": " + primitive;
        }

        double lostPercent() {
            return lost == null || updates == null || updates == 0 ? 0 : 100 * lost / updates;
        }
    }

    /** The sync family's view, if its rows give one. */
    public static List<View> views(FamilyRows in) {
        return Viewer.some(of(in.own(), in.env(), in.skipped()));
    }

    static SyncView of(List<ResultRow> family, Map<String, String> env, long skipped) {
        Map<List<Object>, ResultRow> counts = new TreeMap<>(Comparator.comparing(Object::toString));
        family.forEach(r -> counts.putIfAbsent(List.of(Objects.toString(r.benchmark(), ""), r.backend(),
                Objects.requireNonNullElse(r.workers(), 0), Objects.toString(r.params(), "")), r));
        List<Cell> cells = new ArrayList<>();
        for (ResultRow r : family) {
            if (r.benchmark() == null || !r.benchmark().endsWith(":increment") || r.workers() == null
                    || Rows.micros(r) == null) {
                continue;
            }
            String method = r.benchmark().substring(0, r.benchmark().indexOf(':'));
            List<Object> key = List.of(method + ":lostUpdates", r.backend(), r.workers(), Objects.toString(r.params(), ""));
            ResultRow lost = counts.get(key);
            ResultRow updates = counts.get(List.of(method + ":updates", r.backend(), r.workers(),
                    Objects.toString(r.params(), "")));
            cells.add(new Cell(r.backend(), Objects.toString(r.param("primitive"), "?"), r.workers(), r,
                    lost == null ? null : lost.score(), updates == null ? null : updates.score()));
        }
        if (cells.isEmpty()) {
            return null;
        }
        cells.sort(Comparator.comparing((Cell c) -> c.backend()).thenComparing(Cell::primitive).thenComparing(Cell::k));
        Map<String, List<Cell>> bySeries = new TreeMap<>();
        cells.forEach(c -> bySeries.computeIfAbsent(c.series(), s -> new ArrayList<>()).add(c));
        List<Series> time = new ArrayList<>();
        List<Series> lost = new ArrayList<>();
        List<String> safe = new ArrayList<>();
        List<String> racy = new ArrayList<>();
        bySeries.forEach((name, list) -> {
            time.add(new Series(name, list.get(0).backend(), list.stream().map(c -> {
                double ns = Rows.micros(c.perAdd()) * 1e3;
                return new Point(c.k(), ns, Rows.scaledError(ns, c.perAdd()));
            }).toList()));
            Cell most = list.get(list.size() - 1);
            if (list.stream().anyMatch(c -> c.lostPercent() > 0)) {
                lost.add(new Series(name, list.get(0).backend(), list.stream()
                        .map(c -> new Point(c.k(), c.lostPercent())).toList()));
                racy.add(name + " " + Format.number(most.lostPercent()) + " %");
            } else if (most.updates() != null) {
                safe.add(name);
            }
        });
        int maxK = cells.stream().mapToInt(Cell::k).max().orElse(1);
        String lesson = "At " + maxK + " contenders, updates lost without a lock: "
                + (racy.isEmpty() ? "none" : String.join(", ", racy)) + "; none lost with "
                + (safe.isEmpty() ? "(no locked series)" : String.join(", ", safe)) + ". " + fastest(cells, maxK);
        List<List<String>> lines = cells.stream().map(c -> List.of(c.backend(), c.primitive(), Integer.toString(c.k()),
                Format.number(Rows.micros(c.perAdd()) * 1e3) + " ns",
                c.updates() == null ? "" : Format.number(c.lost() == null ? 0 : c.lost()) + " of "
                        + Format.number(c.updates()))).toList();
        String caption = Caption.of(env, cells.stream().map(Cell::perAdd).toList(), "Each contender adds 1 to one"
                + " counter N times; threads share a field, processes a long in /dev/shm. Error bars: 99.9 % CI.",
                skipped);
        return new SyncView(time, lost, caption, lesson, new Table(List.of("backend", "primitive", "contenders",
                "time per add", "lost of updates"), lines));
    }

    private static String fastest(List<Cell> cells, int k) {
        Optional<Cell> threads = cells.stream().filter(c -> c.k() == k && "threads".equals(c.backend())
                && c.lostPercent() == 0 && c.updates() != null).min(Comparator.comparing(c -> Rows.micros(c.perAdd())));
        Optional<Cell> processes = cells.stream().filter(c -> c.k() == k && "processes".equals(c.backend())
                && c.lostPercent() == 0 && c.updates() != null).min(Comparator.comparing(c -> Rows.micros(c.perAdd())));
        if (threads.isEmpty() || processes.isEmpty()) {
            return "";
        }
        return "The fastest correct add: threads " + threads.get().primitive() + " "
                + Format.number(Rows.micros(threads.get().perAdd()) * 1e3) + " ns, processes "
                + processes.get().primitive() + " " + Format.number(Rows.micros(processes.get().perAdd()) * 1e3)
                + " ns.";
    }
}
