package org.poolbench.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.poolbench.backend.Backend;
import org.poolbench.backend.Backends;
import org.poolbench.workload.Download;
import org.poolbench.workload.DownloadServer;

/**
 * I/O concurrency: how many downloads at once does each backend sustain when every response takes a while?
 *
 * <p>One job downloads {@code tasks} files from the loopback {@link DownloadServer}, each answered after
 * {@code latencyMs}. With concurrency c (= {@code workers}) the best possible job time is
 * {@code ceil(tasks / c) × latency}: throughput should grow linearly with c until the files run out. Cores barely
 * matter here, since the tasks wait; what matters is what a waiting task costs (a platform thread, a virtual
 * thread, a whole JVM).
 *
 * <p>The server runs every request on a virtual thread and sleeps for the latency, so it holds hundreds of requests
 * at once; the zero-latency point at the highest concurrency shows how far it is from being the bottleneck.
 * Downloads go through the chunked backends with {@code chunksize = 1}: each file is one task. Every job checks the
 * size and CRC-32 of every file it saved.
 *
 * <p>Run only this: {@code java -cp target/benchmarks.jar org.openjdk.jmh.Main IoBenchmark -p workers=1,16,256
 * -p backend=virtual-threads}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class IoBenchmark {

    @Param({"thread-pool", "virtual-threads", "process-pool"})
    public String backend;

    /** Concurrency: downloads in flight at once. */
    @Param({"1", "4", "16", "64", "256"})
    public int workers;

    /** Files per job. */
    @Param({"128"})
    public int tasks;

    @Param({"20"})
    public int latencyMs;

    @Param({"16384"})
    public int fileBytes;

    /** CPUs this JVM may use; 0 skips the check. */
    @Param({"0"})
    public int cores;

    private DownloadServer server;
    private Download job;
    private Backend pool;
    private List<Download.FileDigest> last;

    @Setup(Level.Trial)
    public void setUp() {
        Cores.check(cores);
        try {
            server = DownloadServer.start(java.time.Duration.ofMillis(latencyMs), fileBytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        job = Download.from(server, tasks);
        pool = Backends.create(backend, workers);
        job.verify(pool.map(job.task(), job.inputs(), 1)); // one job before measurement: connections, JIT, workers
    }

    @Benchmark
    public List<Download.FileDigest> download() {
        last = pool.map(job.task(), job.inputs(), 1);
        return last;
    }

    @TearDown(Level.Invocation)
    public void verify() {
        job.verify(last);
        last = null;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
