package org.poolbench.pool;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        List<String> workerArgs = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xms256m", "-Xmx256m"));
        String extra = System.getProperty("poolbench.probe.workerJvmArgs", "");
        if (!extra.isBlank()) {
            workerArgs.addAll(List.of(extra.split(",")));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("%d CPUs; per task, after %.0f s of warm-up per size:%n", Runtime.getRuntime()
                .availableProcessors(), seconds);
        System.out.printf("%8s %12s | %12s %12s %14s %14s%n", "n", "sequential", "pool wall", "pool wall x2",
                "parent CPU", "workers' CPU");
        try (ProcessPool pool = ProcessPool.builder().workers(2).jvmArgs(workerArgs).build()) {
            for (int n : List.of(300, 1_000, 2_000, 3_000, 10_000)) {
                Factorial job = new Factorial(List.of(n), TASKS.get(n));
                job.expected();
                int tasks = job.inputs().size();
                // warm both ways, then measure the same number of jobs each way
                runFor(seconds, () -> job.verify(job.inputs().stream().map(job.task()::apply).toList()));
                runFor(seconds, () -> job.verify(pool.map(job.task(), job.inputs(), 1)));
                int jobs = 0;
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < seconds * 1e9 / 2) {
                    job.verify(job.inputs().stream().map(job.task()::apply).toList());
                    jobs++;
                }
                double seqPerTask = (System.nanoTime() - t0) / 1e3 / jobs / tasks;
                long parent0 = os.getProcessCpuTime();
                long workers0 = workersCpu(pool);
                long w0 = System.nanoTime();
                for (int j = 0; j < jobs; j++) {
                    job.verify(pool.map(job.task(), job.inputs(), 1));
                }
                double wall = (System.nanoTime() - w0) / 1e3 / jobs / tasks;
                double parent = (os.getProcessCpuTime() - parent0) / 1e3 / jobs / tasks;
                double workers = (workersCpu(pool) - workers0) / 1e3 / jobs / tasks;
                System.out.printf("%8d %9.1f us | %9.1f us %9.1f us %11.1f us %11.1f us%n", n, seqPerTask, wall,
                        2 * wall, parent, workers);
            }
        }
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
