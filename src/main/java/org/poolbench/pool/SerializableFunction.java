package org.poolbench.pool;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A function that can be sent to a worker JVM: the JVM's answer to pickling a function by name.
 *
 * <p>A lambda or method reference whose target type is this interface is compiled as a serializable lambda, so the
 * worker, which runs with the parent's class path, can rebuild it from its name and captured values. Captured values
 * must themselves be serializable.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
}
