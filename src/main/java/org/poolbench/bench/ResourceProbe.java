package org.poolbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.poolbench.backend.Backend;
import org.poolbench.backend.Backends;
import org.poolbench.workload.DownloadServer;
import org.poolbench.workload.Workload;
import org.poolbench.workload.Workloads;

/**
 * Resource cost: the resident memory of a backend, at rest and while it runs a workload, for this JVM and for each
 * worker JVM it started, read from {@code /proc/<pid>/status} (VmRSS). Not a timing, so not a JMH benchmark: the CLI
 * starts one fresh JVM per probe with this main class and the run's fixed heap settings (a heap that cannot grow
 * makes resident memory a property of the backend and workload, not of how far ergonomics let the heap grow).
 *
 * <p>Two phases: the backend is created and left alone for {@link #SETTLE_MS} ms, then every process's resident set
 * is read ("idle": what a worker JVM costs at rest, before any task); then the job and its known answer are made and
 * {@code JOBS} jobs run, each checked, while a sampler reads every process every 10 ms ("peak"; the answer's
 * computation is part of the parent's peak, the same for every backend). The peaks are per process (this JVM; each worker JVM, averaged over workers)
 * and of the sum over all of them.
 *
 * <p>Usage: {@code java -cp target/benchmarks.jar org.poolbench.bench.ResourceProbe WORKLOAD BACKEND WORKERS JOBS};
 * prints one line of {@code key=value} pairs: {@code peak_rss_kb} (the sum's peak), {@code processes} (most processes
 * seen at once), {@code jobs}, {@code idle_parent_kb}, {@code idle_worker_kb} (mean over the workers alive at rest,
 * 0 if none), {@code idle_workers}, {@code peak_parent_kb}, {@code peak_worker_kb} (mean of each worker's own peak,
 * 0 if none), {@code workers_seen}.
 */
public final class ResourceProbe {

    /** How long the backend rests before the idle reading: worker JVMs finish starting, JIT threads go quiet. */
    static final long SETTLE_MS = 500;

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
        long self = ProcessHandle.current().pid();
        AtomicLong peakTotal = new AtomicLong();
        AtomicLong peakProcesses = new AtomicLong();
        AtomicLong peakParent = new AtomicLong();
        Map<Long, Long> peakWorker = new ConcurrentHashMap<>();
        long idleParent;
        long idleWorkerSum = 0;
        int idleWorkers = 0;
        Thread sampler = null;
        try (DownloadServer server = Workloads.serverFor(workload, 20, 65536);
             Backend pool = Backends.create(backend, workers)) {
            Thread.sleep(SETTLE_MS);
            idleParent = rssKb(self);
            for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
                long kb = rssKb(p.pid());
                if (kb > 0) {
                    idleWorkerSum += kb;
                    idleWorkers++;
                }
            }
            sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    sample(self, peakTotal, peakProcesses, peakParent, peakWorker);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            // the job and its known answer are made after the idle reading: computing the answer touches the heap
            Workload<Object, Object> job = Workloads.create(workload, 0, server);
            for (int i = 0; i < jobs; i++) {
                job.verify(pool.map(job.task(), job.inputs()));
            }
            sample(self, peakTotal, peakProcesses, peakParent, peakWorker); // the pool is still up: once more
        } finally {
            if (sampler != null) {
                sampler.interrupt();
                sampler.join();
            }
        }
        long peakWorkerMean = peakWorker.isEmpty() ? 0
                : Math.round(peakWorker.values().stream().mapToLong(Long::longValue).average().orElse(0));
        System.out.println("peak_rss_kb=" + peakTotal.get() + " processes=" + peakProcesses.get() + " jobs=" + jobs
                + " idle_parent_kb=" + idleParent + " idle_worker_kb=" + (idleWorkers == 0 ? 0
                : Math.round((double) idleWorkerSum / idleWorkers)) + " idle_workers=" + idleWorkers
                + " peak_parent_kb=" + peakParent.get() + " peak_worker_kb=" + peakWorkerMean
                + " workers_seen=" + peakWorker.size());
    }

    private static void sample(long self, AtomicLong total, AtomicLong processes, AtomicLong parent,
            Map<Long, Long> workers) {
        long own = rssKb(self);
        long sum = own;
        long n = 1;
        parent.accumulateAndGet(own, Math::max);
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            long kb = rssKb(p.pid());
            if (kb > 0) {
                sum += kb;
                n++;
                workers.merge(p.pid(), kb, Math::max);
            }
        }
        total.accumulateAndGet(sum, Math::max);
        processes.accumulateAndGet(n, Math::max);
    }

    /** VmRSS of {@code pid} in kB, 0 if the process ended or has no such line. */
    static long rssKb(long pid) {
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
