package org.poolbench.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.poolbench.pool.ProcessPool;

/**
 * A user's program, not JMH: a pool built with its defaults (plus {@code -Dpoolbench.pool.transport=...} if given)
 * and used at once. It maps 10^6 boxed squares five times (the first is cold), runs 20 000 {@code apply}s, times the
 * pipe floor (a frame echoed by a second JVM with the workers' flags, as OverheadBenchmark.pipeFloor), and then, right
 * after, CPython's {@code Pool().map} (a process per core) of the same squares three times in a fresh interpreter.
 * For docs/POOL.md, "Transports". Not a test: run by hand,
 *
 * <pre>
 * mvn -B -q -o package -DskipTests &amp;&amp; mvn -B -q -o test-compile
 * java -Dpoolbench.pool.transport=shared-memory -cp target/benchmarks.jar:target/test-classes \
 *     org.poolbench.bench.ColdUseProbe python3
 * </pre>
 */
final class ColdUseProbe {
    private static final int N = 1_000_000;

    private ColdUseProbe() {
    }

    static long square(long x) {
        return x * x;
    }

    public static void main(String[] args) throws Exception {
        String python = args.length > 0 ? args[0] : "python3";
        List<Long> xs = LongStream.range(0, N).boxed().toList();
        long expected = LongStream.range(0, N).map(x -> x * x).sum();
        long t0 = System.nanoTime();
        try (ProcessPool pool = ProcessPool.builder().build()) { // its defaults: a worker per core
            System.out.printf("transport %s; pool of %d built in %.1f ms%n", pool.transport().label(), pool.workers(),
                    (System.nanoTime() - t0) / 1e6);
            for (int round = 0; round < 5; round++) {
                long t = System.nanoTime();
                List<Long> out = pool.map(ColdUseProbe::square, xs);
                double s = (System.nanoTime() - t) / 1e9;
                long sum = 0;
                for (Long v : out) {
                    sum += v;
                }
                if (sum != expected) {
                    throw new IllegalStateException("map(square) returned a wrong sum");
                }
                System.out.printf("map round %d: %.2f M items/s%s%n", round, N / s / 1e6, round == 0 ? " (cold)" : "");
            }
            long[] apply = new long[20_000];
            for (int i = 0; i < apply.length; i++) {
                long t = System.nanoTime();
                long r = pool.apply(ColdUseProbe::square, (long) i);
                apply[i] = System.nanoTime() - t;
                if (r != (long) i * i) {
                    throw new IllegalStateException("apply(square, " + i + ") returned " + r);
                }
            }
            System.out.printf("apply: median %.1f us over the last 10 000 of 20 000%n", median(apply, 10_000) / 1e3);
        }
        System.out.printf("pipe floor: median %.1f us over the last 10 000 of 20 000 echoes%n", pipeFloorNanos() / 1e3);
        String script = String.join("\n",
                "import multiprocessing as mp, time",
                "def sq(x):",
                "    return x * x",
                "if __name__ == '__main__':",
                "    xs = list(range(" + N + "))",
                "    want = sum(x * x for x in xs)",
                "    with mp.Pool() as p:",
                "        for r in range(3):",
                "            t = time.perf_counter()",
                "            out = p.map(sq, xs)",
                "            s = time.perf_counter() - t",
                "            assert sum(out) == want",
                "            print('CPython Pool().map round %d: %.2f M items/s' % (r, len(xs) / s / 1e6))");
        Process py = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
        System.out.print(new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        if (!py.waitFor(120, TimeUnit.SECONDS)) {
            py.destroyForcibly();
            throw new IllegalStateException("CPython did not finish");
        }
    }

    private static long median(long[] t, int last) {
        long[] tail = Arrays.copyOfRange(t, t.length - last, t.length);
        Arrays.sort(tail);
        return tail[tail.length / 2];
    }

    private static long pipeFloorNanos() throws IOException, InterruptedException {
        Process echo = new ProcessBuilder(OverheadBenchmark.echoCommand()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(echo.getOutputStream()));
            DataInputStream in = new DataInputStream(new BufferedInputStream(echo.getInputStream()));
            if (in.readInt() != 1 || in.readByte() != 0) {
                throw new IllegalStateException("PipeEcho did not start");
            }
            long[] t = new long[20_000];
            for (int i = 0; i < t.length; i++) {
                long t0 = System.nanoTime();
                OverheadBenchmark.echo(out, in, i, false);
                t[i] = System.nanoTime() - t0;
            }
            out.close();
            return median(t, 10_000);
        } finally {
            if (!echo.waitFor(10, TimeUnit.SECONDS)) {
                echo.destroyForcibly().waitFor();
            }
        }
    }
}
