package org.poolbench.pool;

/**
 * A task threw an exception in its worker. The worker lives on.
 *
 * <p>The {@linkplain #getCause() cause} is the remote exception rebuilt in this JVM: it prints with the remote
 * class name, message and stack trace (and its own causes), but it is not an instance of the remote class; use
 * {@link #remoteClassName()} to test what was thrown.
 */
public class TaskFailedException extends RuntimeException {
    private final String remoteClassName;
    private final String remoteMessage;
    private final long workerPid;

    /** {@code error} is usually a {@link RemoteThrowable}; a local one when the result could not be read back. */
    TaskFailedException(String what, long workerPid, Throwable error) {
        super(what + (error instanceof RemoteThrowable ? " failed in worker pid " + workerPid + ": "
                : ": its result from worker pid " + workerPid + " cannot be read: ") + error, error);
        this.remoteClassName = error instanceof RemoteThrowable r ? r.className() : error.getClass().getName();
        this.remoteMessage = error.getMessage();
        this.workerPid = workerPid;
    }

    /** The fully qualified class name of the exception the task threw, e.g. {@code java.lang.ArithmeticException}. */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** The message of the exception the task threw, or {@code null}. */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** The process id of the worker that ran the task. */
    public long workerPid() {
        return workerPid;
    }
}
