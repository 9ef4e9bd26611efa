package org.poolbench.pool;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * The two-argument twin of {@link SerializableFunction}, used by {@code starmap}.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableBiFunction<A, B, R> extends BiFunction<A, B, R>, Serializable {
}
