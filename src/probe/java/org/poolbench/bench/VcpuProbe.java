package org.poolbench.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.poolbench.backend.Backend;
import org.poolbench.backend.Backends;
import org.poolbench.workload.Workload;
import org.poolbench.workload.Workloads;

/**
 * Which of two suspects makes "sequential at 1 core" slower than a one-worker pool: the call path (the job on JMH's
 * benchmark thread against a pool thread) or the CPU (a 1-core run always used the first CPU of the mask). In one JVM
 * started on every CPU, round after round, each CPU in turn is the only one allowed, and on it a spin job (the
 * ceiling's arithmetic), the factorial job through {@code sequential} and the same job through a one-worker
 * {@code thread-pool} run back to back. The call path shows as sequential over thread-pool on the same CPU in the
 * same round; the CPU as one CPU's time over another's in the same round. Not a test: run by hand.
 *
 * <pre>
 * mvn -B -q package -DskipTests &amp;&amp; mvn -B -q test-compile
 * java -XX:+UseSerialGC -Xms1g -Xmx1g -XX:CICompilerCount=2 -cp target/benchmarks.jar:target/test-classes \
 *     org.poolbench.bench.VcpuProbe 30
 * </pre>
 */
final class VcpuProbe {
    private VcpuProbe() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        List<Integer> cpus = Affinity.current();
        Workload<Object, Object> job = Workloads.create("factorial", 0, null);
        job.expected();
        try (Backend seq = Backends.create("sequential", 1); Backend pool = Backends.create("thread-pool", 1)) {
            for (int i = 0; i < 5; i++) { // warm both paths on every CPU
                for (int c : cpus) {
                    Affinity.restrict(List.of(c));
                    job.verify(seq.map(job.task(), job.inputs(), 0));
                    job.verify(pool.map(job.task(), job.inputs(), 0));
                }
            }
            int n = cpus.size();
            double[][] spin = new double[n][rounds];
            double[][] sq = new double[n][rounds];
            double[][] tp = new double[n][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < n; k++) {
                    int c = (r + k) % n;
                    Affinity.restrict(List.of(cpus.get(c)));
                    long t0 = System.nanoTime();
                    long x = 0;
                    for (int ch = 0; ch < CeilingBenchmark.CHAINS; ch++) {
                        x ^= CeilingBenchmark.chain(ch);
                    }
                    long t1 = System.nanoTime();
                    boolean seqFirst = r % 2 == 0;
                    List<Object> a = (seqFirst ? seq : pool).map(job.task(), job.inputs(), 0);
                    long t2 = System.nanoTime();
                    List<Object> b = (seqFirst ? pool : seq).map(job.task(), job.inputs(), 0);
                    long t3 = System.nanoTime();
                    job.verify(a);
                    job.verify(b);
                    spin[c][r] = (t1 - t0) / 1e6 + (x == 42 ? 1e-9 : 0);
                    sq[c][r] = (seqFirst ? t2 - t1 : t3 - t2) / 1e6;
                    tp[c][r] = (seqFirst ? t3 - t2 : t2 - t1) / 1e6;
                }
                StringBuilder line = new StringBuilder("round " + r);
                for (int c = 0; c < n; c++) {
                    line.append(String.format("  cpu%d spin %6.1f seq %6.1f tp %6.1f", cpus.get(c), spin[c][r],
                            sq[c][r], tp[c][r]));
                }
                System.out.println(line);
            }
            for (int c = 0; c < n; c++) {
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = sq[c][r] / tp[c][r];
                }
                System.out.printf("cpu%d: median spin %.1f ms, sequential %.1f ms, thread-pool(1) %.1f ms, "
                        + "paired sequential/thread-pool median %.3f%n", cpus.get(c), median(spin[c]),
                        median(sq[c]), median(tp[c]), median(ratio));
            }
            for (int c = 1; c < n; c++) {
                double[] ratio = new double[rounds];
                double[] sratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = sq[c][r] / sq[0][r];
                    sratio[r] = spin[c][r] / spin[0][r];
                }
                System.out.printf("cpu%d over cpu%d, same round: sequential median %.3f (min %.3f, max %.3f), "
                        + "spin median %.3f (min %.3f, max %.3f)%n", cpus.get(c), cpus.get(0), median(ratio),
                        min(ratio), max(ratio), median(sratio), min(sratio), max(sratio));
            }
        } finally {
            Affinity.restrict(cpus);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }
}
