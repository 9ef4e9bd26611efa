package org.poolbench.bench;

/** Checks that a benchmark runs on the number of CPUs its results will claim. */
final class Cores {

    private Cores() {
    }

    /**
     * Throws unless this JVM sees {@code expected} processors; 0 skips the check. The JVM derives its processor count
     * from the affinity mask (taskset) and cgroup limits, so this catches a run whose pinning did not work.
     */
    static void check(int expected) {
        int actual = Runtime.getRuntime().availableProcessors();
        if (expected != 0 && expected != actual) {
            throw new IllegalStateException("benchmark claims " + expected + " cores but this JVM has " + actual
                    + " available processors; was it started under taskset?");
        }
    }
}
