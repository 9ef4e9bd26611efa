package org.poolbench.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.poolbench.analysis.Analysis;
import org.poolbench.analysis.Comparison;
import org.poolbench.analysis.View;

/**
 * Draws the figures of a run's views (DESIGN.md: charts read only views, views read only the CSVs), so a CSV from
 * any machine re-draws the same charts. Every figure is written as PNG, SVG and PDF ({@link Figure}); see
 * {@code docs/ARCHITECTURE.md} for what each one shows.
 *
 * <p>A family's views are drawn by the renderers its registry entry names ({@code cli/Family}); a view no renderer
 * draws (the claims, measurement quality, a family's table) has no figure. {@code compare}'s view, which is no
 * family's, is drawn here.
 */
public final class Charts {

    private Charts() {
    }

    /** The figures of one view, ready to save; none for a table-only view. */
    public static List<Figure> figures(View view, List<Renderer<?>> renderers) {
        if (view instanceof Comparison c) {
            return List.of(CompareChart.draw(c));
        }
        for (Renderer<?> r : renderers) {
            if (r.draws(view)) {
                return r.figures(view);
            }
        }
        return List.of();
    }

    /** Draws the figures of a view no family owns ({@link Comparison}) into {@code outDir}; returns the files. */
    public static List<Path> draw(View view, Path outDir) throws IOException {
        return draw(view, outDir, List.of());
    }

    /** Draws the figures of one view into {@code outDir} (created if needed) and returns the files. */
    public static List<Path> draw(View view, Path outDir, List<Renderer<?>> renderers) throws IOException {
        Files.createDirectories(outDir);
        List<Path> files = new ArrayList<>();
        for (Figure f : figures(view, renderers)) {
            files.addAll(f.save(outDir));
        }
        return files;
    }

    /**
     * Draws every figure of {@code analysis} into {@code outDir} (created if needed).
     *
     * @param renderers the registry's renderers, one per kind of view
     * @return the files written, PNG, SVG and PDF for each figure
     */
    public static List<Path> drawAll(Analysis analysis, Path outDir, List<Renderer<?>> renderers)
            throws IOException {
        Files.createDirectories(outDir);
        List<Path> files = new ArrayList<>();
        for (View v : analysis.views()) {
            files.addAll(draw(v, outDir, renderers));
        }
        return files;
    }
}
