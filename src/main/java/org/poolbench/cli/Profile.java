package org.poolbench.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long and how carefully to measure.
 *
 * <ul>
 *   <li>{@code smoke}: a first look and CI: one fork, half-second iterations, few points; about 3 minutes.</li>
 *   <li>{@code quick} (the default): one fork, one warm-up and 5 measured one-second iterations, every point; about
 *   20 minutes on 2 cores, the CPython baseline included.</li>
 *   <li>{@code full}: paper grade: 3 forks, 10 two-second iterations after 5 of warm-up; hours.</li>
 * </ul>
 */
enum Profile {
    SMOKE(1, 1, 300, 2, 500),
    QUICK(1, 1, 1000, 5, 1000),
    FULL(3, 5, 2000, 10, 2000);

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
        return List.of("-f", String.valueOf(forks),
                "-wi", String.valueOf(warmupIterations), "-w", warmupMillis + "ms",
                "-i", String.valueOf(iterations), "-r", iterationMillis + "ms");
    }

    /** Seconds one parameter combination takes, JVM start and set-up included (for the estimate). */
    double secondsPerPoint() {
        return forks * ((warmupIterations * warmupMillis + iterations * iterationMillis) / 1000.0 + 2.0);
    }

    /** Core counts of a scaling curve on a machine of {@code cpus} CPUs. */
    List<Integer> coreCounts(int cpus) {
        return this == SMOKE ? List.of(cpus) : Cpus.doublings(cpus);
    }
}
