package org.poolbench.pool;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.poolbench.workload.Factorial;

/**
 * Where a process pool's time goes per task, by task size: CPU time of the parent and of each worker (from the OS,
 * {@code ProcessHandle.info().totalCpuDuration()} and the parent's own process CPU time), against the wall time and
 * against the same tasks run sequentially here. CPU time, unlike wall time, is not moved much by a neighbour.
 * Not a test: run by hand (docs/POOL.md, "Where a task's time goes"). Add {@code -XX:StartFlightRecording} to this JVM
 * and to the workers ({@code -Dpoolbench.probe.workerJvmArgs=...}, comma-separated) for JFR profiles.
 *
 * <pre>
 * mvn -B -q -o package -DskipTests &amp;&amp; mvn -B -q -o test-compile
 * java -XX:+UseSerialGC -Xms1g -Xmx1g -cp target/benchmarks.jar:target/test-classes org.poolbench.pool.TaskCostProbe 5
 * </pre>
 */
public final class TaskCostProbe {
    /** n in n!, with tasks per job as in GranularityBenchmark (about 10–100 ms of sequential work per job). */
    private static final Map<Integer, Integer> TASKS = Map.of(300, 8_192, 1_000, 2_048, 2_000, 512, 3_000, 256, 10_000, 32);

    private TaskCostProbe() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        List<String> workerArgs = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xms256m", "-Xmx256m"));
        String extra = System.getProperty("poolbench.probe.workerJvmArgs", "");
        if (!extra.isBlank()) {
            workerArgs.addAll(List.of(extra.split(",")));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threadsBean = ManagementFactory.getThreadMXBean();
        System.out.printf("%d CPUs; per task, over rounds that take one job each way in turn (sequential, two threads,"
                + " the pool; wall: median, CPU: mean), after %.0f s of warm-up per size:%n", Runtime.getRuntime()
                .availableProcessors(), seconds);
        System.out.printf("%8s %11s | %11s %11s | %11s %11s %11s %11s%n", "n", "seq CPU", "threads", "thr CPU",
                "pool wall", "parent CPU", "workers CPU", "seq again");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (ProcessPool pool = ProcessPool.builder().workers(2).jvmArgs(workerArgs).build()) {
            for (int n : List.of(300, 1_000, 2_000, 3_000, 10_000)) {
                Factorial job = new Factorial(List.of(n), TASKS.get(n));
                job.expected();
                int tasks = job.inputs().size();
                Runnable sequential = () -> job.verify(job.inputs().stream().map(job.task()::apply).toList());
                Callable<Void> twoThreads = () -> {
                    List<Future<Factorial.Digest>> fs = new ArrayList<>();
                    for (Integer x : job.inputs()) {
                        fs.add(threads.submit(() -> job.task().apply(x)));
                    }
                    List<Factorial.Digest> out = new ArrayList<>();
                    for (Future<Factorial.Digest> f : fs) {
                        out.add(f.get());
                    }
                    job.verify(out);
                    return null;
                };
                Runnable viaPool = () -> job.verify(pool.map(job.task(), job.inputs(), 1));
                runFor(seconds, sequential);
                runFor(seconds, () -> call(twoThreads));
                runFor(seconds, viaPool);
                // one job each way per round, in turn, so that a slow phase of the machine hits all three alike
                List<double[]> rounds = new ArrayList<>();
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < seconds * 1e9 || rounds.size() < 5) {
                    long c0 = threadsBean.getCurrentThreadCpuTime();
                    sequential.run();
                    double seqCpu = (threadsBean.getCurrentThreadCpuTime() - c0) / 1e3 / tasks;
                    long p0 = os.getProcessCpuTime();
                    long w0 = System.nanoTime();
                    call(twoThreads);
                    double thrWall = (System.nanoTime() - w0) / 1e3 / tasks;
                    double thrCpu = (os.getProcessCpuTime() - p0) / 1e3 / tasks;
                    p0 = os.getProcessCpuTime();
                    long k0 = workersCpu(pool);
                    w0 = System.nanoTime();
                    viaPool.run();
                    double poolWall = (System.nanoTime() - w0) / 1e3 / tasks;
                    double parentCpu = (os.getProcessCpuTime() - p0) / 1e3 / tasks;
                    double workersCpu = (workersCpu(pool) - k0) / 1e3 / tasks;
                    c0 = threadsBean.getCurrentThreadCpuTime();
                    sequential.run();
                    double seqAfter = (threadsBean.getCurrentThreadCpuTime() - c0) / 1e3 / tasks;
                    rounds.add(new double[] {seqCpu, thrWall, thrCpu, poolWall, parentCpu, workersCpu, seqAfter});
                }
                // wall times: medians; CPU times: means over all rounds (the OS counts process CPU in 10 ms ticks)
                System.out.printf("%8d %8.1f us | %8.1f us %8.1f us | %8.1f us %8.1f us %8.1f us %8.1f us%n", n,
                        mean(rounds, 0), median(rounds, 1), mean(rounds, 2), median(rounds, 3),
                        mean(rounds, 4), mean(rounds, 5), mean(rounds, 6));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void call(Callable<Void> c) {
        try {
            c.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double mean(List<double[]> rounds, int column) {
        return rounds.stream().mapToDouble(r -> r[column]).average().orElseThrow();
    }

    private static double median(List<double[]> rounds, int column) {
        double[] v = rounds.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void runFor(double seconds, Runnable job) {
        long t0 = System.nanoTime();
        do {
            job.run();
        } while (System.nanoTime() - t0 < seconds * 1e9);
    }

    private static long workersCpu(ProcessPool pool) {
        long sum = 0;
        for (long pid : pool.workerPids()) {
            sum += ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
        }
        return sum;
    }
}
