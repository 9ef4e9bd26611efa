package org.poolbench.pool;

import java.io.File;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What single steps of a worker's start cost in a fresh JVM: each step is timed alone, first thing in its own JVM,
 * {@code runs} times, and the median printed. Not a test: run by hand (docs/POOL.md, "Start-up").
 *
 * <pre>
 * mvn -B -q -o package -DskipTests &amp;&amp; mvn -B -q -o test-compile
 * java -cp target/benchmarks.jar:target/test-classes org.poolbench.pool.StartupCostProbe 15
 * </pre>
 */
public final class StartupCostProbe {
    private static final List<String> STEPS = List.of("nothing", "unix-socket", "secure-random", "serial-filter",
            "map-file", "map-file-native-reflection");

    private StartupCostProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--step")) {
            step(args[1]);
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String java = org.poolbench.jvm.JavaBinary.command();
        String cp = System.getProperty("java.class.path");
        for (String s : STEPS) {
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:-UsePerfData"));
                if (s.endsWith("native-reflection")) {
                    cmd.add("-Djdk.reflect.useNativeAccessorOnly=true");
                }
                cmd.addAll(List.of("-cp", cp, StartupCostProbe.class.getName(), "--step", s));
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException(s + " failed: " + out);
                }
                ms[i] = Double.parseDouble(out);
            }
            Arrays.sort(ms);
            System.out.printf("%-28s median %6.1f ms  (min %.1f, max %.1f, %d fresh JVMs)%n", s, ms[runs / 2], ms[0],
                    ms[runs - 1], runs);
        }
    }

    private static void step(String s) throws Exception {
        long t0 = System.nanoTime();
        switch (s) {
            case "nothing" -> { }
            case "unix-socket" -> SocketChannel.open(StandardProtocolFamily.UNIX).close();
            case "secure-random" -> SecureRandom.getInstance("NativePRNGNonBlocking");
            case "serial-filter" -> java.io.ObjectInputFilter.Config.createFilter("java.lang.*;!*");
            case "map-file", "map-file-native-reflection" -> {
                File f = File.createTempFile("poolbench-probe-", ".bin");
                try (RandomAccessFile r = new RandomAccessFile(f, "rw")) {
                    r.setLength(64);
                    r.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, 64).putLong(0, 1);
                } finally {
                    Files.deleteIfExists(f.toPath());
                }
            }
            default -> throw new IllegalArgumentException("unknown step " + s + "; valid: " + STEPS);
        }
        System.out.println((System.nanoTime() - t0) / 1e6);
    }
}
