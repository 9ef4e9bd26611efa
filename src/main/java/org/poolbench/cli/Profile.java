package org.poolbench.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long and how carefully to measure.
 *
 * <p>Warm-up is by time (seconds of jobs, so that C2 has compiled the task and the backend whatever a job's length);
 * measurement is many short iterations. An iteration lasts at least one job, so a job longer than an iteration makes
 * every iteration one job (single-shot measurement with many iterations); a short job fills an iteration with many.
 * Many iterations matter more than long ones: the error is Student's t over iterations, and t(0.9995) falls from 8.6
 * at 5 iterations to 4.1 at 15 (docs/METHODOLOGY.md).
 *
 * <ul>
 *   <li>{@code smoke}: a first look and CI: one fork, 0.3 s of warm-up and 3 iterations of 0.2 s, few points; about
 *   5 minutes.</li>
 *   <li>{@code quick} (the default): one fork, 1.5 s of warm-up and 15 iterations of 0.2 s, every claim's points
 *   (scaling's full-core and sequential points 45, its points in between 8: {@link Plan#PRECISE_ITERATIONS}; the
 *   points it leaves to full are listed as skipped); about 26 minutes on 2 cores, the CPython baseline
 *   included.</li>
 *   <li>{@code full}: paper grade: 3 forks, 3 × 2 s of warm-up and 30 iterations of 0.5 s each; hours.</li>
 * </ul>
 */
enum Profile {
    SMOKE(1, 1, 300, 3, 200),
    QUICK(1, 1, 1500, 15, 200),
    FULL(3, 3, 2000, 30, 500);

    /** Seconds a JMH fork takes beyond its iterations: JVM start, set-up (pools, warm-up jobs), tear-down. */
    static final double FORK_SECONDS = 1.5;

    final int forks;
    final int warmupIterations;
    final int warmupMillis;
    final int iterations;
    final int iterationMillis;

    Profile(int forks, int warmupIterations, int warmupMillis, int iterations, int iterationMillis) {
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.warmupMillis = warmupMillis;
        this.iterations = iterations;
        this.iterationMillis = iterationMillis;
    }

    /** The name users type. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static List<String> names() {
        return Arrays.stream(values()).map(Profile::id).toList();
    }

    static Profile of(String name) {
        for (Profile p : values()) {
            if (p.id().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "unknown profile '" + name + "'; valid profiles: " + String.join(", ", names()));
    }

    /** The JMH options for this profile. */
    List<String> jmhArgs() {
        return jmhArgs(warmupIterations, iterations, iterationMillis);
    }

    /** The JMH options for this profile and {@code inv} (which may ask for its own number of iterations). */
    List<String> jmhArgs(JmhInvocation inv) {
        return jmhArgs(warmupIterations(inv), measuredIterations(inv), iterationMillis(inv));
    }

    private List<String> jmhArgs(int warmups, int measured, int millis) {
        return List.of("-f", String.valueOf(forks),
                "-wi", String.valueOf(warmups), "-w", warmupMillis + "ms",
                "-i", String.valueOf(measured), "-r", millis + "ms");
    }

    /** The measured iteration's length for {@code inv}: its own if it asks for one, else the profile's. */
    int iterationMillis(JmhInvocation inv) {
        return inv.iterationMillis() > 0 ? inv.iterationMillis() : iterationMillis;
    }

    int warmupIterations(JmhInvocation inv) {
        return inv.warmupIterations() > 0 ? inv.warmupIterations() : warmupIterations;
    }

    int measuredIterations(JmhInvocation inv) {
        return inv.iterations() > 0 ? inv.iterations() : iterations;
    }

    /**
     * Seconds one parameter combination of {@code inv} takes (for the estimate): per fork, JVM start and set-up (which
     * runs two warm-up jobs), then every iteration, each as long as the jobs it takes to reach its time (JMH ends an
     * iteration after the first job that reaches it).
     */
    double secondsPerPoint(JmhInvocation inv) {
        double op = inv.opSeconds();
        return forks * (FORK_SECONDS + 2 * op + warmupIterations(inv) * iterationSeconds(warmupMillis, op)
                + measuredIterations(inv) * iterationSeconds(iterationMillis(inv), op));
    }

    private static double iterationSeconds(int millis, double op) {
        double limit = millis / 1000.0;
        return op <= 0 ? limit : Math.ceil(limit / op) * op;
    }

    /** Core counts of a scaling curve on a machine of {@code cpus} CPUs. */
    List<Integer> coreCounts(int cpus) {
        return this == SMOKE ? List.of(cpus) : Cpus.doublings(cpus);
    }
}
