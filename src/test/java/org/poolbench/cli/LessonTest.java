package org.poolbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.analysis.LessonOutcome;
import org.poolbench.analysis.LessonOutcome.Measure;
import org.poolbench.analysis.LessonOutcome.Side;
import org.poolbench.analysis.LessonVerdict.Interval;
import org.poolbench.analysis.LessonVerdict.Verdict;

/** The lesson registry, --list, bad input, and the console's order; nothing is measured here. */
class LessonTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private final ByteArrayOutputStream err = console.err;
    private final ByteArrayOutputStream out = console.out;

    @Test
    void everyLessonHasItsWordingSeedAndWhatItRuns() {
        Set<String> ids = new HashSet<>();
        for (Lesson l : Lesson.values()) {
            assertTrue(ids.add(l.id()), "duplicate " + l.id());
            assertFalse(l.claim.isBlank() || l.seed.isBlank() || l.shows.isBlank() || l.runs.isBlank()
                    || l.paperCommand.isBlank(), l.id());
            if (l.program()) {
                assertFalse(l.notice.isBlank(), l.id() + " says what to notice");
                assertTrue(l.invocations(2).isEmpty(), l.id());
            } else {
                assertTrue(l.notice.isEmpty(), l.id());
                assertFalse(l.invocations(2).isEmpty(), l.id() + " runs JMH");
                assertTrue(l.paperCommand.startsWith("./run-bench.sh full --families "), l.id());
                for (JmhInvocation inv : l.invocations(2)) {
                    assertTrue(Family.names().contains(inv.family()), l.id() + ": family " + inv.family());
                }
            }
        }
        assertTrue(ids.size() >= 12, "at least 12 lessons: " + ids);
        assertTrue(ids.containsAll(List.of("creation", "pool-amortizes", "cpu-bound", "io-bound", "tiny-tasks",
                "race", "shared-state", "queue-vs-pipe", "manager")));
    }

    @Test
    void theCPythonProgramsHaveEveryLessonsPart() throws IOException {
        String baseline = Files.readString(Path.of("python", "poolbench_py.py"));
        String programs = Files.readString(Path.of("python", "lesson_programs.py"));
        for (Lesson l : Lesson.values()) {
            if (l.program()) {
                assertTrue(programs.contains("\"" + l.id() + "\": "), l.id() + " in lesson_programs.py PROGRAMS");
            } else {
                assertTrue(baseline.contains("def lesson_" + l.id().replace('-', '_') + "(self, top)"),
                        l.id() + " has Runner.lesson_" + l.id().replace('-', '_'));
            }
        }
    }

    @Test
    void seedsMdNamesEveryLesson() throws IOException {
        String seeds = Files.readString(Path.of("docs", "SEEDS.md"));
        for (Lesson l : Lesson.values()) {
            assertTrue(seeds.contains("`" + l.id() + "`"), "docs/SEEDS.md's lesson column names " + l.id());
        }
    }

    @Test
    void listGivesOneLinePerLessonWithItsSeed() {
        assertEquals(0, Main.execute("lesson", "--list"));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(Lesson.values().length + 1, lines.size());
        for (Lesson l : Lesson.values()) {
            assertTrue(lines.stream().anyMatch(s -> s.strip().startsWith(l.id() + " ") && s.contains("[seed: "
                    + l.seed + "]")), l.id());
        }
    }

    @Test
    void anUnknownLessonIsOneLineWithTheValidNamesAndExit2() {
        Path lessons = dir.resolve("lessons");
        assertEquals(2, Main.execute("lesson", "threads-are-free", "--out", lessons.toString()));
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("'threads-are-free'") && text.contains("cpu-bound") && text.contains("all"), text);
        assertFalse(Files.exists(lessons), "nothing written");
        err.reset();
        assertEquals(2, Main.execute("lesson", "--out", lessons.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("missing lesson name"));
    }

    static LessonOutcome outcome(Side python) {
        Side jvm = new Side("JVM", List.of(new Measure("threads: speedup over sequential",
                new Interval(1.64, 1.5, 1.8), "×", true)), Verdict.DOES_NOT_HOLD,
                "does not hold (processes beat threads): ...", List.of());
        return new LessonOutcome("cpu-bound", "Use processes for CPU-bound work.", "three processes", "Shows it.",
                jvm, python, python == null ? "cannot run here" : "", "", "./run-bench.sh full --families scaling",
                12);
    }

    @Test
    void theConsoleSaysWhatItShowsThenFiguresThenVerdictsThenThePaperCommand() {
        Side py = new Side("CPython", List.of(new Measure("threads: speedup over sequential",
                new Interval(0.96, 0.9, 1.02), "×", true)), Verdict.HOLDS, "holds (...)", List.of());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        LessonCommand.print(outcome(py), new PrintStream(b, true, StandardCharsets.UTF_8));
        String text = b.toString(StandardCharsets.UTF_8);
        int shows = text.indexOf("What it shows");
        int figures = text.indexOf("Figures (95 % intervals)");
        int jvm = text.indexOf("Verdict, JVM: does not hold");
        int cpython = text.indexOf("Verdict, CPython: holds");
        int paper = text.indexOf("Paper-grade figures: ./run-bench.sh full");
        assertTrue(shows >= 0 && shows < figures && figures < jvm && jvm < cpython && cpython < paper, text);
        assertTrue(text.contains("1.64× [1.5–1.8]") && text.contains("0.96× [0.9–1.02]"), text);
    }

    @Test
    void withoutCPythonTheJvmSideIsShownAndTheLineSaysWhy() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        LessonOutcome o = outcome(null);
        LessonCommand.print(o, new PrintStream(b, true, StandardCharsets.UTF_8));
        String text = b.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Verdict, JVM: does not hold") && text.contains("Verdict, CPython: cannot run here"),
                text);
        Path csv = LessonCommand.writeCsv(o, dir.resolve("cpu-bound.csv"));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("lesson,side,figure,estimate,low95,high95,unit,verdict_or_output", lines.get(0));
        assertEquals("cpu-bound,JVM,threads: speedup over sequential,1.64,1.5,1.8,×,does not hold", lines.get(1));
        assertEquals(2, lines.size());
    }
}
