package org.poolbench.cli;

import java.util.List;
import java.util.TreeSet;

/**
 * The plan of the two families from the teaching material's shared state and messages (docs/SEEDS.md): sync (lost
 * updates and the locks that prevent them) and ipc (messages between threads and between processes), both at the
 * run's top core count. Their entries in {@link Family} point here.
 */
final class LessonPlan {

    private LessonPlan() {
    }

    /**
     * The sync family (shared state, threads against processes), at the top core count. Its thread methods run when
     * {@code thread-pool} is among the backends, its process methods when {@code process-pool} is. smoke: a few
     * points; quick: three contender counts; full: every contender count 1..4.
     */
    static void sync(Plan plan, Plan.Request q) {
        boolean threads = q.backends().contains("thread-pool");
        boolean processes = q.backends().contains("process-pool");
        boolean smoke = q.profile() == Profile.SMOKE;
        boolean full = q.profile() == Profile.FULL;
        int top = q.top();
        List<Integer> k = smoke ? List.of(1, 2) : full ? List.of(1, 2, 3, 4) : List.of(1, 2, 4);
        List<Integer> n = List.of(smoke ? 100_000 : 1_000_000);
        if (threads) {
            List<String> primitives = smoke ? List.of("none", "atomic-long")
                    : List.of("none", "synchronized", "reentrant-lock", "atomic-long", "long-adder");
            plan.invocations.add(new JmhInvocation("sync", "\\.SyncBenchmark\\.threads$", top,
                    Plan.params("workers", k, "increments", n, "primitive", primitives)));
        }
        if (processes) {
            List<String> primitives = smoke ? List.of("shm-none", "shm-lock")
                    : List.of("shm-none", "shm-atomic", "shm-lock");
            plan.invocations.add(new JmhInvocation("sync", "\\.SyncBenchmark\\.processes$", top,
                    Plan.params("workers", smoke ? List.of(2) : k, "increments", n, "primitive", primitives)));
        }
    }

    /**
     * The ipc family (messages, threads against processes), at the top core count. Its thread methods run when
     * {@code thread-pool} is among the backends, its process methods when {@code process-pool} is. smoke: a few
     * points; quick: three message sizes, enough for both charts; full: every size the class declares.
     */
    static void ipc(Plan plan, Plan.Request q) {
        boolean threads = q.backends().contains("thread-pool");
        boolean processes = q.backends().contains("process-pool");
        boolean smoke = q.profile() == Profile.SMOKE;
        boolean full = q.profile() == Profile.FULL;
        int top = q.top();
        List<Integer> sizes = smoke ? List.of(8) : full ? List.of(8, 1024, 65_536, 1_048_576)
                : List.of(8, 8192, 1_048_576);
        if (threads) {
            plan.invocations.add(new JmhInvocation("ipc", "\\.IpcBenchmark\\.threadRoundTrip$", top,
                    Plan.params("transport", smoke ? List.of("synchronous-queue")
                            : List.of("array-blocking-queue", "linked-transfer-queue", "synchronous-queue"),
                            "messageBytes", sizes)));
        }
        if (processes) {
            plan.invocations.add(new JmhInvocation("ipc", "\\.IpcBenchmark\\.processRoundTrip$", top,
                    Plan.params("transport", List.of("pipe", "socket", "ring", "manager"), "messageBytes", sizes)));
        }
        if (!smoke && threads) {
            plan.invocations.add(new JmhInvocation("ipc", "\\.IpcBenchmark\\.threadStream$", top,
                    Plan.params("transport", List.of("array-blocking-queue", "linked-transfer-queue",
                            "synchronous-queue"), "messageBytes", sizes)));
        }
        if (!smoke) { // the reference for the ring at large sizes
            plan.invocations.add(new JmhInvocation("ipc", "\\.IpcBenchmark\\.memoryCopy$", top,
                    Plan.params("messageBytes", sizes)));
        }
        if (processes) {
            plan.invocations.add(new JmhInvocation("ipc", "\\.IpcBenchmark\\.processStream$", top,
                    Plan.params("transport", smoke ? List.of("pipe", "ring") : List.of("pipe", "socket", "ring",
                            "manager"), "messageBytes", smoke ? List.of(1_048_576) : sizes)));
            // "Queue for many producers": k producer JVMs into one ring, or one pipe each
            plan.invocations.add(new JmhInvocation("ipc", "\\.IpcBenchmark\\.manyProducers$", top,
                    Plan.params("transport", List.of("ring", "pipes"), "workers", producers(q.profile(), top))));
        }
    }

    /**
     * The producer counts k of {@code IpcBenchmark.manyProducers} (and of CPython's twin): smoke only the top core
     * count, at least 2 (one producer is two ends); quick 1, 2, 4 and the top core count; full also twice the top
     * core count.
     */
    static List<Integer> producers(Profile profile, int top) {
        if (profile == Profile.SMOKE) {
            return List.of(Math.max(2, top));
        }
        TreeSet<Integer> k = new TreeSet<>(List.of(1, 2, 4));
        k.add(top);
        if (profile == Profile.FULL) {
            k.add(2 * top);
        }
        return List.copyOf(k);
    }
}
