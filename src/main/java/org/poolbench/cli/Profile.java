package org.poolbench.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long and how carefully to measure. {@code smoke} is a first look (one fork, a second per iteration); {@code
 * quick}, the default, gives usable error bars on a laptop; {@code full} is paper grade (3 forks, long iterations).
 */
enum Profile {
    SMOKE(1, 1, 1, 2, 1),
    QUICK(1, 3, 1, 5, 1),
    FULL(3, 5, 2, 10, 2);

    final int forks;
    final int warmupIterations;
    final int warmupSeconds;
    final int iterations;
    final int iterationSeconds;

    Profile(int forks, int warmupIterations, int warmupSeconds, int iterations, int iterationSeconds) {
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.warmupSeconds = warmupSeconds;
        this.iterations = iterations;
        this.iterationSeconds = iterationSeconds;
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
                "-wi", String.valueOf(warmupIterations), "-w", warmupSeconds + "s",
                "-i", String.valueOf(iterations), "-r", iterationSeconds + "s");
    }

    /** Seconds one parameter combination takes in one fork, set-up and JVM start included (for the estimate). */
    double secondsPerPoint() {
        return forks * (warmupIterations * warmupSeconds + iterations * iterationSeconds + 2.0);
    }
}
