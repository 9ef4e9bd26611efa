package org.poolbench.pool;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures worker JVM flags, for docs/POOL.md: for each flag set, spawn-to-handshake and spawn-to-first-result of a
 * real worker (interleaved round-robin, so background load hits every set alike), then the time of a CPU-heavy task
 * (BigInteger factorial) once warm, so that start-up flags that slow real work show up. Not a unit test; run by hand:
 *
 * <pre>
 * mvn -B -q -o package -DskipTests &amp;&amp; mvn -B -q -o test-compile
 * java -cp target/benchmarks.jar:target/test-classes org.poolbench.pool.StartupFlagsProbe 30 \
 *     - \| -XX:+UseSerialGC -XX:-UsePerfData \| -XX:TieredStopAtLevel=1 \| -XX:+UseSerialGC -XX:-UsePerfData CDS
 * </pre>
 *
 * Flag sets are separated by {@code |}; {@code -} is the empty set; {@code CDS} stands for the pool's AppCDS archive
 * of {@code target/benchmarks.jar} (made first if missing). Workers run with {@code target/benchmarks.jar} plus this
 * class's directory on their class path.
 */
final class StartupFlagsProbe {
    private static final String JAR = "target/benchmarks.jar";

    private StartupFlagsProbe() {
    }

    static BigInteger factorial(int n) {
        BigInteger f = BigInteger.ONE;
        for (int i = 2; i <= n; i++) {
            f = f.multiply(BigInteger.valueOf(i));
        }
        return f;
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        String java = org.poolbench.jvm.JavaBinary.command();
        String archive = ClassDataArchive.forClassPath(java, JAR).map(Object::toString).orElse(null);
        List<List<String>> sets = new ArrayList<>();
        sets.add(new ArrayList<>());
        for (String a : Arrays.asList(args).subList(1, args.length)) {
            if (a.equals("|")) {
                sets.add(new ArrayList<>());
            } else if (a.equals("CDS")) {
                if (archive == null) {
                    throw new IllegalStateException("no CDS archive could be made for " + JAR);
                }
                sets.get(sets.size() - 1).add(ClassDataArchive.option(Path.of(archive)));
            } else if (!a.equals("-")) {
                sets.get(sets.size() - 1).add(a);
            }
        }
        String classPath = JAR + File.pathSeparator
                + Path.of(StartupFlagsProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        long[][] ready = new long[sets.size()][runs];
        long[][] first = new long[sets.size()][runs];
        for (int i = 0; i < runs; i++) {
            for (int s = 0; s < sets.size(); s++) {
                long[] t = run(java, sets.get(s), classPath, 0);
                ready[s][i] = t[0];
                first[s][i] = t[1];
            }
        }
        for (int s = 0; s < sets.size(); s++) {
            long cpu = run(java, sets.get(s), classPath, 40)[2];
            System.out.printf("handshake %5.1f ms (IQR %5.1f-%5.1f) | first result %5.1f ms (IQR %5.1f-%5.1f)"
                            + " | factorial(20000), warm: %6.2f ms | %s%n",
                    median(ready[s]), q(ready[s], 1), q(ready[s], 3), median(first[s]), q(first[s], 1), q(first[s], 3),
                    cpu / 1e6, sets.get(s).isEmpty() ? "(no flags)" : String.join(" ", sets.get(s)));
        }
    }

    private static double median(long[] t) {
        return q(t, 2);
    }

    private static double q(long[] t, int quarter) {
        long[] sorted = t.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * quarter / 4)] / 1e6;
    }

    /** Returns {spawn-to-handshake, spawn-to-first-result, median warm factorial time} in nanoseconds. */
    private static long[] run(String java, List<String> flags, String classPath, int cpuRounds) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", classPath, PoolWorker.class.getName()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            OutputStream out = p.getOutputStream();
            DataInputStream in = new DataInputStream(new BufferedInputStream(p.getInputStream()));
            Wire.Buf init = Wire.Buf.frame(Wire.INIT, 256);
            init.putInt(Wire.PROTOCOL);
            init.putString(ProcessPool.DEFAULT_ALLOWED_CLASSES + ";!*");
            init.putInt(8);
            init.putLong(ProcessHandle.current().pid());
            init.put((byte) 0); // no initializer
            init.writeFrameTo(out);
            SerializableFunction<Integer, Integer> bits = n -> factorial(n).bitLength();
            Wire.Buf define = Wire.Buf.frame(Wire.DEFINE, 1024);
            define.putLong(1);
            define.putString(null);
            define.putBytes(WireSerialization.serialize(bits));
            define.writeFrameTo(out);
            send(out, 1);
            in.skipNBytes(Wire.MAGIC.length + 17);
            long ready = System.nanoTime() - t0;
            receive(in);
            long first = System.nanoTime() - t0;
            long[] cpu = new long[Math.max(1, cpuRounds)];
            for (int i = 0; i < cpuRounds; i++) {
                long c0 = System.nanoTime();
                send(out, 20_000);
                receive(in);
                cpu[i] = System.nanoTime() - c0;
            }
            long[] warm = Arrays.copyOfRange(cpu, cpu.length / 2, cpu.length); // the first half is warm-up
            Arrays.sort(warm);
            return new long[] {ready, first, warm[warm.length / 2]};
        } finally {
            p.getOutputStream().close();
            p.waitFor();
        }
    }

    private static void send(OutputStream out, int n) throws IOException {
        Wire.Buf chunk = Wire.Buf.frame(Wire.CHUNK, 64);
        chunk.putLong(1);
        chunk.putLong(1);
        chunk.put((byte) 1);
        WireValues.putElements(chunk, List.of(n), 0, 1);
        chunk.writeFrameTo(out);
        out.flush();
    }

    private static void receive(DataInputStream in) throws IOException {
        Wire.Frame f = Wire.readFrame(in, "worker");
        if (f == null || f.type() != Wire.RESULT) {
            throw new IOException("worker failed: frame " + (f == null ? "EOF" : f.type()));
        }
    }
}
