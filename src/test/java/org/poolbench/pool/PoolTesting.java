package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Helpers shared by the pool tests (and, for {@link #running}, by other packages' process checks). */
public final class PoolTesting {
    private PoolTesting() {
    }

    /** Pids of every live descendant of this JVM that runs the pool's worker class. */
    static Set<Long> liveWorkers() {
        return ProcessHandle.current().descendants()
                .filter(p -> running(p.pid()))
                .filter(p -> p.info().commandLine().map(c -> c.contains(PoolWorker.class.getName())).orElse(true))
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    /** Waits (bounded) until none of {@code pids} is alive; returns those still alive at the end. */
    static Set<Long> awaitGone(List<Long> pids, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            Set<Long> alive = pids.stream().filter(PoolTesting::running).collect(Collectors.toSet());
            if (alive.isEmpty() || System.nanoTime() > deadline) {
                return alive;
            }
            Thread.sleep(20);
        }
    }

    /**
     * True if the process exists and is not a zombie. {@code ProcessHandle.isAlive()} is also true for a zombie: a
     * process that has exited but whose status its parent has not collected yet. An orphaned worker's new parent is
     * init (here a VM agent) and may collect late; the worker is gone all the same.
     */
    public static boolean running(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')'); // the command name may contain anything, even ") "
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return Files.exists(Path.of("/proc", Long.toString(pid))) || !Files.isDirectory(Path.of("/proc"));
        }
    }

    /** Asserts that no worker process of this JVM is left (waiting, bounded, for exits already under way). */
    static void assertNoWorkersLeft() throws InterruptedException {
        Set<Long> left = awaitGone(List.copyOf(liveWorkers()), Duration.ofSeconds(5));
        assertEquals(Set.of(), left, "worker processes left behind");
    }

    /**
     * Waits (bounded) until {@code condition} holds, polling it; fails the test with {@code what} if it does not
     * within {@code bound}.
     */
    static void await(java.util.function.BooleanSupplier condition, Duration bound, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                org.junit.jupiter.api.Assertions.fail("not within " + bound + ": " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Runs in a worker: creates {@code started} (the task is running), then sleeps ten minutes. */
    static long markThenHang(String started) {
        try {
            Files.writeString(Path.of(started), "x");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sleep(600_000);
    }

    /** Runs in a worker: appends a line to {@code log} (one per run), sleeps {@code millis}, then halts its JVM. */
    static long logThenHalt(String log, long millis) {
        try {
            Files.writeString(Path.of(log), "ran\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sleep(millis);
        Runtime.getRuntime().halt(3);
        return millis;
    }

    /** Runs in a worker: sleeps {@code millis}, then returns it. */
    static long sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return millis;
    }

    /** Runs in a worker: writes raw bytes to file descriptor 1, under the protocol's feet. */
    static int writeToStdout(int x) {
        try {
            FileOutputStream raw = new FileOutputStream(FileDescriptor.out);
            raw.write(("HELLO " + x).getBytes(StandardCharsets.US_ASCII));
            raw.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return x;
    }

    /** Set in a worker by a pool's initializer. */
    static volatile String initialized;

    static Object initialize(String value) {
        if (value.startsWith("fail")) {
            throw new IllegalStateException("initializer refuses '" + value + "'");
        }
        initialized = value;
        return null;
    }

    static long pid(Object ignored) {
        return ProcessHandle.current().pid();
    }
}
