package org.poolbench.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.poolbench.results.Alternation;

/**
 * One run of JMH in its own JVM, pinned to {@code cores} CPUs: a benchmark class and the parameter values to cross.
 *
 * @param family the family, for progress lines
 * @param benchmark the JMH include pattern, e.g. {@code ScalingBenchmark}
 * @param cores the CPUs this run is pinned to; also passed as the {@code cores} parameter, which the benchmark checks
 * @param params JMH {@code @Param} values, crossed by JMH
 * @param methods benchmark methods the pattern selects
 * @param opSeconds the expected time of one operation (one job) of a typical point, for the estimate: an iteration
 *                  lasts at least one operation; 0 when operations are far shorter than an iteration
 * @param warmupIterations warm-up iterations instead of the profile's (0: the profile's)
 * @param iterations measured iterations instead of the profile's (0: the profile's); for points whose jobs take
 *                   seconds, where the profile's count would take minutes per point
 * @param iterationMillis length of a measured iteration instead of the profile's (0: the profile's); for short jobs
 *                        whose collections fall unevenly into short iterations
 */
record JmhInvocation(String family, String benchmark, int cores, Map<String, List<String>> params, int methods,
                     double opSeconds, int warmupIterations, int iterations, int iterationMillis) {

    JmhInvocation {
        params = new LinkedHashMap<>(params);
        if (opSeconds < 0 || warmupIterations < 0 || iterations < 0 || iterationMillis < 0) {
            throw new IllegalArgumentException("opSeconds and iteration counts must be >= 0");
        }
    }

    /** An invocation of a pattern that selects {@code methods} benchmark methods. */
    JmhInvocation(String family, String benchmark, int cores, Map<String, List<String>> params, int methods) {
        this(family, benchmark, cores, params, methods, 0, 0, 0, 0);
    }

    /** An invocation of a pattern that selects one benchmark method. */
    JmhInvocation(String family, String benchmark, int cores, Map<String, List<String>> params) {
        this(family, benchmark, cores, params, 1);
    }

    /** This invocation, expecting operations of {@code seconds}. */
    JmhInvocation expecting(double seconds) {
        return new JmhInvocation(family, benchmark, cores, params, methods, seconds, warmupIterations, iterations,
                iterationMillis);
    }

    /** This invocation with {@code warmups} warm-up and {@code n} measured iterations instead of the profile's. */
    JmhInvocation withIterations(int warmups, int n) {
        return new JmhInvocation(family, benchmark, cores, params, methods, opSeconds, warmups, n, iterationMillis);
    }

    /** This invocation with measured iterations of {@code millis} instead of the profile's. */
    JmhInvocation withIterationMillis(int millis) {
        return new JmhInvocation(family, benchmark, cores, params, methods, opSeconds, warmupIterations, iterations,
                millis);
    }

    /**
     * How many results JMH will report: parameter combinations times benchmark methods (an upper bound). A result
     * alternating between points ({@link Alternation}) counts once, with all their iterations.
     */
    int points() {
        int n = methods;
        for (List<String> values : params.values()) {
            n *= values.size();
        }
        return n;
    }

    /** How many points results.csv will get: {@link #points()}, each alternating result counted once per point. */
    int reportedPoints() {
        return points() * alternated();
    }

    /**
     * How many points each result alternates between: 1, the listed core counts or backends, or both
     * ({@link Alternation#turns}: sequential at each count, the other backends once), the listed thread counts, or
     * the backends times the listed task sizes.
     */
    int alternated() {
        int counts = 0;
        for (String v : params.getOrDefault(Alternation.CORES, List.of())) {
            counts = Math.max(counts, Alternation.cores(v).size());
        }
        int backends = 1;
        for (String v : params.getOrDefault(Alternation.BACKEND, List.of())) {
            backends = Math.max(backends, Alternation.backends(v).size());
        }
        int threads = 0;
        for (String v : params.getOrDefault(Alternation.WORKERS, List.of())) {
            threads = Math.max(threads, Alternation.workers(v).size()); // paired with any core counts (workerTurns)
        }
        int sizes = 1;
        for (String v : params.getOrDefault(Alternation.TASK_SIZE, List.of())) {
            sizes = Math.max(sizes, Alternation.taskSizes(v).size()); // every backend at each size
        }
        return threads > 0 ? threads : counts == 0 ? backends * sizes : counts + backends - 1;
    }

    /** The JMH arguments that select this invocation's benchmark and parameters. */
    List<String> jmhArgs() {
        List<String> args = new ArrayList<>();
        args.add(benchmark.contains(".") ? benchmark : "\\." + benchmark + "\\.");
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            args.add("-p");
            args.add(e.getKey() + "=" + String.join(",", e.getValue()));
        }
        return args;
    }

    /** A short description for progress lines. */
    String describe() {
        StringBuilder sb = new StringBuilder(family).append(", ").append(cores)
                .append(cores == 1 ? " core" : " cores");
        params.forEach((k, v) -> {
            if (!k.equals("cores")) {
                sb.append(", ").append(k).append('=').append(String.join(",", v));
            }
        });
        return sb.toString();
    }
}
