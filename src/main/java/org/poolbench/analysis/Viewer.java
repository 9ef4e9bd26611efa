package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * How one family's rows become its views, in report order: its registry entry's part on this floor. A view class
 * offers one as {@code public static List<View> views(FamilyRows)}; a family with two views (granularity: the task
 * size sweep and the chunk size sweep) joins theirs with {@link #of}.
 */
@FunctionalInterface
public interface Viewer {

    /** The family's views from {@code in}; empty when its rows give none (no rows, or too few to show). */
    List<View> views(FamilyRows in);

    /** A family that has no view of its own: its rows are drawn in another family's view (ceiling in scaling's). */
    Viewer NONE = in -> List.of();

    /** The views of {@code viewers}, one after another. */
    static Viewer of(Viewer... viewers) {
        return in -> {
            List<View> out = new ArrayList<>();
            for (Viewer v : viewers) {
                out.addAll(v.views(in));
            }
            return out;
        };
    }

    /** {@code view} alone, or none when it is {@code null}. */
    static List<View> some(View view) {
        return view == null ? List.of() : List.of(view);
    }
}
