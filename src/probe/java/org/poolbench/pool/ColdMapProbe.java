package org.poolbench.pool;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

/**
 * Where a fresh program's first {@code map}s go: a pool built with its defaults, plus the worker JVM flags given as
 * arguments, maps 10^6 boxed squares six times and prints each round's milliseconds. With {@code --cpu} first, it
 * also prints each round's CPU by JVM (P the parent, W0 and W1 the workers) and thread (main, C1, C2, GC; pool: the
 * parent's reader and writer threads), from {@code /proc} (Linux; 10 ms ticks). Run it with and without a worker
 * flag ({@code -XX:TieredStopAtLevel=1}, {@code -XX:-UseTransparentHugePages}, {@code -XX:+AlwaysPreTouch}) to see
 * what a first round is made of (docs/POOL.md, "Transports"). Not a test: run by hand, from a jar so that the
 * workers get their class archive,
 *
 * <pre>
 * mvn -B -q -o package -DskipTests &amp;&amp; mvn -B -q -o test-compile
 * jar cf /tmp/coldmap.jar -C target/test-classes org/poolbench/pool/ColdMapProbe.class
 * java -cp target/benchmarks.jar:/tmp/coldmap.jar org.poolbench.pool.ColdMapProbe --cpu -XX:TieredStopAtLevel=1
 * </pre>
 */
final class ColdMapProbe {
    private static final int N = 1_000_000;

    private ColdMapProbe() {
    }

    static long square(long x) {
        return x * x;
    }

    public static void main(String[] args) throws Exception {
        boolean cpu = args.length > 0 && args[0].equals("--cpu");
        String[] workerFlags = cpu ? Arrays.copyOfRange(args, 1, args.length) : args;
        List<Long> xs = LongStream.range(0, N).boxed().toList();
        StringBuilder rounds = new StringBuilder();
        List<String> split = new ArrayList<>();
        long t0 = System.nanoTime();
        try (ProcessPool pool = ProcessPool.builder().jvmArgs(workerFlags).build()) {
            double built = (System.nanoTime() - t0) / 1e6;
            for (int r = 0; r < 6; r++) {
                Map<String, Long> before = cpu ? ticks(pool) : Map.of();
                long t = System.nanoTime();
                List<Long> out = pool.map(ColdMapProbe::square, xs);
                rounds.append(String.format(" %.0f", (System.nanoTime() - t) / 1e6));
                if (cpu) {
                    StringBuilder s = new StringBuilder("  round " + r + " CPU, ms:");
                    ticks(pool).forEach((k, v) -> {
                        long d = v - before.getOrDefault(k, 0L);
                        if (d > 0) {
                            s.append(' ').append(k).append('=').append(d * 10);
                        }
                    });
                    split.add(s.toString());
                }
                if (out.size() != N || out.get(N - 1) != (long) (N - 1) * (N - 1)) {
                    throw new IllegalStateException("map(square) returned a wrong result");
                }
            }
            System.out.printf("workers %s: pool built in %.0f ms; map rounds%s ms%n",
                    workerFlags.length == 0 ? "(defaults)" : Arrays.toString(workerFlags), built, rounds);
            split.forEach(System.out::println);
        }
    }

    /** CPU ticks (utime + stime) of the three JVMs' threads, summed by JVM and thread name less its number. */
    private static Map<String, Long> ticks(ProcessPool pool) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        add(m, "P", ProcessHandle.current().pid());
        List<Long> pids = pool.workerPids();
        for (int i = 0; i < pids.size(); i++) {
            add(m, "W" + i, pids.get(i));
        }
        return m;
    }

    private static void add(Map<String, Long> m, String jvm, long pid) throws IOException {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended between the listing and the read
                }
                int close = stat.lastIndexOf(')');
                String name = stat.substring(stat.indexOf('(') + 1, close).replaceAll("[#0-9 ]+$", "")
                        .replace("CompilerThre", "").replace("poolbench-worke", "pool").replace("java", "main");
                String[] f = stat.substring(close + 2).split(" ");
                m.merge(jvm + ":" + name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            }
        }
    }
}
