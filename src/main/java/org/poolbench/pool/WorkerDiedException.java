package org.poolbench.pool;

import java.util.List;
import java.util.OptionalInt;

/**
 * A worker process ended while it held this task: it crashed, was killed, or a task called {@code System.exit}.
 * Only the tasks that worker held fail; the pool replaces the worker and keeps working.
 */
public class WorkerDiedException extends RuntimeException {
    private final long pid;
    private final int exitCode;
    private final List<String> stderrTail;

    WorkerDiedException(String message, long pid, int exitCode, List<String> stderrTail) {
        super(message + describeTail(stderrTail));
        this.pid = pid;
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
    }

    static String describeExit(int exitCode) {
        if (exitCode > 128 && exitCode < 128 + 65) {
            int signal = exitCode - 128;
            return "exit code " + exitCode + " (signal " + signal + signalName(signal) + ")";
        }
        return "exit code " + exitCode;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 6 -> " SIGABRT";
            case 9 -> " SIGKILL";
            case 11 -> " SIGSEGV";
            case 15 -> " SIGTERM";
            default -> "";
        };
    }

    private static String describeTail(List<String> tail) {
        return tail.isEmpty() ? "; its stderr was empty"
                : "; last lines of its stderr:\n  " + String.join("\n  ", tail);
    }

    /** The process id of the worker. */
    public long pid() {
        return pid;
    }

    /** The worker's exit code; on Linux a death by signal {@code s} shows as {@code 128 + s}. */
    public int exitCode() {
        return exitCode;
    }

    /** The signal that killed the worker, if its exit code says it was one. */
    public OptionalInt signal() {
        return exitCode > 128 && exitCode < 128 + 65 ? OptionalInt.of(exitCode - 128) : OptionalInt.empty();
    }

    /** The last lines the worker wrote to stderr (and to {@code System.out}, which workers send to stderr). */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
