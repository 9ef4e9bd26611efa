package org.poolbench.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.poolbench.results.ResultRow;
import org.poolbench.results.Units;

/** Small questions every view asks of its rows, answered once. */
public final class Rows {

    private Rows() {
    }

    /** The rows of one family. */
    public static List<ResultRow> family(List<ResultRow> rows, String family) {
        return rows.stream().filter(r -> family.equals(r.family())).toList();
    }

    /** The row's time per operation in µs, or {@code null} when its unit is not a time (or it has no score). */
    public static Double micros(ResultRow r) {
        return r.score() == null ? null : Units.toMicros(r.score(), r.unit());
    }

    /** True for the baselines every speedup is relative to: {@code sequential} and {@code py-sequential}. */
    public static boolean isSequential(String backend) {
        return "sequential".equals(backend) || "py-sequential".equals(backend);
    }

    /** True for the CPython baseline's backends ({@code py-…}). */
    public static boolean isPython(String backend) {
        return backend != null && backend.startsWith("py-");
    }

    /** The value most rows have (the first of equals), or {@code null} for no rows. */
    public static <T> T mostCommon(List<ResultRow> rows, Function<ResultRow, T> f) {
        Map<T, Long> counts = new LinkedHashMap<>();
        rows.forEach(r -> counts.merge(f.apply(r), 1L, Long::sum));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    /** The distinct non-null values, sorted. */
    public static List<String> distinct(List<ResultRow> rows, Function<ResultRow, String> f) {
        return rows.stream().map(f).filter(Objects::nonNull).distinct().sorted().toList();
    }

    /** A number from a text cell, or {@code null}. */
    public static Double parse(String s) {
        try {
            return s == null ? null : Double.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The error of a time scaled like the time: {@code value × relative error of r}. */
    public static double scaledError(double value, ResultRow r) {
        return value * Units.relativeError(r);
    }
}
