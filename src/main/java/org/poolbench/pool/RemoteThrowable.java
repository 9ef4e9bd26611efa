package org.poolbench.pool;

/**
 * An exception thrown in a worker, rebuilt in the parent from its class name, message and stack trace (not by
 * deserialization, so that any exception, serializable or not, arrives intact). It prints like the original.
 */
final class RemoteThrowable extends Exception {
    private final String className;

    RemoteThrowable(String className, String message, StackTraceElement[] trace) {
        super(message);
        this.className = className;
        setStackTrace(trace);
    }

    /** The class name of the exception in the worker. */
    String className() {
        return className;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? className : className + ": " + message;
    }
}
