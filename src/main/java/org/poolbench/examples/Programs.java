package org.poolbench.examples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.poolbench.ipc.SharedQueue;
import org.poolbench.pool.ProcessPool;

/**
 * The material's small programs without a claim, in Java, one per mode (their CPython twins are
 * {@code python/lesson_programs.py}; {@code ./run-bench.sh lesson NAME} runs both and shows them side by side):
 * <ul>
 *   <li>{@code four-processes}: four processes each print a number ({@code Process(target=print_num, args=(i,))},
 *   started, then joined): four child JVMs, started together, each printing its number and pid. The order varies
 *   from run to run.</li>
 *   <li>{@code pool-pids}: a pool of two workers maps eight tasks, each returning the pid of the process that ran it
 *   ({@code os.getpid()} in {@code Pool.map}): two pids only, none the parent's.</li>
 *   <li>{@code gamma-map}: {@code Pool.map(gamma, ...)}: Γ(x) of 1 to 10 and some halves through a pool of two worker
 *   JVMs, in order (Lanczos' approximation; Java has no {@code math.gamma}).</li>
 *   <li>{@code producer-consumer}: one worker puts the squares of 1..8 and then a sentinel (an empty message, the
 *   material's {@code None}) on a queue ({@link SharedQueue}); another takes until the sentinel.</li>
 * </ul>
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp target/benchmarks.jar org.poolbench.examples.Programs MODE</pre>
 */
public final class Programs {

    /** The modes, in the material's order. */
    public static final List<String> MODES = List.of("four-processes", "pool-pids", "gamma-map", "producer-consumer");

    private Programs() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "" : args[0];
        switch (mode) {
            case "four-processes" -> fourProcesses();
            case "print" -> System.out.println("process " + args[1] + " (pid " + ProcessHandle.current().pid()
                    + ") prints " + args[1]);
            case "pool-pids" -> poolPids();
            case "gamma-map" -> gammaMap();
            case "producer-consumer" -> producerConsumer();
            default -> {
                System.err.println("Programs: unknown mode '" + mode + "'; valid: " + String.join(", ", MODES));
                System.exit(2);
            }
        }
    }

    /** Four child JVMs started one after another without waiting, then all joined. */
    static void fourProcesses() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        List<Process> started = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            started.add(new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", cp,
                    Programs.class.getName(), "print", String.valueOf(i)).inheritIO().start());
        }
        for (Process p : started) {
            p.waitFor(60, TimeUnit.SECONDS);
        }
        System.out.println("parent " + ProcessHandle.current().pid() + ": all four joined");
    }

    static long pidOf(Integer task) {
        return ProcessHandle.current().pid();
    }

    static void poolPids() {
        try (ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            List<Long> pids = pool.map(Programs::pidOf, IntStream.range(0, 8).boxed().toList(), 1);
            System.out.println("parent pid: " + ProcessHandle.current().pid());
            System.out.println("worker pids (the pool's): " + pool.workerPids());
            for (int i = 0; i < pids.size(); i++) {
                System.out.println("task " + i + " ran in pid " + pids.get(i));
            }
        }
    }

    /** Γ(x) for x > 0, by Lanczos' approximation (g = 7, nine coefficients; ~15 significant digits). */
    static double gamma(Double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61503916999185, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
        }
        double y = x - 1;
        double a = c[0];
        double t = y + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (y + i);
        }
        return Math.sqrt(2 * Math.PI) * Math.pow(t, y + 0.5) * Math.exp(-t) * a;
    }

    static void gammaMap() {
        List<Double> xs = List.of(0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 10.0);
        try (ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            List<Double> g = pool.map(Programs::gamma, xs);
            for (int i = 0; i < xs.size(); i++) {
                System.out.println(String.format(Locale.ROOT, "gamma(%s) = %.10g", xs.get(i), g.get(i)));
            }
        }
    }

    static String produce(String queue) {
        try (SharedQueue q = SharedQueue.open(queue)) {
            StringBuilder put = new StringBuilder("producer (pid " + ProcessHandle.current().pid() + ") put:");
            for (long x = 1; x <= 8; x++) {
                q.put(ByteBuffer.allocate(8).putLong(0, x * x).array());
                put.append(' ').append(x * x);
            }
            q.put(new byte[0]); // the sentinel
            return put.append(", then the sentinel").toString();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static String consume(String queue) {
        try (SharedQueue q = SharedQueue.open(queue)) {
            StringBuilder got = new StringBuilder("consumer (pid " + ProcessHandle.current().pid() + ") got:");
            while (true) {
                byte[] m = q.poll();
                if (m == null) {
                    Thread.onSpinWait();
                    continue;
                }
                if (m.length == 0) {
                    return got.append(", then the sentinel: done").toString();
                }
                got.append(' ').append(ByteBuffer.wrap(m).getLong());
            }
        }
    }

    static void producerConsumer() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(2).jvmArgs(SharedQueue.JVM_ARGS).build();
             SharedQueue q = SharedQueue.create(1 << 16)) {
            CompletableFuture<String> consumer = pool.applyAsync(Programs::consume, q.name());
            CompletableFuture<String> producer = pool.applyAsync(Programs::produce, q.name());
            System.out.println(producer.get(60, TimeUnit.SECONDS));
            System.out.println(consumer.get(60, TimeUnit.SECONDS));
        }
    }
}
