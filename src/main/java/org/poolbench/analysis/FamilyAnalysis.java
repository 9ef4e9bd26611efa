package org.poolbench.analysis;

/**
 * A family as the analysis sees it: the part of its registry entry ({@code cli/Family}, the floor that also sees
 * planning and charts) that this floor uses. {@link Analysis#of} is handed the registry's families in report order.
 */
public interface FamilyAnalysis {

    /** The family's name, as in the {@code family} column. */
    String id();

    /** True when its rows get a speedup and efficiency ({@code results/Speedups}). */
    boolean speedups();

    /**
     * How its rows become views; {@code null} for a family shown as a table ({@link TableView}, after the drawn
     * families, as any family not in the registry is).
     */
    Viewer viewer();
}
