package org.poolbench.pool.soak;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.poolbench.pool.ProcessPool;
import org.poolbench.pool.SerializableFunction;
import org.poolbench.pool.TaskFailedException;
import org.poolbench.pool.TaskTimeoutException;
import org.poolbench.pool.WorkerDiedException;

/**
 * The pool's soak: seeded rounds, each one fault at a random moment against one operation, checked as a user of the
 * pool would check it. Round {@code r} runs fault {@code r mod F} against operation {@code (r / F) mod 5}, so every
 * fault meets every operation in {@code 5 F} rounds; the seed picks pool size (2-3 workers, {@code -Xmx64m}),
 * {@code maxTasksPerChild}, chunk size, input size and the moment of the fault.
 *
 * <p>Per round it records: whether every exception was the one docs/POOL.md documents for the fault ("clean");
 * whether the call failed to end within its bound ({@value #HANG_BOUND_SECONDS} s; a hang without a timeout is
 * expected to wait and must end at once on {@code terminate()}); results that are wrong, delivered twice, or lost
 * (neither a result nor an exception); worker processes alive 3 s after the pool ended (orphans); and whether the
 * pool then answered a fresh {@code map} correctly (recovered).
 */
public final class Soak {

    /** What goes wrong in a round. */
    public enum Fault {
        NONE, THROW, EXIT, HALT, KILL_9, OUT_OF_MEMORY, FD1_GARBAGE, FD2_GARBAGE, UNREADABLE_RESULT, SIGSTOP_2S,
        HANG_WITH_TIMEOUT, HANG_NO_TIMEOUT
    }

    /** The call the fault hits. */
    public enum Op { MAP, IMAP, IMAP_UNORDERED, APPLY_ASYNC, APPLY }

    /** One fault's totals. */
    public static final class Tally {
        public int rounds;
        public int clean;
        public int hangs;
        public long wrong;
        public long duplicated;
        public long lost;
        public long orphans;
        public int recovered;
    }

    static final int HANG_BOUND_SECONDS = 60;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private Soak() {
    }

    /** Runs {@code rounds} rounds from {@code seed}, logging one line per round to {@code log}. */
    public static Map<Fault, Tally> run(int rounds, long seed, ProcessPool.Transport transport, PrintStream log)
            throws InterruptedException {
        Map<Fault, Tally> tallies = new EnumMap<>(Fault.class);
        for (Fault f : Fault.values()) {
            tallies.put(f, new Tally());
        }
        Random random = new Random(seed);
        ExecutorService callers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "soak-caller");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int r = 0; r < rounds; r++) {
                Fault fault = Fault.values()[r % Fault.values().length];
                Op op = Op.values()[(r / Fault.values().length) % Op.values().length];
                Round round = new Round(fault, op, new Random(random.nextLong()), callers, transport);
                round.run();
                Tally t = tallies.get(fault);
                t.rounds++;
                t.clean += round.clean ? 1 : 0;
                t.hangs += round.hung ? 1 : 0;
                t.wrong += round.wrong;
                t.duplicated += round.duplicated;
                t.lost += round.lost;
                t.orphans += round.orphans;
                t.recovered += round.recovered ? 1 : 0;
                log.printf("round %d: %s on %s, n=%d, workers=%d, chunksize=%d, maxTasksPerChild=%d%s: %s%n", r,
                        fault, op, round.n, round.workers, round.chunksize, round.maxTasksPerChild,
                        round.timeout ? ", timeout " + TIMEOUT.toSeconds() + " s" : "", round.summary());
            }
        } finally {
            callers.shutdownNow();
        }
        return tallies;
    }

    /** The table as CSV, one row per fault. */
    public static List<String> csv(Map<Fault, Tally> tallies) {
        List<String> lines = new ArrayList<>();
        lines.add("fault,rounds,clean_exceptions,hangs,wrong,duplicated,lost,orphans,pool_recovered");
        tallies.forEach((f, t) -> lines.add(String.join(",", f.name().toLowerCase(), "" + t.rounds, "" + t.clean,
                "" + t.hangs, "" + t.wrong, "" + t.duplicated, "" + t.lost, "" + t.orphans, "" + t.recovered)));
        return lines;
    }

    /** The table for people: a Markdown table. */
    public static List<String> table(Map<Fault, Tally> tallies) {
        List<String> lines = new ArrayList<>();
        lines.add("| fault | rounds | clean exceptions | hangs | wrong | duplicated | lost | orphans | pool recovered |");
        lines.add("|---|---|---|---|---|---|---|---|---|");
        tallies.forEach((f, t) -> lines.add("| " + f.name().toLowerCase() + " | " + t.rounds + " | " + t.clean + " | "
                + t.hangs + " | " + t.wrong + " | " + t.duplicated + " | " + t.lost + " | " + t.orphans + " | "
                + t.recovered + " |"));
        return lines;
    }

    // ---- what runs in the workers -------------------------------------------------------------------------------

    /** The task: {@code 3x + 1}, unless {@code x} is where the fault strikes. */
    static Object task(long x, Fault fault, long at) {
        if (x == at) {
            switch (fault) {
                case THROW -> throw new IllegalStateException("soak: task " + x + " throws");
                case EXIT -> System.exit(3);
                case HALT -> Runtime.getRuntime().halt(5);
                case OUT_OF_MEMORY -> {
                    List<long[]> hog = new ArrayList<>();
                    while (true) {
                        hog.add(new long[1 << 20]);
                    }
                }
                case FD1_GARBAGE -> raw(FileDescriptor.out);
                case FD2_GARBAGE -> raw(FileDescriptor.err);
                case UNREADABLE_RESULT -> {
                    return new ArrayList<Object>(List.of(URI.create("soak:" + x))); // not on the allow-list
                }
                case HANG_WITH_TIMEOUT, HANG_NO_TIMEOUT -> {
                    try {
                        Thread.sleep(600_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                default -> { }
            }
        }
        return 3 * x + 1;
    }

    private static void raw(FileDescriptor fd) {
        try {
            FileOutputStream out = new FileOutputStream(fd);
            out.write(new byte[] {0x00, 0x10, 0x00, 0x00, 0x0b}); // read as a 16 MiB frame header by protocol 1
            out.write("HELLO from a task\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- one round ----------------------------------------------------------------------------------------------

    private static final class Round {
        final Fault fault;
        final Op op;
        final Random random;
        final ExecutorService callers;
        final int workers;
        final int maxTasksPerChild;
        final int n;
        final int chunksize;
        final boolean timeout;
        final long at;
        boolean clean = true;
        boolean hung;
        boolean recovered;
        long wrong;
        long duplicated;
        long lost;
        long orphans;
        final List<String> seen = new ArrayList<>();

        final ProcessPool.Transport transport;

        Round(Fault fault, Op op, Random random, ExecutorService callers, ProcessPool.Transport transport) {
            this.transport = transport;
            this.fault = fault;
            this.op = op;
            this.random = random;
            this.callers = callers;
            this.workers = 2 + random.nextInt(2);
            boolean single = op == Op.APPLY_ASYNC || op == Op.APPLY;
            this.n = single ? 100 + random.nextInt(401) : 1000 + random.nextInt(4001);
            int auto = (int) Math.max(1, (n + 4L * workers - 1) / (4L * workers));
            this.chunksize = single ? 1 : List.of(1, 10, auto).get(random.nextInt(3));
            // recycling on: each worker replaced 2-4 times in the call (a JVM start costs ~0.1-0.3 s here)
            int chunks = (n + chunksize - 1) / chunksize;
            this.maxTasksPerChild = random.nextBoolean() ? 0 : Math.max(1, chunks / (workers * (2 + random.nextInt(3))));
            this.timeout = fault == Fault.HANG_WITH_TIMEOUT || (fault != Fault.HANG_NO_TIMEOUT
                    && fault != Fault.SIGSTOP_2S && random.nextBoolean());
            this.at = fault == Fault.NONE || fault == Fault.KILL_9 || fault == Fault.SIGSTOP_2S ? -1 : random.nextInt(n);
        }

        String summary() {
            return (clean ? "clean" : "NOT CLEAN") + (hung ? ", HUNG" : "") + (wrong + duplicated + lost > 0
                    ? ", wrong " + wrong + ", duplicated " + duplicated + ", lost " + lost : "")
                    + (orphans > 0 ? ", ORPHANS " + orphans : "") + (recovered ? ", recovered" : ", NOT RECOVERED")
                    + (seen.isEmpty() ? "" : "; exceptions: " + String.join(", ", new LinkedHashSet<>(seen)));
        }

        void run() throws InterruptedException {
            var b = ProcessPool.builder().workers(workers).maxTasksPerChild(maxTasksPerChild)
                    .jvmArgs("-Xmx64m").transport(transport);
            if (timeout) {
                b.taskTimeout(TIMEOUT);
            }
            ProcessPool pool = b.build();
            Set<Long> pids = java.util.concurrent.ConcurrentHashMap.newKeySet();
            pids.addAll(pool.workerPids());
            boolean terminated = false;
            try {
                List<Long> xs = LongStream.range(0, n).boxed().toList();
                Fault f = fault;
                long strike = at;
                SerializableFunction<Long, Object> fn = x -> task(x, f, strike);
                Future<?> external = callers.submit(() -> externalFault(pool, pids));
                CompletableFuture<Void> call = CompletableFuture.runAsync(() -> call(pool, fn, xs), callers);
                try {
                    if (fault == Fault.HANG_NO_TIMEOUT) {
                        try {
                            call.get(3, TimeUnit.SECONDS);
                            clean = false; // it should still be waiting, as in CPython
                        } catch (TimeoutException expected) {
                            long t0 = System.nanoTime();
                            pool.terminate();
                            terminated = true;
                            try {
                                call.get(10, TimeUnit.SECONDS);
                            } catch (TimeoutException e) {
                                hung = true;
                            }
                            recovered = !hung && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10);
                        }
                    } else {
                        call.get(HANG_BOUND_SECONDS, TimeUnit.SECONDS);
                    }
                } catch (TimeoutException e) {
                    hung = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    clean = false;
                    seen.add("call: " + e.getCause());
                }
                external.get(30, TimeUnit.SECONDS);
                pids.addAll(terminated ? List.of() : pool.workerPids());
                if (!terminated && !hung) {
                    List<Long> small = LongStream.range(0, 100).boxed().toList();
                    CompletableFuture<List<Long>> after = CompletableFuture.supplyAsync(
                            () -> pool.map(x -> 3 * x + 1, small, 10), callers);
                    try {
                        recovered = after.get(HANG_BOUND_SECONDS, TimeUnit.SECONDS)
                                .equals(small.stream().map(x -> 3 * x + 1).toList());
                        pids.addAll(pool.workerPids());
                    } catch (Exception e) {
                        seen.add("recovery: " + e);
                    }
                }
            } catch (Exception e) {
                clean = false;
                seen.add("soak: " + e);
            } finally {
                if (hung) {
                    pool.terminate();
                } else if (!terminated) {
                    pool.close();
                }
            }
            orphans = countAlive(pids, 3_000);
        }

        /** kill -9 or SIGSTOP of a random worker at a random moment, from outside, as an operator would. */
        private void externalFault(ProcessPool pool, Set<Long> pids) {
            if (fault != Fault.KILL_9 && fault != Fault.SIGSTOP_2S) {
                return;
            }
            try {
                Thread.sleep(random.nextInt(300));
                List<Long> now = pool.workerPids();
                if (now.isEmpty()) {
                    return;
                }
                long pid = now.get(random.nextInt(now.size()));
                pids.add(pid);
                if (fault == Fault.KILL_9) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                } else {
                    signal("-STOP", pid);
                    Thread.sleep(2_000);
                    signal("-CONT", pid);
                }
            } catch (InterruptedException | IllegalStateException e) {
                // the pool ended meanwhile
            }
        }

        private static void signal(String sig, long pid) throws InterruptedException {
            try {
                new ProcessBuilder("kill", sig, Long.toString(pid)) // a recycled worker may be gone: no message
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run kill " + sig + ": " + e, e);
            }
        }

        /** Runs the operation and checks every outcome. */
        private void call(ProcessPool pool, SerializableFunction<Long, Object> fn, List<Long> xs) {
            int[] count = new int[n];
            try {
                switch (op) {
                    case MAP -> {
                        List<Object> out;
                        try {
                            out = pool.map(fn, xs, chunksize);
                        } catch (RuntimeException e) {
                            note(e);
                            return; // all or nothing, as documented
                        }
                        for (int i = 0; i < n; i++) {
                            check(i, out.get(i), count);
                        }
                    }
                    case IMAP, IMAP_UNORDERED -> {
                        Iterator<Object> it = op == Op.IMAP ? pool.imap(fn, xs, chunksize)
                                : pool.imapUnordered(fn, xs, chunksize);
                        int i = 0;
                        while (it.hasNext()) {
                            try {
                                Object v = it.next();
                                check(op == Op.IMAP ? i : indexOf(v), v, count);
                            } catch (CancellationException e) {
                                note(e);
                                return;
                            } catch (RuntimeException e) {
                                note(e);
                                if (op == Op.IMAP) {
                                    count[i]++;
                                }
                            }
                            i++;
                        }
                        if (op == Op.IMAP_UNORDERED) {
                            // failures carry no index: account by total
                            long delivered = 0;
                            for (int c : count) {
                                delivered += c;
                            }
                            long failures = i - delivered;
                            lost += Math.max(0, n - delivered - failures);
                            return;
                        }
                    }
                    case APPLY_ASYNC -> {
                        List<CompletableFuture<Object>> fs = new ArrayList<>(n);
                        for (Long x : xs) {
                            fs.add(pool.applyAsync(fn, x));
                        }
                        for (int i = 0; i < n; i++) {
                            try {
                                check(i, fs.get(i).get(HANG_BOUND_SECONDS, TimeUnit.SECONDS), count);
                            } catch (java.util.concurrent.ExecutionException e) {
                                note(e.getCause());
                                count[i]++;
                            } catch (CancellationException e) {
                                note(e);
                                return;
                            } catch (TimeoutException e) {
                                hung = true;
                                return;
                            }
                        }
                    }
                    case APPLY -> { // one at a time from this thread: over shared memory it reads its own results
                        for (int i = 0; i < n; i++) {
                            try {
                                check(i, pool.apply(fn, xs.get(i)), count);
                            } catch (CancellationException e) {
                                note(e);
                                return;
                            } catch (RuntimeException e) {
                                note(e);
                                count[i]++;
                            }
                        }
                    }
                    default -> throw new IllegalStateException(op.toString());
                }
                for (int c : count) {
                    if (c == 0) {
                        lost++;
                    } else if (c > 1) {
                        duplicated += c - 1;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private int indexOf(Object v) {
            return v instanceof Long l && (l - 1) % 3 == 0 && (l - 1) / 3 < n ? (int) ((l - 1) / 3) : -1;
        }

        private void check(int i, Object v, int[] count) {
            if (i < 0 || i >= n || !Long.valueOf(3L * i + 1).equals(v)) {
                wrong++;
                return;
            }
            count[i]++;
        }

        /** Records an exception and whether it is the one POOL.md documents for this fault. */
        private void note(Throwable e) {
            seen.add(e.getClass().getSimpleName());
            boolean expected = switch (fault) {
                case THROW, UNREADABLE_RESULT -> e instanceof TaskFailedException;
                case OUT_OF_MEMORY -> e instanceof TaskFailedException
                        || (e instanceof WorkerDiedException && !(e instanceof TaskTimeoutException));
                case EXIT, HALT, KILL_9 -> e instanceof WorkerDiedException && !(e instanceof TaskTimeoutException);
                case HANG_WITH_TIMEOUT -> e instanceof TaskTimeoutException;
                case HANG_NO_TIMEOUT -> e instanceof CancellationException;
                default -> false;
            };
            if (!expected) {
                clean = false;
            }
        }
    }

    /** How many of {@code pids} are still running after up to {@code millis}. */
    static long countAlive(Set<Long> pids, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long alive = pids.stream().filter(Soak::running).count();
            if (alive == 0 || System.nanoTime() > deadline) {
                return alive;
            }
            Thread.sleep(50);
        }
    }

    private static boolean running(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try { // a zombie has exited: only its status is left for its parent
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
