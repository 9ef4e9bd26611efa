package org.poolbench.results;

import java.util.Map;

/** JMH's score units as times: every chart and table compares times in one unit. */
public final class Units {

    private static final Map<String, Double> MICROS_PER = Map.of(
            "ns", 1e-3, "us", 1.0, "µs", 1.0, "ms", 1e3, "s", 1e6, "min", 60e6);

    private Units() {
    }

    /**
     * The time per operation in microseconds for a JMH score: {@code x/op} units are times, {@code ops/x} units are
     * throughputs and are inverted. Returns {@code null} for units that are not a time (e.g. {@code MB}).
     */
    public static Double toMicros(double score, String unit) {
        if (unit == null) {
            return null;
        }
        int slash = unit.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String left = unit.substring(0, slash);
        String right = unit.substring(slash + 1);
        if (right.equals("op") && MICROS_PER.containsKey(left)) {
            return score * MICROS_PER.get(left);
        }
        if (left.equals("ops") && MICROS_PER.containsKey(right) && score > 0) {
            return MICROS_PER.get(right) / score;
        }
        return null;
    }

    /** The relative error of a score ({@code score_error / score}), 0 when unknown. */
    public static double relativeError(ResultRow r) {
        return r.scoreError() == null || r.score() == null || r.score() == 0 ? 0 : Math.abs(r.scoreError() / r.score());
    }
}
