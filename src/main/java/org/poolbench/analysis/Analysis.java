package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.poolbench.results.IterationsCsv.Iteration;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Speedups;

/**
 * The analysis of one run: its rows (speedups filled), its environment, and one view per family in report order.
 * Built from {@code results.csv} and {@code environment.csv} alone, so a CSV from any machine gives the same views.
 *
 * @param runId the run's id (from the environment, else the rows)
 * @param views the claims' verdicts, scaling (one per workload), creation, granularity, chunk size, io, resource,
 *              one table per other family, then measurement quality
 */
public record Analysis(String runId, Map<String, String> env, List<ResultRow> rows, List<View> views) {

    /** Families with a view of their own; any other family gets a {@link TableView}. */
    static final Set<String> DRAWN = Set.of("scaling", "ceiling", "creation", "granularity", "io", "resource", "sync",
            "ipc", "cluster");

    public static Analysis of(List<ResultRow> csvRows, Map<String, String> env) {
        return of(csvRows, env, List.of());
    }

    /**
     * The analysis of a run whose measured iterations ({@code iterations.csv}) are known too: the run's checks of
     * itself then pair neighbouring iterations ({@link RunChecks}).
     */
    public static Analysis of(List<ResultRow> csvRows, Map<String, String> env, List<Iteration> iterations) {
        List<ResultRow> rows = Speedups.fill(csvRows);
        List<ResultRow> measured = rows.stream().filter(ResultRow::measured).toList();
        List<View> views = new ArrayList<>();
        add(views, ClaimsView.of(measured));
        for (String workload : Rows.distinct(Rows.family(measured, "scaling"), ResultRow::workload)) {
            long skipped = rows.stream().filter(r -> !r.measured() && "scaling".equals(r.family())
                    && Format.fileName(workload).equals(Format.fileName(Objects.toString(r.workload(), "")))).count();
            views.add(ScalingView.of(measured, workload, env, skipped));
        }
        List<ResultRow> creation = new ArrayList<>(Rows.family(measured, "creation"));
        creation.addAll(Rows.family(measured, "cluster").stream() // the cluster's rungs on the same ladder
                .filter(r -> List.of("memberUp", "memberJoin", "firstTask").contains(r.benchmark())).toList());
        add(views, CreationView.of(creation, env, skipped(rows, "creation")));
        add(views, GranularityView.of(Rows.family(measured, "granularity"), env, skipped(rows, "granularity")));
        add(views, ChunksizeView.of(Rows.family(measured, "granularity"), env, skipped(rows, "granularity")));
        add(views, IoView.of(Rows.family(measured, "io"), env, skipped(rows, "io")));
        add(views, ResourceView.of(Rows.family(measured, "resource"), env, skipped(rows, "resource")));
        add(views, SyncView.of(Rows.family(measured, "sync"), env, skipped(rows, "sync")));
        add(views, IpcView.of(Rows.family(measured, "ipc"), env, skipped(rows, "ipc")));
        add(views, ClusterView.of(Rows.family(measured, "cluster"), measured, env, skipped(rows, "cluster")));
        for (String family : Rows.distinct(measured, ResultRow::family)) {
            if (!DRAWN.contains(family)) {
                views.add(TableView.of(family, Rows.family(measured, family)));
            }
        }
        add(views, QualityView.of(measured, iterations));
        String runId = env.getOrDefault("run_id", rows.isEmpty() ? "?" : Objects.toString(rows.get(0).runId(), "?"));
        return new Analysis(runId, env, rows, List.copyOf(views));
    }

    /** The points left out by design, with their notes. */
    public List<ResultRow> skipped() {
        return rows.stream().filter(r -> !r.measured()).toList();
    }

    /** The views of one type, in order. */
    public <V extends View> List<V> views(Class<V> type) {
        return views.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static long skipped(List<ResultRow> rows, String family) {
        return rows.stream().filter(r -> !r.measured() && family.equals(r.family())).count();
    }

    private static void add(List<View> views, View v) {
        if (v != null) {
            views.add(v);
        }
    }
}
