package org.poolbench.results;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Points measured together: one JMH benchmark JVM that switches, iteration by iteration, between the points it stands
 * for (sequential at 1 core and at 2 cores; or sequential, thread-pool and process-pool on one task size), so that
 * they share every phase of a machine whose speed moves, instead of each having a block of time of its own. JMH
 * reports the iterations as one result; {@link JmhJson} and {@link IterationsCsv} split them back into one point per
 * value with {@link #index}.
 *
 * <p>Two parameters alternate, their values separated by {@code /} (JMH's {@code -p} already splits on commas):
 * <ul>
 *   <li>{@value #CORES} lists core counts ({@code 1/2}); the JVM switches its CPU mask. Empty: it keeps its mask.</li>
 *   <li>{@code backend} itself may list backends ({@code sequential/thread-pool/process-pool}); the benchmark keeps
 *   them all running and uses one per iteration. An entry may carry its own cores and workers
 *   ({@code thread-pool@1:1}, {@link #entry}): that backend with that many workers, its turns on that many CPUs, so
 *   that a one-worker pool at 1 core or 4 workers on 2 cores share the stretch of time of the baseline they are
 *   divided by.</li>
 *   <li>{@value #WORKERS} lists thread counts ({@code 1/2}): the machine ceiling's spin loop on one thread and on k,
 *   whose ratio is only as sound as the two share the machine's phases. With {@value #CORES} beside it, the i-th
 *   thread count runs on the i-th core count ({@link #workerTurns}); never with several backends.</li>
 *   <li>{@value #TASK_SIZE} lists the granularity family's task sizes ({@code 300/1000/2000/3000}): every backend
 *   of the list takes its turn at each size, size by size ({@link #withTaskSizes}), so that one JVM, warmed once,
 *   measures the whole sweep. Never with {@value #CORES} or {@value #WORKERS}.</li>
 * </ul>
 * The first two may be set at once: sequential then takes its turns at each listed count and the other backends at the
 * JVM's {@code cores} ({@link #turns}), so that sequential's 1-core baseline and the full-core points it divides share
 * one stretch of time. Iterations visit the points forward, then backward (A B B A A B …, or A B C C B A …), so a
 * steady drift falls on every point alike.
 */
public final class Alternation {

    /** The JMH parameter that lists core counts to switch the CPU mask between. */
    public static final String CORES = "alternateCores";

    /** The JMH parameter whose value may list backends, separated by {@link #SEPARATOR}. */
    public static final String BACKEND = "backend";

    /** The JMH parameter that lists thread counts to switch between (the ceiling's 1 and k). */
    public static final String WORKERS = "alternateWorkers";

    /** The JMH parameter that may list task sizes, separated by {@link #SEPARATOR}. */
    public static final String TASK_SIZE = "taskSize";

    /** Separates the alternated values. */
    public static final String SEPARATOR = "/";

    /** Starts a backend entry's own {@code cores:workers} ({@link #entry}). */
    public static final String AT = "@";

    private Alternation() {
    }

    /**
     * The core counts of a {@value #CORES} value, in order; empty for an empty value.
     *
     * @throws IllegalArgumentException naming the value, when a count is not a positive integer or appears twice
     */
    public static List<Integer> cores(String value) {
        return counts(CORES, value, "core count");
    }

    /**
     * The thread counts of a {@value #WORKERS} value, in order; empty for an empty value.
     *
     * @throws IllegalArgumentException naming the value, when a count is not a positive integer or appears twice
     */
    public static List<Integer> workers(String value) {
        return counts(WORKERS, value, "thread count");
    }

    /**
     * The task sizes of a {@value #TASK_SIZE} value, in order: one for a plain size, several for a '/'-list.
     *
     * @throws IllegalArgumentException naming the value, when a size is not a positive integer or appears twice
     */
    public static List<Integer> taskSizes(String value) {
        List<Integer> sizes = counts(TASK_SIZE, value, "task size");
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException(TASK_SIZE + " '" + value + "': valid: a positive task size, or several "
                    + "separated by '/', e.g. 300/1000");
        }
        return sizes;
    }

    /**
     * The points of a JVM whose backends take turns at each of {@code sizes} task sizes, in the order {@link #index}
     * numbers them: the {@code turns} of the first size, then those of the next; point p is {@code turns}' entry
     * {@code p % turns.size()} at size {@code p / turns.size()}.
     */
    public static <T> List<Map.Entry<T, Integer>> withTaskSizes(List<T> turns, List<Integer> sizes) {
        List<Map.Entry<T, Integer>> out = new ArrayList<>();
        for (int size : sizes) {
            turns.forEach(t -> out.add(Map.entry(t, size)));
        }
        return out;
    }

    private static List<Integer> counts(String param, String value, String what) {
        List<Integer> counts = new ArrayList<>();
        for (String part : values(param, value)) {
            int k;
            try {
                k = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                k = 0;
            }
            if (k <= 0) {
                throw new IllegalArgumentException(param + " '" + value + "': '" + part
                        + "' is not a positive " + what + "; valid: counts separated by '/', e.g. 1/2");
            }
            counts.add(k);
        }
        return counts;
    }

    /**
     * One point of an alternating JVM: a backend at a core count, with {@code workers} threads where the JVM takes
     * turns between thread counts (0: the JVM's own {@code workers}).
     */
    public record Turn(String backend, int cores, int workers) {

        Turn(String backend, int cores) {
            this(backend, cores, 0);
        }
    }

    /**
     * The points a JVM takes turns between, in the order {@link #index} numbers them: with {@value #CORES} set,
     * {@code sequential} at each of its counts first, then every other entry of {@code backendParam} at
     * {@code cores} or at its own ({@link #turn}); without it, each entry so.
     *
     * @throws IllegalArgumentException naming the values, when {@value #CORES} is set and {@code backendParam} does
     *                                  not name {@code sequential}, or when a list is malformed
     */
    public static List<Turn> turns(String backendParam, String coresParam, int cores) {
        List<String> names = backends(backendParam);
        List<Integer> counts = cores(coresParam);
        List<Turn> out = new ArrayList<>();
        if (counts.isEmpty()) {
            names.forEach(b -> out.add(turn(b, cores)));
            return out;
        }
        if (!names.contains(SEQUENTIAL)) {
            throw new IllegalArgumentException(CORES + " '" + coresParam + "' switches sequential's cores, but "
                    + BACKEND + " '" + backendParam + "' has no sequential; valid: a backend list naming sequential");
        }
        counts.forEach(k -> out.add(new Turn(SEQUENTIAL, k)));
        names.stream().filter(b -> !b.equals(SEQUENTIAL)).forEach(b -> out.add(turn(b, cores)));
        return out;
    }

    /**
     * The entry of a backend list for {@code backend} with its own {@code workers} on {@code cores} CPUs:
     * {@code thread-pool@1:1}.
     */
    public static String entry(String backend, int cores, int workers) {
        return backend + AT + cores + ":" + workers;
    }

    /** The backend an entry names: {@code thread-pool} for {@code thread-pool@1:1} or {@code thread-pool}. */
    public static String backendOf(String entry) {
        int at = entry.indexOf(AT);
        return at < 0 ? entry : entry.substring(0, at);
    }

    /**
     * The point an entry of a backend list stands for: a plain name at the JVM's {@code cores} with its
     * {@code workers}; {@code name@c:w} ({@link #entry}) with w workers on c CPUs.
     *
     * @throws IllegalArgumentException naming the entry, when c or w is not a positive integer, or c exceeds
     *                                  {@code cores} (where that is known, above 0)
     */
    public static Turn turn(String entry, int cores) {
        int at = entry.indexOf(AT);
        if (at < 0) {
            return new Turn(entry, cores);
        }
        String[] cw = entry.substring(at + 1).split(":", -1);
        int c = cw.length == 2 ? positive(cw[0]) : 0;
        int w = cw.length == 2 ? positive(cw[1]) : 0;
        if (at == 0 || c <= 0 || w <= 0 || (cores > 0 && c > cores)) {
            throw new IllegalArgumentException(BACKEND + " entry '" + entry + "': valid: a backend name, or "
                    + "name@cores:workers with positive counts and cores at most the JVM's " + cores
                    + ", e.g. thread-pool@1:1");
        }
        return new Turn(entry.substring(0, at), c, w);
    }

    private static int positive(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0; // not a count: the caller names the entry
        }
    }

    /**
     * The points of a JVM that takes turns between the thread counts of {@code workersParam} ({@value #WORKERS}), in
     * the order {@link #index} numbers them: {@code backend} with each count, at {@code cores}, or, where
     * {@code coresParam} ({@value #CORES}) lists as many core counts, the i-th count of threads on the i-th of cores
     * (the ceiling's {@code 1/2} threads on {@code 1/2} cores: one thread on the fastest CPU, two on both).
     *
     * @throws IllegalArgumentException naming the values, when a list is malformed, names fewer than two thread
     *                                  counts, or the two lists differ in length
     */
    public static List<Turn> workerTurns(String backend, String workersParam, String coresParam, int cores) {
        List<Integer> counts = workers(workersParam);
        List<Integer> on = cores(coresParam);
        if (counts.size() < 2 || !(on.isEmpty() || on.size() == counts.size())) {
            throw new IllegalArgumentException(WORKERS + " '" + workersParam + "' with " + CORES + " '" + coresParam
                    + "'; valid: two or more thread counts separated by '/', e.g. 1/2, and as many core counts or none");
        }
        List<Turn> out = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            out.add(new Turn(backend, on.isEmpty() ? cores : on.get(i), counts.get(i)));
        }
        return out;
    }

    /** The backend whose core counts {@value #CORES} switches. */
    public static final String SEQUENTIAL = "sequential";

    /** The backends of a {@code backend} value: one, or several separated by {@value #SEPARATOR}. */
    public static List<String> backends(String value) {
        List<String> names = values(BACKEND, value);
        return names.isEmpty() ? List.of(value == null ? "" : value) : names;
    }

    /** The values of a '/'-list, stripped; empty for an empty value; each must be there once and not blank. */
    private static List<String> values(String param, String value) {
        List<String> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String part : value.split(SEPARATOR, -1)) {
            String v = part.strip();
            if (v.isEmpty() || out.contains(v) || v.contains(",")) {
                throw new IllegalArgumentException(param + " '" + value + "': '" + part + "' is blank, repeated or "
                        + "holds a comma; valid: values listed once, separated by '/', e.g. 1/2");
            }
            out.add(v);
        }
        return out;
    }

    /**
     * Which of {@code n} alternated values the 0-based iteration {@code iteration} (of one fork; warm-up and
     * measurement each counted from 0) runs with: rounds of n iterations, forward in even rounds and backward in odd.
     */
    public static int index(int iteration, int n) {
        if (n <= 0 || iteration < 0) {
            throw new IllegalArgumentException("iteration " + iteration + " of " + n + " alternated values");
        }
        int round = iteration / n;
        int pos = iteration % n;
        return round % 2 == 0 ? pos : n - 1 - pos;
    }

    /** Receives one measured iteration of a JMH result, placed in the point it ran with. */
    @FunctionalInterface
    public interface IterationVisitor {
        /**
         * @param fork   the fork, 0-based
         * @param point  which of the alternated values (0 when nothing alternated)
         * @param number the iteration's number within its point and fork, 1-based, in the order they ran
         * @param value  its score, NaN if JMH wrote none that is a finite number
         */
        void visit(int fork, int point, int number, double value);
    }

    /**
     * Walks a metric's {@code rawData} (one array of iteration scores per fork), telling {@code visitor} which of
     * {@code points} alternated values each iteration ran with ({@link #index}) and its number within that point. An
     * iteration JMH wrote as {@code "NaN"}, or not as a number, keeps its place in the order and arrives as NaN.
     */
    public static void forEachIteration(JsonElement rawData, int points, IterationVisitor visitor) {
        if (rawData == null || !rawData.isJsonArray()) {
            return;
        }
        JsonArray forks = rawData.getAsJsonArray();
        for (int f = 0; f < forks.size(); f++) {
            if (!forks.get(f).isJsonArray()) {
                continue;
            }
            JsonArray values = forks.get(f).getAsJsonArray();
            int[] numbered = new int[points];
            for (int i = 0; i < values.size(); i++) {
                int point = index(i, points);
                visitor.visit(f, point, ++numbered[point], finite(values.get(i)));
            }
        }
    }

    /** A JSON score as a finite double, else NaN (gson also parses JMH's strings "NaN" and "Infinity"). */
    static double finite(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return Double.NaN;
        }
        try {
            double d = e.getAsDouble();
            return Double.isFinite(d) ? d : Double.NaN;
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
            return Double.NaN; // a cell that is not a number: no value
        }
    }
}
