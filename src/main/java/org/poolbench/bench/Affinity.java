package org.poolbench.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.NativeLong;

/**
 * This JVM's CPU mask: read from {@code /proc/self/status}, changed with {@code sched_setaffinity(2)} on every
 * thread of the process (JIT compiler threads included), as {@code taskset -a -p} would. Linux only; HotSpot re-reads
 * the mask whenever {@link Runtime#availableProcessors()} is called, which is how a change is checked.
 *
 * <p>The system call goes through JNA: starting {@code taskset} from a JVM takes about 9 ms, and a scaling turn
 * moves the JVM, each worker JVM and single threads, so that turns cost 50–120 ms of set-up each (a tenth of a
 * quick run). Where JNA cannot load its native part, {@code taskset} does the same work.
 */
public final class Affinity {

    private Affinity() {
    }

    /** The one function of the C library used here; {@code size_t} is an unsigned long on every Linux ABI. */
    private interface LibC extends Library {
        int sched_setaffinity(int tid, NativeLong size, byte[] mask) throws LastErrorException;
    }

    /** errno when the thread or process no longer exists. */
    private static final int ESRCH = 3;

    /** The C library, loaded on the first mask set (reading and parsing masks needs no native code). */
    private static final class Loaded {
        static final LibC LIBC = load();

        private static LibC load() {
            try {
                return com.sun.jna.Native.load("c", LibC.class);
            } catch (LinkageError e) {
                return null; // no JNA native part for this platform: taskset below
            }
        }
    }

    /** True when masks are set by system call, false when by {@code taskset}. */
    static boolean bySystemCall() {
        return Loaded.LIBC != null;
    }

    /** The CPUs this process may run on, ascending. */
    public static List<Integer> current() {
        return maskIn(Path.of("/proc/self/status"));
    }

    /**
     * Restricts every thread of this process to {@code cpus} and checks that the JVM now sees that many processors.
     *
     * @throws IllegalStateException if the kernel refuses the mask or the JVM still sees another processor count
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
     * Restricts only the calling thread to {@code cpu} (its thread id from {@code /proc/thread-self}); the JVM's other
     * threads keep their masks.
     */
    public static void restrictThisThread(int cpu) {
        long tid;
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "<pid>/task/<tid>"
            tid = Long.parseLong(self.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot find this thread's id in /proc/thread-self", e);
        }
        setThreadMask(List.of(cpu), tid);
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
                if (names.matcher(comm).matches()
                        && setThreadMask(List.of(cpu), Long.parseLong(task.getFileName().toString()))) {
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
        if (!bySystemCall()) {
            tasksetAll(cpus, pid);
            return;
        }
        // every thread listed, then the list read again until it shows none not yet moved: a thread started meanwhile
        // by one not yet moved inherits the old mask
        Set<Long> moved = new HashSet<>();
        for (int round = 1; ; round++) {
            List<Long> tids = threadsOf(pid);
            if (moved.containsAll(tids)) {
                return;
            }
            if (round > 10) {
                throw new IllegalStateException("process " + pid + " keeps starting threads faster than its CPU mask "
                        + "can be set");
            }
            for (long tid : tids) {
                if (moved.add(tid)) {
                    setThreadMask(cpus, tid);
                }
            }
        }
    }

    /** The thread ids of process {@code pid}, from {@code /proc/<pid>/task}. */
    private static List<Long> threadsOf(long pid) {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.map(t -> Long.parseLong(t.getFileName().toString())).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot list the threads of process " + pid + " (No such process?)", e);
        }
    }

    /**
     * Sets thread {@code tid}'s mask to {@code cpus}; false if the thread has ended.
     *
     * @throws IllegalStateException if the kernel refuses the mask (no such CPU online, not permitted)
     */
    private static boolean setThreadMask(List<Integer> cpus, long tid) {
        LibC libc = Loaded.LIBC;
        if (libc == null) {
            taskset(List.of("-p", "-c", list(cpus), String.valueOf(tid)));
            return true;
        }
        byte[] mask = new byte[Math.max(128, cpus.stream().mapToInt(c -> c / 8 + 1).max().orElse(0) + 7 & ~7)];
        for (int cpu : cpus) {
            mask[cpu / 8] |= (byte) (1 << (cpu % 8));
        }
        try {
            libc.sched_setaffinity((int) tid, new NativeLong(mask.length), mask);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ESRCH) {
                return false;
            }
            throw new IllegalStateException("sched_setaffinity(" + tid + ", cpus " + list(cpus) + ") failed: "
                    + e.getMessage(), e);
        }
    }

    private static String list(List<Integer> cpus) {
        return String.join(",", cpus.stream().map(String::valueOf).toList());
    }

    private static void tasksetAll(List<Integer> cpus, long pid) {
        List<String> args = List.of("-a", "-p", "-c", list(cpus), String.valueOf(pid));
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
