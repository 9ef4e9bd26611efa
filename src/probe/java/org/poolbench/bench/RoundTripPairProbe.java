package org.poolbench.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.poolbench.pool.ProcessPool;
import org.poolbench.pool.RoundTripProbe;

/**
 * {@code apply}'s round trip against the pipe floor, taken in alternating blocks so that a slow phase of a shared
 * machine hits both alike (OverheadBenchmark measures them minutes apart), with the CPU time each side spends per
 * round trip. Not a unit test; run by hand (docs/POOL.md, "Figures"):
 *
 * <pre>
 * java -cp target/benchmarks.jar:target/test-classes org.poolbench.bench.RoundTripPairProbe [workers] [blocks]
 * </pre>
 */
final class RoundTripPairProbe {
    private RoundTripPairProbe() {
    }

    private static final int PER_BLOCK = 4000;

    public static void main(String[] args) throws Exception {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Process echo = new ProcessBuilder(OverheadBenchmark.echoCommand())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (ProcessPool pool = ProcessPool.builder().workers(workers)
                .jvmArgs(org.poolbench.backend.Backends.workerJvmArgs()).build()) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(echo.getOutputStream()));
            DataInputStream in = new DataInputStream(new BufferedInputStream(echo.getInputStream()));
            if (in.readInt() != 1 || in.readByte() != 0) {
                throw new IllegalStateException("PipeEcho did not start");
            }
            List<Long> pids = pool.workerPids();
            var self = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
            double[] applyMedian = new double[blocks];
            double[] echoMedian = new double[blocks];
            double[] ratio = new double[blocks];
            long applyParentCpu = 0, applyWorkerCpu = 0, echoParentCpu = 0, echoChildCpu = 0;
            long[] t = new long[PER_BLOCK];
            for (int b = -2; b < blocks; b++) { // two blocks each of warm-up
                long p0 = self.getProcessCpuTime();
                long w0 = cpu(pids);
                long[] applies = RoundTripProbe.applyNanos(pool, PER_BLOCK); // each checked
                long p1 = self.getProcessCpuTime();
                long w1 = cpu(pids);
                double a = median(applies);
                long e0 = cpu(List.of(echo.pid()));
                for (int i = 0; i < PER_BLOCK; i++) {
                    long t0 = System.nanoTime();
                    echoOnce(out, in, i);
                    t[i] = System.nanoTime() - t0;
                }
                long p2 = self.getProcessCpuTime();
                long e1 = cpu(List.of(echo.pid()));
                if (b >= 0) {
                    applyMedian[b] = a;
                    echoMedian[b] = median(t);
                    ratio[b] = a / echoMedian[b];
                    applyParentCpu += p1 - p0;
                    applyWorkerCpu += w1 - w0;
                    echoParentCpu += p2 - p1;
                    echoChildCpu += e1 - e0;
                    System.out.printf("block %2d: apply median %.1f us, echo median %.1f us, ratio %.2f;"
                                    + " CPU per op: apply parent %.1f, workers %.1f; echo parent %.1f, echo JVM %.1f us%n",
                            b, a / 1e3, echoMedian[b] / 1e3, ratio[b], (p1 - p0) / 1e3 / PER_BLOCK,
                            (w1 - w0) / 1e3 / PER_BLOCK, (p2 - p1) / 1e3 / PER_BLOCK, (e1 - e0) / 1e3 / PER_BLOCK);
                }
            }
            double n = (double) blocks * PER_BLOCK;
            System.out.printf("medians over blocks: apply %.1f us, echo %.1f us, ratio %.2f (blocks' ratios %.2f..%.2f)%n",
                    median(applyMedian) / 1e3, median(echoMedian) / 1e3, median(ratio),
                    Arrays.stream(ratio).min().orElse(0), Arrays.stream(ratio).max().orElse(0));
            System.out.printf("CPU per round trip: apply parent %.1f us + workers %.1f us; echo parent %.1f us + echo JVM %.1f us%n",
                    applyParentCpu / n / 1e3, applyWorkerCpu / n / 1e3, echoParentCpu / n / 1e3, echoChildCpu / n / 1e3);
            for (long pid : pids) {
                System.out.printf("worker %d: CPU %.0f ms in all%n", pid, cpu(List.of(pid)) / 1e6);
            }
            out.close();
        } finally {
            if (!echo.waitFor(10, TimeUnit.SECONDS)) {
                echo.destroyForcibly().waitFor();
            }
        }
    }

    private static void echoOnce(DataOutputStream out, DataInputStream in, long x) throws java.io.IOException {
        out.writeInt(1 + 8 + 8 + 1 + 1 + 4 + 8);
        out.writeByte(3);
        out.writeLong(x);
        out.writeLong(1);
        out.writeByte(1);
        out.writeByte(11);
        out.writeInt(1);
        out.writeLong(x);
        out.flush();
        int length = in.readInt();
        byte type = in.readByte();
        long back = in.readLong();
        in.skipNBytes(length - 1 - 8);
        if (type != 3 || back != x) {
            throw new IllegalStateException("echo returned type " + type + ", value " + back + " for " + x);
        }
    }

    /** CPU time of these processes from /proc (in clock ticks, so only sums over thousands of round trips mean anything). */
    private static long cpu(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
                    .map(java.time.Duration::toNanos).orElse(0L);
        }
        return sum;
    }

    private static double median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
