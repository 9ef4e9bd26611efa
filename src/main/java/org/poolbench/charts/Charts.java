package org.poolbench.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.poolbench.analysis.Analysis;
import org.poolbench.analysis.ChunksizeView;
import org.poolbench.analysis.ClaimsView;
import org.poolbench.analysis.ClusterView;
import org.poolbench.analysis.QualityView;
import org.poolbench.analysis.Comparison;
import org.poolbench.analysis.CreationView;
import org.poolbench.analysis.GranularityView;
import org.poolbench.analysis.IoView;
import org.poolbench.analysis.IpcView;
import org.poolbench.analysis.SyncView;
import org.poolbench.analysis.ResourceView;
import org.poolbench.analysis.ScalingView;
import org.poolbench.analysis.TableView;
import org.poolbench.analysis.View;

/**
 * Draws the figures of a run's views (DESIGN.md: charts read only views, views read only the CSVs), so a CSV from
 * any machine re-draws the same charts. Every figure is written as PNG, SVG and PDF ({@link Figure}); see
 * {@code docs/ARCHITECTURE.md} for what each one shows.
 */
public final class Charts {

    private Charts() {
    }

    /** The figures of one view, ready to save; none for a table-only view. */
    public static List<Figure> figures(View view) {
        return switch (view) {
            case ScalingView v -> List.of(ScalingChart.draw(v));
            case CreationView v -> List.of(CreationChart.draw(v));
            case GranularityView v -> v.figures().isEmpty() ? List.of() : List.of(GranularityChart.draw(v));
            case ChunksizeView v -> v.figures().isEmpty() ? List.of() : List.of(ChunksizeChart.draw(v));
            case IoView v -> v.panels().stream().map(IoChart::draw).toList();
            case ResourceView v -> List.of(ResourceChart.draw(v));
            case TableView v -> List.of();
            case ClaimsView v -> List.of();
            case QualityView v -> List.of();
            case SyncView v -> LessonCharts.sync(v);
            case IpcView v -> LessonCharts.ipc(v);
            case ClusterView v -> v.scaling().entrySet().stream()
                    .map(e -> ClusterChart.draw(v, e.getKey(), e.getValue())).toList();
            case Comparison v -> List.of(CompareChart.draw(v));
        };
    }

    /** Draws the figures of one view into {@code outDir} (created if needed) and returns the files. */
    public static List<Path> draw(View view, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        List<Path> files = new ArrayList<>();
        for (Figure f : figures(view)) {
            files.addAll(f.save(outDir));
        }
        return files;
    }

    /**
     * Draws every figure of {@code analysis} into {@code outDir} (created if needed).
     *
     * @return the files written, PNG, SVG and PDF for each figure
     */
    public static List<Path> drawAll(Analysis analysis, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        List<Path> files = new ArrayList<>();
        for (View v : analysis.views()) {
            files.addAll(draw(v, outDir));
        }
        return files;
    }
}
