package org.poolbench.charts;

import java.util.List;
import java.util.function.Function;
import org.poolbench.analysis.View;

/**
 * The chart of one kind of view: a family's registry entry ({@code cli/Family}) names one per view it has, and
 * {@link Charts} draws each view with the renderer of its class.
 *
 * @param view the view's class
 * @param draw its figures (none when the view has too little to draw)
 */
public record Renderer<V extends View>(Class<V> view, Function<? super V, List<Figure>> draw) {

    public static <V extends View> Renderer<V> of(Class<V> view, Function<? super V, List<Figure>> draw) {
        return new Renderer<>(view, draw);
    }

    /** True when this renderer draws {@code v}. */
    public boolean draws(View v) {
        return view.isInstance(v);
    }

    /** The figures of {@code v}, a view of this renderer's class. */
    public List<Figure> figures(View v) {
        return draw.apply(view.cast(v));
    }
}
