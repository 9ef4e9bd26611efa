package org.poolbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.poolbench.backend.Backend;
import org.poolbench.backend.Backends;
import org.poolbench.workload.DownloadServer;
import org.poolbench.workload.Workload;
import org.poolbench.workload.Workloads;

/**
 * Resource cost: the peak resident memory of a backend while it runs a workload, this JVM plus every worker JVM it
 * started, sampled every 10 ms from {@code /proc}. Not a timing, so not a JMH benchmark: run-bench.sh starts one fresh
 * JVM per backend with this main class, so no backend inherits another's heap.
 *
 * <p>Usage: {@code java -cp target/benchmarks.jar org.poolbench.bench.ResourceProbe WORKLOAD BACKEND WORKERS JOBS};
 * prints one line {@code peak_rss_kb=<n> processes=<max processes seen> jobs=<n>}.
 */
public final class ResourceProbe {

    private ResourceProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ResourceProbe WORKLOAD BACKEND WORKERS JOBS");
            System.exit(2);
        }
        String workload = args[0];
        String backend = args[1];
        int workers = Integer.parseInt(args[2]);
        int jobs = Integer.parseInt(args[3]);
        AtomicLong peakKb = new AtomicLong();
        AtomicLong peakProcesses = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long[] now = residentKb();
                peakKb.accumulateAndGet(now[0], Math::max);
                peakProcesses.accumulateAndGet(now[1], Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (DownloadServer server = Workloads.serverFor(workload, 20, 65536);
             Backend pool = Backends.create(backend, workers)) {
            Workload<Object, Object> job = Workloads.create(workload, 0, server);
            for (int i = 0; i < jobs; i++) {
                job.verify(pool.map(job.task(), job.inputs()));
            }
            long[] last = residentKb(); // the pool is still up: count its workers once more
            peakKb.accumulateAndGet(last[0], Math::max);
            peakProcesses.accumulateAndGet(last[1], Math::max);
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        System.out.println("peak_rss_kb=" + peakKb.get() + " processes=" + peakProcesses.get() + " jobs=" + jobs);
    }

    /** {resident kB of this process and all its descendants, number of processes}. */
    static long[] residentKb() {
        long[] total = {rssKb(ProcessHandle.current().pid()), 1};
        ProcessHandle.current().descendants().forEach(p -> {
            long kb = rssKb(p.pid());
            if (kb > 0) {
                total[0] += kb;
                total[1]++;
            }
        });
        return total;
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0; // the process ended between listing and reading
        }
        return 0;
    }
}
