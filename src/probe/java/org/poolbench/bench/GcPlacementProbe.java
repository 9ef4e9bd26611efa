package org.poolbench.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.poolbench.workload.Squares;

/**
 * Why sequential squares is slower when its JVM may use two CPUs (docs/METHODOLOGY.md, "Sequential at k cores"):
 * one JVM maps a million squares on its main thread, round after round, while a controller thread moves the JVM's
 * threads between four placements every second, in the order A B C E E C B A …, so that the machine's phases hit
 * all four alike:
 * <ul>
 *   <li>A: every thread on CPU 0 (what a JVM pinned to one core gets);</li>
 *   <li>B: every thread on CPUs 0 and 1 (two cores, as scaling's sequential point at 2 cores);</li>
 *   <li>C: the main thread on CPU 0, every other thread (the Serial collector's "VM Thread" among them) on CPU 1;</li>
 *   <li>E: the main thread and the VM Thread on CPU 0, the others on both.</li>
 * </ul>
 * Only the map is timed; its results are checked after, as in the benchmark. Per placement it prints the median
 * time per map, the collector's time per map (collections during the map), and the median ratio to A within
 * each pass of four. If B and C are slower than A and E is not, the cost of the second CPU is the collection running
 * on the other core, whose cache does not hold what the main thread just wrote. Not a test: run by hand, on a
 * machine with at least two CPUs, with the benchmarks' JVM settings:
 *
 * <pre>
 * mvn -B -q -o package -DskipTests &amp;&amp; mvn -B -q -o test-compile
 * taskset -c 0,1 java -XX:+UseSerialGC -Xms1g -Xmx1g -XX:CICompilerCount=2 \
 *     -cp target/benchmarks.jar:target/test-classes org.poolbench.bench.GcPlacementProbe 180
 * </pre>
 */
public final class GcPlacementProbe {

    enum Placement { A, B, C, E }

    private static final Placement[] ORDER = {Placement.A, Placement.B, Placement.C, Placement.E, Placement.E,
        Placement.C, Placement.B, Placement.A};
    private static final long SWITCH_NANOS = 1_000_000_000L;
    private static final long SETTLE_NANOS = 250_000_000L; // a map that straddles a switch is not counted

    private static volatile Placement current = Placement.A;
    private static volatile long switchedAt;

    private GcPlacementProbe() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 180;
        List<Integer> cpus = Affinity.current();
        if (cpus.size() < 2) {
            throw new IllegalStateException("needs two CPUs, has " + cpus);
        }
        String first = String.valueOf(cpus.get(0));
        String second = String.valueOf(cpus.get(1));
        String both = first + "," + second;
        long mainTid = Long.parseLong(Path.of("/proc/thread-self").toRealPath().getFileName().toString());
        long vmTid = tid("VM Thread");

        Squares squares = new Squares(Squares.DEFAULT_COUNT);
        List<Long> inputs = squares.inputs();
        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        for (int i = 0; i < 200; i++) { // warm up: compiled, heap at its working size
            squares.verify(map(inputs));
        }
        // per slot (one second in one placement): {placement ordinal, summed map ms, summed gc ms, maps}
        List<double[]> slots = new ArrayList<>();
        Thread controller = Thread.ofPlatform().daemon().name("placement-controller").start(() -> {
            try {
                for (int s = 0; ; s++) {
                    Placement p = ORDER[s % ORDER.length];
                    place(p, mainTid, vmTid, first, second, both);
                    synchronized (slots) {
                        slots.add(new double[] {p.ordinal(), 0, 0, 0});
                        current = p;
                        switchedAt = System.nanoTime();
                    }
                    Thread.sleep(SWITCH_NANOS / 1_000_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            long gc0 = gcMillis(gcs);
            long t0 = System.nanoTime();
            List<Long> out = map(inputs);
            long t1 = System.nanoTime();
            long gc1 = gcMillis(gcs);
            squares.verify(out); // outside the timing, as ScalingBenchmark's per-invocation tear-down
            synchronized (slots) {
                if (!slots.isEmpty() && t0 - switchedAt > SETTLE_NANOS) {
                    double[] slot = slots.get(slots.size() - 1);
                    slot[1] += (t1 - t0) / 1e6;
                    slot[2] += gc1 - gc0;
                    slot[3]++;
                }
            }
        }
        controller.interrupt();
        controller.join();
        place(Placement.B, mainTid, vmTid, first, second, both);
        report(slots);
    }

    /** What the sequential backend does for a map with chunksize 1. */
    private static List<Long> map(List<Long> inputs) {
        List<Long> out = new ArrayList<>(inputs.size());
        for (Long x : inputs) {
            out.add(Squares.square(x));
        }
        return out;
    }

    private static void report(List<double[]> slots) {
        Map<Placement, List<double[]>> by = new EnumMap<>(Placement.class);
        for (double[] s : slots) {
            if (s[3] > 0) {
                by.computeIfAbsent(Placement.values()[(int) s[0]], k -> new ArrayList<>())
                        .add(new double[] {s[1] / s[3], s[2] / s[3]});
            }
        }
        System.out.println("placement  seconds  ms per map  gc ms per map  ratio to A (median of passes)");
        for (Placement p : Placement.values()) {
            List<double[]> v = by.getOrDefault(p, List.of());
            List<Double> ratios = new ArrayList<>();
            for (int pass = 0; pass + 4 <= slots.size(); pass += 4) {
                double a = Double.NaN;
                double x = Double.NaN;
                for (double[] s : slots.subList(pass, pass + 4)) {
                    if (s[3] == 0) {
                        continue;
                    }
                    if ((int) s[0] == Placement.A.ordinal()) {
                        a = s[1] / s[3];
                    }
                    if ((int) s[0] == p.ordinal()) {
                        x = s[1] / s[3];
                    }
                }
                if (!Double.isNaN(a) && !Double.isNaN(x)) {
                    ratios.add(x / a);
                }
            }
            System.out.printf("%-9s  %7d  %10.3f  %13.3f  %.3f (%d passes)%n", p, v.size(),
                    median(v.stream().mapToDouble(d -> d[0]).toArray()),
                    median(v.stream().mapToDouble(d -> d[1]).toArray()),
                    median(ratios.stream().mapToDouble(Double::doubleValue).toArray()), ratios.size());
        }
    }

    private static void place(Placement p, long mainTid, long vmTid, String first, String second, String both) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                long tid = Long.parseLong(task.getFileName().toString());
                String cpus = switch (p) {
                    case A -> first;
                    case B -> both;
                    case C -> tid == mainTid ? first : second;
                    case E -> tid == mainTid || tid == vmTid ? first : both;
                };
                Process proc = new ProcessBuilder("taskset", "-p", "-c", cpus, String.valueOf(tid))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                proc.waitFor(); // a thread that ended meanwhile makes taskset fail; nothing to place then
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot place threads", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long tid(String comm) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).strip().equals(comm)) {
                    return Long.parseLong(task.getFileName().toString());
                }
            }
        }
        throw new IllegalStateException("no thread named '" + comm + "': not HotSpot with a VM Thread?");
    }

    private static long gcMillis(List<GarbageCollectorMXBean> gcs) {
        long sum = 0;
        for (GarbageCollectorMXBean g : gcs) {
            sum += Math.max(0, g.getCollectionTime());
        }
        return sum;
    }

    private static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
