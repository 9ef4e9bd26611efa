package org.poolbench.analysis;

import java.util.List;

/**
 * What one family's rows say, computed once: the series of its figures, the numbers of its captions, its lesson and
 * its table. Charts draw a view's figures and the report prints its section, so the two cannot disagree.
 *
 * <p>Not sealed: a family's view is one of its parts in the family registry ({@code cli/Family}), which says which
 * chart draws it; the registry, not a list here, is where a family is added.
 */
public interface View {

    /** The report section's heading. */
    String title();

    /** The file names (without extension) of this view's figures, in order; empty for a table-only view. */
    List<String> figures();

    /** What the view shows, in numbers: the report's caption for its figure (may be empty). */
    String lesson();

    /** The table behind the view. */
    Table table();
}
