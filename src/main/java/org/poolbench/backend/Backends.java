package org.poolbench.backend;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntFunction;
import org.poolbench.pool.ProcessPool;

/** The backends by the names users see. */
public final class Backends {

    /** The name of the thread the {@code sequential} backend runs its jobs on (for pinning it; see bench/). */
    public static final String SEQUENTIAL_THREAD = SequentialBackend.THREAD_NAME;

    /** Every backend, in the order charts and tables list them. */
    public enum Kind {
        SEQUENTIAL("sequential", false, w -> new SequentialBackend()),
        THREAD_POOL("thread-pool", false,
                w -> new ExecutorBackend("thread-pool", w, Executors.newFixedThreadPool(w, daemonThreads()))),
        FORK_JOIN("fork-join", false, w -> new ExecutorBackend("fork-join", w, new ForkJoinPool(w))),
        VIRTUAL_THREADS("virtual-threads", false, VirtualThreadBackend::new),
        THREAD_PER_TASK("thread-per-task", false, ThreadPerTaskBackend::new),
        PROCESS_POOL("process-pool", true, w -> new ProcessPoolBackend(w, ProcessPool.Transport.PIPE)),
        /** The process pool over shared memory instead of pipes (measured by the granularity and transport families). */
        PROCESS_POOL_SHM("process-pool-shm", true, w -> new ProcessPoolBackend(w, ProcessPool.Transport.SHARED_MEMORY)),
        PROCESS_PER_TASK("process-per-task", true, ProcessPerTaskBackend::new),
        /** Hazelcast members: one single-core member JVM per worker, or running members (see ClusterBackend). */
        CLUSTER("cluster", true, ClusterBackend::create);

        private final String id;
        private final boolean processes;
        private final IntFunction<Backend> factory;

        Kind(String id, boolean processes, IntFunction<Backend> factory) {
            this.id = id;
            this.processes = processes;
            this.factory = factory;
        }

        /** The name users see. */
        public String id() {
            return id;
        }

        /** True where tasks run in other JVMs. */
        public boolean usesProcesses() {
            return processes;
        }
    }

    private Backends() {
    }

    /** The names of every backend, for help texts and error messages. */
    public static List<String> names() {
        return Arrays.stream(Kind.values()).map(Kind::id).toList();
    }

    /** The backend called {@code name}; an {@link IllegalArgumentException} naming the valid choices otherwise. */
    public static Kind kind(String name) {
        for (Kind k : Kind.values()) {
            if (k.id.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown backend '" + name + "'; valid backends: " + String.join(", ", names()));
    }

    /** A new backend called {@code name} with {@code workers} workers ({@code sequential} always has one). */
    public static Backend create(String name, int workers) {
        Kind kind = kind(name);
        return kind.factory.apply(checkWorkers(workers));
    }

    static int checkWorkers(int workers) {
        if (workers <= 0) {
            throw new IllegalArgumentException("workers must be a positive integer, got " + workers);
        }
        return workers;
    }

    /**
     * The system property that carries extra JVM options for every worker JVM a backend starts, separated by commas
     * (JMH splits {@code -jvmArgs} at spaces, so a list must not contain any). The run sets it in every benchmark JVM
     * so that worker JVMs run with fixed, recorded settings (docs/METHODOLOGY.md); absent, workers get only the
     * pool's own start-up flags.
     */
    public static final String WORKER_JVM_ARGS = "poolbench.workerJvmArgs";

    /** The options of {@link #WORKER_JVM_ARGS} in order; empty when it is not set. */
    public static List<String> workerJvmArgs() {
        String value = System.getProperty(WORKER_JVM_ARGS, "");
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        return Thread.ofPlatform().name("poolbench-thread-pool-", 0).daemon().factory();
    }
}
