package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.poolbench.analysis.LessonVerdict.Interval;
import org.poolbench.analysis.LessonVerdict.Verdict;
import org.poolbench.results.ResultRow;

/**
 * What one lesson ({@code ./run-bench.sh lesson NAME}) found: per platform its figures, verdict and sentence; for a
 * program without a claim, the two outputs. The console, the lesson's CSV and chart, and the handout all print this.
 *
 * @param name the lesson's name
 * @param claim the material's wording the lesson answers (quoted), or the program it runs
 * @param seed the seed program of the material it comes from
 * @param shows what the lesson shows, in a sentence
 * @param jvm the JVM's side
 * @param python CPython's side, or {@code null} when it could not run ({@code pythonNote} says why)
 * @param pythonNote why CPython's side is missing, or empty
 * @param notice for a program without a claim: what a student should notice; else empty
 * @param paperCommand the command that gives paper-grade figures for the same claim
 * @param seconds the lesson's wall time
 */
public record LessonOutcome(String name, String claim, String seed, String shows, Side jvm, Side python,
                            String pythonNote, String notice, String paperCommand, double seconds) {

    /** One figure: an estimate with its 95 % interval, in {@code unit}; {@code chart} if the lesson's chart shows it. */
    public record Measure(String label, Interval value, String unit, boolean chart) {
        /** This figure, on the lesson's chart. */
        public Measure charted() {
            return new Measure(label, value, unit, true);
        }
    }

    /**
     * One platform's side.
     *
     * @param platform "JVM" or "CPython"
     * @param figures its figures (for a program, empty)
     * @param verdict its verdict
     * @param sentence the verdict in one sentence, with the figure it rests on
     * @param output for a program, the lines it printed; else empty
     */
    public record Side(String platform, List<Measure> figures, Verdict verdict, String sentence, List<String> output) {
        public Side {
            figures = List.copyOf(figures);
            output = List.copyOf(output);
        }

        /** A program's side: its output, no verdict. */
        public static Side program(String platform, List<String> output) {
            return new Side(platform, List.of(), Verdict.NO_CLAIM, "", output);
        }
    }

    /**
     * One platform's measured rows and their iterations, for a judge.
     *
     * @param python whether these are CPython's rows (backends prefixed {@code py-})
     * @param samples per-iteration values by {@link ResultRow#pointKey()}
     */
    public record Data(boolean python, List<ResultRow> rows, Map<List<Object>, double[]> samples) {

        /** The platform's name. */
        public String platform() {
            return python ? "CPython" : "JVM";
        }

        /** A backend's name on this platform: CPython's pool backends are {@code py-}-prefixed. */
        String backend(String name) {
            return python ? "py-" + name : name;
        }

        /** The first measured row matching {@code p}. */
        Optional<ResultRow> row(Predicate<ResultRow> p) {
            return rows.stream().filter(r -> r.score() != null && p.test(r)).findFirst();
        }

        /** The iterations of {@code r}; its score alone when none were kept. */
        double[] samples(ResultRow r) {
            double[] s = samples.get(r.pointKey());
            return s != null && s.length > 0 ? s : new double[] {r.score()};
        }

        /** The mean and interval of {@code r}'s iterations. */
        Interval interval(ResultRow r) {
            return LessonVerdict.mean(samples(r));
        }
    }

    /** Every figure of both sides, as rows of the lesson's CSV (side, figure, estimate, low, high, unit). */
    public List<List<String>> csvRows() {
        List<List<String>> out = new ArrayList<>();
        for (Side s : python == null ? List.of(jvm) : List.of(jvm, python)) {
            for (Measure m : s.figures()) {
                out.add(List.of(s.platform(), m.label(), num(m.value().estimate()), num(m.value().low()),
                        num(m.value().high()), m.unit(), s.verdict().toString()));
            }
            for (int i = 0; i < s.output().size(); i++) {
                out.add(List.of(s.platform(), "output line " + (i + 1), "", "", "", "", s.output().get(i)));
            }
        }
        return out;
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.valueOf(v) : "";
    }
}
