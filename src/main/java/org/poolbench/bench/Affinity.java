package org.poolbench.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * This JVM's CPU mask: read from {@code /proc/self/status}, changed with {@code taskset -a -p} (every thread of the
 * process, JIT compiler threads included). Linux only; HotSpot re-reads the mask whenever
 * {@link Runtime#availableProcessors()} is called, which is how a change is checked.
 */
public final class Affinity {

    private Affinity() {
    }

    /** The CPUs this process may run on, ascending. */
    public static List<Integer> current() {
        return maskIn(Path.of("/proc/self/status"));
    }

    /**
     * Restricts every thread of this process to {@code cpus} and checks that the JVM now sees that many processors.
     *
     * @throws IllegalStateException if taskset fails or the JVM still sees another processor count
     */
    public static void restrict(List<Integer> cpus) {
        setMask(cpus, ProcessHandle.current().pid());
        Cores.check(cpus.size());
    }

    /**
     * {@link #restrict} for this JVM and every process it started (a process pool's workers and their children):
     * a child inherits its parent's mask only when it starts.
     */
    public static void restrictTree(List<Integer> cpus) {
        restrict(cpus);
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            if (child.isAlive()) {
                try {
                    setMask(cpus, child.pid());
                } catch (IllegalStateException e) {
                    if (child.isAlive()) { // one that ended meanwhile has no mask to set
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * Restricts only the calling thread to {@code cpu} ({@code taskset -p} on its thread id, from
     * {@code /proc/thread-self}); the JVM's other threads keep their masks.
     */
    public static void restrictThisThread(int cpu) {
        long tid;
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "<pid>/task/<tid>"
            tid = Long.parseLong(self.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot find this thread's id in /proc/thread-self", e);
        }
        taskset(List.of("-p", "-c", String.valueOf(cpu), String.valueOf(tid)));
    }

    /**
     * Restricts every thread of this process whose name ({@code /proc/self/task/<tid>/comm}, at most 15 characters,
     * e.g. {@code "VM Thread"}, {@code "C2 CompilerThre"}) matches {@code names} to {@code cpu}; returns how many.
     */
    public static int restrictThreadsNamed(java.util.regex.Pattern names, int cpu) {
        int moved = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                if (names.matcher(comm).matches()) {
                    taskset(List.of("-p", "-c", String.valueOf(cpu), task.getFileName().toString()));
                    moved++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list this process's threads", e);
        }
        return moved;
    }

    /** The CPUs the calling thread may run on, from {@code /proc/thread-self/status}. */
    public static List<Integer> ofThisThread() {
        return maskIn(Path.of("/proc/thread-self/status"));
    }

    private static void setMask(List<Integer> cpus, long pid) {
        String list = String.join(",", cpus.stream().map(String::valueOf).toList());
        List<String> args = List.of("-a", "-p", "-c", list, String.valueOf(pid));
        // taskset -a lists the process's threads, then sets each: a thread that ends in between fails the call with
        // "No such process" although every thread still alive may have its mask. Running it again covers them.
        for (int attempt = 1; ; attempt++) {
            try {
                taskset(args);
                return;
            } catch (IllegalStateException e) {
                boolean threadEnded = e.getMessage() != null && e.getMessage().contains("No such process")
                        && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (!threadEnded || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Runs {@code taskset args}; a failure is an {@link IllegalStateException} naming the command and its output. */
    private static void taskset(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("taskset"));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", cmd), e);
        }
    }

    /** The CPUs process {@code pid} may run on, from {@code /proc/<pid>/status}. */
    public static List<Integer> of(long pid) {
        return maskIn(Path.of("/proc/" + pid + "/status"));
    }

    /** The {@code Cpus_allowed_list} of a {@code /proc} status file. */
    private static List<Integer> maskIn(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parseList(line.substring(line.indexOf(':') + 1).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU mask in " + status, e);
        }
        throw new IllegalStateException(status + " has no Cpus_allowed_list: not Linux?");
    }

    /** Parses a Linux CPU list such as {@code 0-3,8,10-11}, ascending and without repeats. */
    public static List<Integer> parseList(String list) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : list.split(",")) {
            part = part.strip();
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            if (dash < 0) {
                out.add(Integer.parseInt(part));
            } else {
                int lo = Integer.parseInt(part.substring(0, dash));
                int hi = Integer.parseInt(part.substring(dash + 1));
                for (int i = lo; i <= hi; i++) {
                    out.add(i);
                }
            }
        }
        return new ArrayList<>(out);
    }
}
