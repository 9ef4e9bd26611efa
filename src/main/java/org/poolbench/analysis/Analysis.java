package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.poolbench.results.IterationsCsv.Iteration;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Speedups;

/**
 * The analysis of one run: its rows (speedups filled), its environment, and one view per family in report order.
 * Built from {@code results.csv} and {@code environment.csv} alone, so a CSV from any machine gives the same views.
 *
 * @param runId the run's id (from the environment, else the rows)
 * @param views the claims' verdicts, the registered families' views in the registry's order, one table per other
 *              family, then measurement quality
 */
public record Analysis(String runId, Map<String, String> env, List<ResultRow> rows, List<View> views) {

    /**
     * The analysis of a run: the claims' verdicts, then each of {@code families}' views in their order, then a table
     * for every family of the rows that has no view (not in the registry, or registered without a viewer), then
     * measurement quality. With {@code iterations} ({@code iterations.csv}) the run's checks of itself pair
     * neighbouring iterations ({@link RunChecks}).
     *
     * @param families the families, in report order (the registry, {@code cli/Family})
     */
    public static Analysis of(List<ResultRow> csvRows, Map<String, String> env, List<Iteration> iterations,
            List<? extends FamilyAnalysis> families) {
        Set<String> speedups = families.stream().filter(FamilyAnalysis::speedups).map(FamilyAnalysis::id)
                .collect(Collectors.toSet());
        List<ResultRow> rows = Speedups.fill(csvRows, speedups);
        List<ResultRow> measured = rows.stream().filter(ResultRow::measured).toList();
        List<View> views = new ArrayList<>();
        add(views, ClaimsView.of(measured));
        Set<String> viewed = new HashSet<>();
        for (FamilyAnalysis f : families) {
            if (f.viewer() != null) {
                viewed.add(f.id());
                views.addAll(f.viewer().views(new FamilyRows(f.id(), rows, measured, env,
                        iterations == null ? List.of() : iterations)));
            }
        }
        for (String family : Rows.distinct(measured, ResultRow::family)) {
            if (!viewed.contains(family)) {
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

    private static void add(List<View> views, View v) {
        if (v != null) {
            views.add(v);
        }
    }
}
