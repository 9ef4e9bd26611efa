package org.poolbench.pool;

import java.time.Duration;
import java.util.List;

/**
 * A task ran past the pool's {@linkplain ProcessPoolBuilder#taskTimeout task timeout}; its worker was killed (so the
 * exit code is that of a kill) and replaced.
 */
public class TaskTimeoutException extends WorkerDiedException {
    private final Duration timeout;

    TaskTimeoutException(String message, long pid, int exitCode, List<String> stderrTail, Duration timeout) {
        super(message, pid, exitCode, stderrTail);
        this.timeout = timeout;
    }

    /** The timeout that was exceeded (per task; a chunk of k tasks is allowed k times this). */
    public Duration timeout() {
        return timeout;
    }
}
