package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Units;

/**
 * How far the run's figures can be trusted: per family, the median relative error (JMH's 99.9 % half-width over the
 * score) and the points whose relative error exceeds {@link #NOISY}, which a reader should not cite alone.
 *
 * @param noisy the points above the limit, noisiest first
 */
public record QualityView(List<ResultRow> noisy, String lesson, Table table) implements View {

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

    static QualityView of(List<ResultRow> measured) {
        List<ResultRow> withError = measured.stream().filter(r -> r.scoreError() != null && r.score() != 0).toList();
        if (withError.isEmpty()) {
            return null;
        }
        Map<String, List<Double>> byFamily = new TreeMap<>();
        withError.forEach(r -> byFamily.computeIfAbsent(r.family(), f -> new ArrayList<>()).add(Units.relativeError(r)));
        List<ResultRow> noisy = withError.stream().filter(r -> Units.relativeError(r) > NOISY)
                .sorted(Comparator.comparingDouble(r -> -Units.relativeError(r))).toList();
        List<String> medians = new ArrayList<>();
        byFamily.forEach((f, errors) -> medians.add(f + " " + Format.percent(median(errors))));
        String lesson = "Median relative error (99.9 % half-width / score): " + String.join(", ", medians) + ". "
                + noisy.size() + " of " + withError.size() + " points exceed " + Format.percent(NOISY)
                + (noisy.isEmpty() ? "." : "; they are listed here and should not be cited alone.");
        List<List<String>> lines = noisy.stream().map(r -> List.of(Format.describe(r),
                Format.number(r.score()) + " ± " + Format.number(r.scoreError()) + " " + r.unit(),
                Format.percent(Units.relativeError(r)))).toList();
        return new QualityView(noisy, lesson, new Table(List.of("point", "score", "relative error"), lines));
    }

    static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
