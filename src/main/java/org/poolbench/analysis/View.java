package org.poolbench.analysis;

import java.util.List;

/**
 * What one family's rows say, computed once: the series of its figures, the numbers of its captions, its lesson and
 * its table. Charts draw a view's figures and the report prints its section, so the two cannot disagree.
 */
public sealed interface View permits ScalingView, CreationView, GranularityView, ChunksizeView, IoView,
        ResourceView, TableView, Comparison, ClaimsView, QualityView, SyncView, IpcView,
        ClusterView {

    /** The report section's heading. */
    String title();

    /** The file names (without extension) of this view's figures, in order; empty for a table-only view. */
    List<String> figures();

    /** What the view shows, in numbers: the report's caption for its figure (may be empty). */
    String lesson();

    /** The table behind the view. */
    Table table();
}
