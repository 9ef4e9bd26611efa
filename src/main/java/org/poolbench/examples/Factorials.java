package org.poolbench.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.poolbench.pool.ProcessPool;
import org.poolbench.workload.Factorial;

/**
 * The material's first experiment: three processes compute 50 000!, 60 000! and 70 000! at once (CPython: three
 * {@code multiprocessing.Process(target=compute_factorial, args=(n,))}, started, then joined). Here: three
 * one-worker {@link ProcessPool}s (a JVM each, as a {@code Process} is one interpreter each), one factorial each,
 * started together and then waited for; each worker reports its pid and the result's size. (A single pool of three
 * may hand two of three tasks to one worker: a pool balances tasks, it does not promise one per process.)
 *
 * <pre>java -cp target/benchmarks.jar org.poolbench.examples.Factorials</pre>
 */
public final class Factorials {
    private Factorials() {
    }

    /** In a worker: n!, reported as "n! has b bits (pid p)". */
    static String compute(Integer n) {
        return n + "! has " + Factorial.of(n).bitLength() + " bits (computed in process "
                + ProcessHandle.current().pid() + ")";
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(50_000, 60_000, 70_000);
        long start = System.nanoTime();
        List<ProcessPool> processes = new ArrayList<>();
        try {
            List<CompletableFuture<String>> running = new ArrayList<>();
            for (int n : sizes) {
                ProcessPool p = ProcessPool.builder().workers(1).build();
                processes.add(p);
                running.add(p.applyAsync(Factorials::compute, n));
            }
            for (CompletableFuture<String> r : running) {
                System.out.println(r.get());
            }
        } finally {
            processes.forEach(ProcessPool::close);
        }
        System.out.printf("parent %d: three factorials in %.2f s, pool start-up included%n",
                ProcessHandle.current().pid(), (System.nanoTime() - start) / 1e9);
    }
}
