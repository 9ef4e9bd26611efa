package org.poolbench.backend;

/** A task failed inside a backend; the cause is the task's own exception where one exists. */
public class BackendException extends RuntimeException {
    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
