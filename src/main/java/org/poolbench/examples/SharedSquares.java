package org.poolbench.examples;

import java.util.Arrays;
import org.poolbench.ipc.SharedLong;
import org.poolbench.ipc.SharedLongArray;
import org.poolbench.pool.ProcessPool;

/**
 * The material's shared-memory experiment: a child process writes the squares of [1, 2, 3, 4] into a shared
 * {@code Array} and their sum into a shared {@code Value}, and the parent sees both (CPython:
 * {@code multiprocessing.Array('i', 4)}, {@code multiprocessing.Value('i')}). Here: {@link SharedLongArray} and
 * {@link SharedLong} in /dev/shm, written by a {@link ProcessPool} worker that opens them by name.
 *
 * <p>It also shows the other half of the lesson: a plain Java array sent to the worker is a copy, so the parent's
 * array stays zero ("processes share nothing unless told to").
 *
 * <pre>java -cp target/benchmarks.jar org.poolbench.examples.SharedSquares</pre>
 */
public final class SharedSquares {
    private SharedSquares() {
    }

    /** In a worker: squares of 1..length into the shared array, their sum into the shared value. */
    static String squareInto(String names) {
        String[] n = names.split(",");
        try (SharedLongArray result = SharedLongArray.open(n[0]); SharedLong sum = SharedLong.open(n[1])) {
            long total = 0;
            for (int i = 0; i < result.length(); i++) {
                result.set(i, (long) (i + 1) * (i + 1));
                total += result.get(i);
            }
            sum.set(total);
            return "in process " + ProcessHandle.current().pid() + ": result " + Arrays.toString(result.toArray())
                    + ", sum of squares " + sum.get();
        }
    }

    /** In a worker: squares into an ordinary array, which arrived as a copy. */
    static long[] squareCopy(long[] copy) {
        for (int i = 0; i < copy.length; i++) {
            copy[i] = (long) (i + 1) * (i + 1);
        }
        return copy;
    }

    public static void main(String[] args) {
        try (SharedLongArray result = SharedLongArray.create(4); SharedLong sum = SharedLong.create(0);
             ProcessPool pool = ProcessPool.builder().workers(1).build()) {
            System.out.println(pool.apply(SharedSquares::squareInto, result.name() + "," + sum.name()));
            System.out.println("in the parent " + ProcessHandle.current().pid() + ": result "
                    + Arrays.toString(result.toArray()) + ", sum of squares " + sum.get());
            long[] plain = new long[4];
            long[] returned = pool.apply(SharedSquares::squareCopy, plain);
            System.out.println("a plain array, squared in the worker: worker's copy " + Arrays.toString(returned)
                    + ", parent's array still " + Arrays.toString(plain));
        }
    }
}
