package org.poolbench.cluster;

/**
 * A {@link ClusterDispatcher#map} failed: a task threw (the cause is the task's exception), every member was lost,
 * a chunk could not be sent or answered, or the caller was interrupted.
 *
 * <p>A member throws it too, when a task of a chunk throws; the client rebuilds it from its class name, message and
 * cause through the public {@code (String, Throwable)} constructor, which is why both are public.
 */
public class DispatchException extends RuntimeException {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    public DispatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
