package org.poolbench.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.analysis.LessonOutcome;
import org.poolbench.analysis.LessonOutcome.Measure;
import org.poolbench.analysis.LessonOutcome.Side;
import org.poolbench.analysis.LessonVerdict.Interval;
import org.poolbench.analysis.LessonVerdict.Verdict;
import org.poolbench.report.Handout;

/** The projector chart of a measured lesson and of a program, and the handout built from them. */
class LessonChartTest {

    @TempDir
    Path dir;

    static LessonOutcome measured() {
        Side jvm = new Side("JVM", List.of(
                new Measure("threads: speedup over sequential", new Interval(1.64, 1.5, 1.8), "×", true),
                new Measure("processes: speedup over sequential", new Interval(1.55, 1.4, 1.7), "×", true),
                new Measure("sequential: one job", new Interval(430, 400, 460), "ms", false)),
                Verdict.DOES_NOT_HOLD, "does not hold (...)", List.of());
        Side py = new Side("CPython", List.of(
                new Measure("threads: speedup over sequential", new Interval(0.96, 0.9, 1.0), "×", true),
                new Measure("processes: speedup over sequential", new Interval(1.73, 1.6, 1.8), "×", true)),
                Verdict.HOLDS, "holds (...)", List.of());
        return new LessonOutcome("cpu-bound", "Use processes for CPU-bound work.", "three processes", "Shows.", jvm,
                py, "", "", "./run-bench.sh full --families scaling", 40);
    }

    static LessonOutcome program() {
        return new LessonOutcome("gamma-map", "The program: gamma via Pool.map.", "gamma via Pool.map", "Shows.",
                Side.program("JVM", List.of("gamma(0.5) = 1.772453851", "gamma(10.0) = 362880")), null,
                "cannot run here", "map keeps the order", "java ...; python3 ...", 5);
    }

    @Test
    void aMeasuredLessonIsABarChartOfTwoSeriesWithItsCharted() throws IOException {
        var chart = LessonChart.chart(measured());
        var series = List.copyOf(chart.getSeriesCollection());
        assertEquals(List.of("JVM", "CPython"), series.stream().map(s -> s.getName()).toList());
        assertEquals(List.of("threads", "processes"), List.copyOf((java.util.Collection<?>) series.get(0).getXData()));
        assertTrue(chart.getStyler().getAxisTickLabelsFont().getSize() >= 24, "projector-sized type");
        Path png = LessonChart.write(measured(), "Machine: 2 cores", dir);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(LessonChart.WIDTH, image.getWidth());
        assertEquals(LessonChart.HEIGHT, image.getHeight());
    }

    @Test
    void aProgramIsItsOutputAndTheHandoutHasEveryLesson() throws IOException {
        Path a = LessonChart.write(measured(), "Machine: 2 cores", dir);
        Path b = LessonChart.write(program(), "Machine: 2 cores", dir);
        assertTrue(Files.size(b) > 0);
        List<Path> files = Handout.write(List.of(measured(), program()),
                Map.of("cpu-bound", dir.relativize(a), "gamma-map", dir.relativize(b)),
                List.of("2 cores (EPYC)", "JDK 25", "CPython 3.11"), dir);
        String html = Files.readString(files.get(0));
        String md = Files.readString(files.get(1));
        assertEquals(2, html.split("data:image/png;base64,", -1).length - 1, "both charts inlined");
        assertTrue(html.contains("Use processes for CPU-bound work.") && html.contains("2 cores (EPYC)")
                && html.contains("gamma(10.0) = 362880") && html.contains("map keeps the order"));
        assertTrue(md.contains("| cpu-bound | Use processes for CPU-bound work. | does not hold | holds |"), md);
        assertTrue(md.contains("![cpu-bound](cpu-bound.png)") && md.contains("1.64× [1.5–1.8]"), md);
        assertTrue(md.contains("CPython: cannot run here"), md);
    }
}
