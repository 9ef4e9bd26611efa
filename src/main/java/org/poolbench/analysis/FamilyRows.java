package org.poolbench.analysis;

import java.util.List;
import java.util.Map;
import org.poolbench.results.IterationsCsv.Iteration;
import org.poolbench.results.ResultRow;

/**
 * What a family's {@link Viewer} is given: the run's rows (speedups filled, skipped points included), its measured
 * rows of every family (a view may lean on another family's, as scaling on ceiling's), its environment and its
 * iterations ({@code iterations.csv}; empty when the run has none).
 *
 * @param family the family's name, as in the {@code family} column
 */
public record FamilyRows(String family, List<ResultRow> rows, List<ResultRow> measured, Map<String, String> env,
                         List<Iteration> iterations) {

    /** The measured rows of this family. */
    public List<ResultRow> own() {
        return Rows.family(measured, family);
    }

    /** The number of this family's points left out by design. */
    public long skipped() {
        return rows.stream().filter(r -> !r.measured() && family.equals(r.family())).count();
    }
}
