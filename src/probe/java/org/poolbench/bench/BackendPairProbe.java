package org.poolbench.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.poolbench.backend.Backend;
import org.poolbench.backend.Backends;
import org.poolbench.workload.DownloadServer;
import org.poolbench.workload.Workload;
import org.poolbench.workload.Workloads;

/**
 * ScalingBenchmark's job through sequential, thread-pool and process-pool in one JVM, one job of each per round in
 * turn (the order rotates), so that a slow phase of a shared machine (METHODOLOGY.md, "Blocking and taking turns") hits all three
 * alike. JMH measures each backend in a block of its own, seconds apart, and on this machine a block's speed moves by
 * a fifth; this gives the thread-pool / process-pool ratio within a round, and a bootstrap interval on its median.
 * Not a unit test; run by hand with the run's JVM settings (docs/POOL.md, "Figures"):
 *
 * <pre>
 * taskset -c 0,1 java -XX:+UseSerialGC -Xms1g -Xmx1g -XX:CICompilerCount=2 \
 *   -Dpoolbench.workerJvmArgs=-XX:+UseSerialGC,-Xms256m,-Xmx256m,-XX:CICompilerCount=2 \
 *   -cp target/benchmarks.jar:target/test-classes org.poolbench.bench.BackendPairProbe factorial 2 40
 * </pre>
 */
final class BackendPairProbe {
    private BackendPairProbe() {
    }

    public static void main(String[] args) {
        String workload = Workloads.check(args.length > 0 ? args[0] : "factorial");
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        List<String> names = List.of("sequential", "thread-pool", "process-pool");
        DownloadServer server = Workloads.serverFor(workload, 20, 65536);
        Workload<Object, Object> job = Workloads.create(workload, 0, server);
        job.expected();
        Map<String, Backend> backends = new LinkedHashMap<>();
        try {
            for (String name : names) {
                Backend b = Backends.create(name, name.equals("sequential") ? 1 : workers);
                backends.put(name, b);
                // as long as the benchmarks warm them: JMH's warm-up iterations come on top of WarmUp in a trial
                int runs = WarmUp.run(name, 5, WarmUp.PROCESS_FACTORIAL_NANOS,
                        () -> job.verify(b.map(job.task(), job.inputs())));
                System.out.printf("%s warmed with %d jobs%n", name, runs);
            }
            Map<String, double[]> ms = new LinkedHashMap<>();
            names.forEach(n -> ms.put(n, new double[rounds]));
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < names.size(); k++) {
                    String name = names.get((r + k) % names.size());
                    Backend b = backends.get(name);
                    long t0 = System.nanoTime();
                    List<Object> out = b.map(job.task(), job.inputs());
                    ms.get(name)[r] = (System.nanoTime() - t0) / 1e6;
                    job.verify(out);
                }
            }
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = ms.get("thread-pool")[r] / ms.get("process-pool")[r];
            }
            for (String name : names) {
                double[] v = ms.get(name);
                System.out.printf("%-13s median %8.1f ms  (min %.1f, max %.1f)  speedup (median of rounds) %.2f%n", name,
                        median(v), Arrays.stream(v).min().orElse(0), Arrays.stream(v).max().orElse(0),
                        median(divide(ms.get("sequential"), v)));
            }
            double[] ci = bootstrapMedian(ratio, 2000, new Random(1));
            System.out.printf("process-pool speedup / thread-pool speedup, median of %d rounds: %.3f (95%% bootstrap %.3f..%.3f)%n",
                    rounds, median(ratio), ci[0], ci[1]);
        } finally {
            backends.values().forEach(Backend::close);
            if (server != null) {
                server.close();
            }
        }
    }

    private static double[] divide(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] / b[i];
        }
        return out;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

    private static double[] bootstrapMedian(double[] v, int resamples, Random random) {
        List<Double> medians = new ArrayList<>();
        double[] s = new double[v.length];
        for (int i = 0; i < resamples; i++) {
            for (int j = 0; j < v.length; j++) {
                s[j] = v[random.nextInt(v.length)];
            }
            medians.add(median(s));
        }
        medians.sort(null);
        return new double[] {medians.get((int) (0.025 * resamples)), medians.get((int) (0.975 * resamples) - 1)};
    }
}
