package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.poolbench.results.IterationsCsv.Iteration;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Units;

/**
 * How far the run's figures can be trusted. First the run's checks of itself ({@link RunChecks}: sequential's
 * k-core / 1-core ratio, a one-worker pool against sequential at 1 core, every CPU-bound speedup against the machine
 * ceiling); then, per family, the median relative error (JMH's 99.9 % half-width over the score) and the points whose
 * relative error exceeds {@link #NOISY}, which a reader should not cite alone.
 *
 * @param checks the run's checks of itself, in order
 * @param noisy the points above the limit, noisiest first
 */
public record QualityView(List<RunChecks.Check> checks, List<ResultRow> noisy, String lesson, Table table)
        implements View {

    /** A point whose relative error exceeds this is flagged. */
    public static final double NOISY = 0.10;

    @Override
    public String title() {
        return "Measurement quality";
    }

    @Override
    public List<String> figures() {
        return List.of();
    }

    /** Whether every check the run made of itself was met. */
    public boolean checksPassed() {
        return checks.stream().allMatch(RunChecks.Check::passed);
    }

    static QualityView of(List<ResultRow> measured, List<Iteration> iterations) {
        List<RunChecks.Check> checks = RunChecks.of(measured, iterations);
        List<ResultRow> withError = measured.stream().filter(r -> r.scoreError() != null && r.score() != 0).toList();
        if (withError.isEmpty() && checks.isEmpty()) {
            return null;
        }
        Map<String, List<Double>> byFamily = new TreeMap<>();
        withError.forEach(r -> byFamily.computeIfAbsent(r.family(), f -> new ArrayList<>()).add(Units.relativeError(r)));
        List<ResultRow> noisy = withError.stream().filter(r -> Units.relativeError(r) > NOISY)
                .sorted(Comparator.comparingDouble(r -> -Units.relativeError(r))).toList();
        List<String> medians = new ArrayList<>();
        byFamily.forEach((f, errors) -> medians.add(f + " " + Format.percent(median(errors))));
        List<RunChecks.Check> missed = checks.stream().filter(c -> !c.passed()).toList();
        String lesson = (checks.isEmpty() ? "" : "Checks of the run itself: " + (checks.size() - missed.size())
                + " of " + checks.size() + " met" + (missed.isEmpty() ? ". "
                : "; " + String.join("; ", missed.stream().map(c -> c.result() + ": " + c.name() + " "
                + c.figure()).toList()) + ". A speedup over sequential at 1 core is only as sound as that "
                + "baseline. "))
                + (withError.isEmpty() ? "" : "Median relative error (99.9 % half-width / score): "
                + String.join(", ", medians) + ". " + noisy.size() + " of " + withError.size() + " points exceed "
                + Format.percent(NOISY) + (noisy.isEmpty() ? "." : "; they are listed here and should not be cited "
                + "alone."));
        List<List<String>> lines = new ArrayList<>();
        checks.forEach(c -> lines.add(List.of(c.name(), c.figure(), c.target(), c.result().toString())));
        noisy.forEach(r -> lines.add(List.of("noisy: " + Format.describe(r),
                Format.number(r.score()) + " ± " + Format.number(r.scoreError()) + " " + r.unit(),
                "relative error ≤ " + Format.percent(NOISY), Format.percent(Units.relativeError(r)))));
        return new QualityView(checks, noisy, lesson, new Table(List.of("check or point", "figure", "target",
                "result"), lines));
    }

    static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
