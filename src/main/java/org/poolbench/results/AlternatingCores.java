package org.poolbench.results;

import java.util.ArrayList;
import java.util.List;

/**
 * Points measured together: one JMH benchmark JVM whose CPU mask is switched between iterations, so that the points it
 * stands for (sequential at 1 core and at 2 cores, say) share every phase of a machine whose speed moves, instead of
 * each having a block of time of its own. JMH reports the iterations as one result; {@link JmhJson} and
 * {@link IterationsCsv} split them back into one point per core count with {@link #coresIndex}.
 *
 * <p>The JMH parameter {@value #PARAM} lists the core counts, separated by {@code /} (JMH's {@code -p} already uses
 * commas): {@code 1/2}. Empty means the benchmark keeps the mask it was started with. Iterations visit the core counts
 * forward, then backward (A B B A A B …, or A B C C B A …), so a steady drift falls on every count alike.
 */
public final class AlternatingCores {

    /** The JMH parameter that lists the core counts. */
    public static final String PARAM = "alternateCores";

    private AlternatingCores() {
    }

    /**
     * The core counts of a {@value #PARAM} value, in order; empty for an empty value.
     *
     * @throws IllegalArgumentException naming the value, when a count is not a positive integer or appears twice
     */
    public static List<Integer> parse(String value) {
        List<Integer> counts = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return counts;
        }
        for (String part : value.split("/")) {
            int k;
            try {
                k = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                k = 0;
            }
            if (k <= 0 || counts.contains(k)) {
                throw new IllegalArgumentException(PARAM + " '" + value + "': '" + part
                        + "' is not a positive core count listed once; valid: counts separated by '/', e.g. 1/2");
            }
            counts.add(k);
        }
        return counts;
    }

    /**
     * Which of {@code n} core counts the 0-based iteration {@code iteration} (of one fork; warm-up and measurement
     * each counted from 0) runs with: rounds of n iterations, forward in even rounds and backward in odd ones.
     */
    public static int coresIndex(int iteration, int n) {
        if (n <= 0 || iteration < 0) {
            throw new IllegalArgumentException("iteration " + iteration + " of " + n + " core counts");
        }
        int round = iteration / n;
        int pos = iteration % n;
        return round % 2 == 0 ? pos : n - 1 - pos;
    }
}
