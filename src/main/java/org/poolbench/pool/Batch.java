package org.poolbench.pool;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;

/**
 * The outcomes of one {@code map}/{@code imap}/{@code starmap} call, filled in chunk by chunk by the pool's threads
 * and read by the caller: all at once ({@link #awaitAll}), in input order, or in completion order.
 */
final class Batch implements Chunk.Sink {

    /** A task's failure in the results array. */
    private record Failed(RuntimeException error) {
    }

    private final Object[] values;
    private final int chunksize;
    private final boolean[] done;
    private final ArrayDeque<Chunk> completed = new ArrayDeque<>();
    private int doneChunks;

    Batch(int n, int chunksize) {
        this.values = new Object[n];
        this.chunksize = chunksize;
        this.done = new boolean[n == 0 ? 0 : (n + chunksize - 1) / chunksize];
    }

    int chunksize() {
        return chunksize;
    }

    @Override
    public synchronized void done(Chunk c, Object[] results, long pid) {
        if (results.length != c.size) {
            failed(c, new IllegalStateException("worker pid " + pid + " returned " + results.length
                    + " results for " + c.describe() + " (" + c.size + " tasks)"));
            return;
        }
        for (int i = 0; i < results.length; i++) {
            Object v = results[i];
            values[c.offset + i] = v instanceof Wire.Failure f
                    ? new Failed(new TaskFailedException(c.describe(i), pid, f.error())) : v;
        }
        finish(c);
    }

    @Override
    public synchronized void failed(Chunk c, RuntimeException error) {
        Arrays.fill(values, c.offset, c.offset + c.size, new Failed(error));
        finish(c);
    }

    private void finish(Chunk c) {
        done[c.index] = true;
        doneChunks++;
        completed.addLast(c);
        notifyAll();
    }

    /** Waits for every task, then returns the results or throws the first failure in input order. */
    @SuppressWarnings("unchecked")
    synchronized <R> List<R> awaitAll() {
        while (doneChunks < done.length) {
            await();
        }
        RuntimeException first = null;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Object v : values) {
            if (v instanceof Failed f && seen.put(f.error(), Boolean.TRUE) == null) {
                if (first == null) {
                    first = f.error();
                } else if (seen.size() <= 8) {
                    first.addSuppressed(f.error());
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return (List<R>) Arrays.asList(values);
    }

    private void await() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for results");
        }
    }

    private Object take(int i) {
        Object v = values[i];
        values[i] = null; // a streaming caller should not keep every result alive
        if (v instanceof Failed f) {
            throw f.error();
        }
        return v;
    }

    /** Results in input order, each as soon as its chunk is done. */
    <R> Iterator<R> ordered() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < values.length;
            }

            @Override
            @SuppressWarnings("unchecked")
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                synchronized (Batch.this) {
                    int chunk = next / chunksize;
                    while (!done[chunk]) {
                        await();
                    }
                    return (R) take(next++);
                }
            }
        };
    }

    /** Results in the order their chunks complete. */
    <R> Iterator<R> unordered() {
        return new Iterator<>() {
            private Chunk current;
            private int pos;
            private int delivered;

            @Override
            public boolean hasNext() {
                return delivered < values.length;
            }

            @Override
            @SuppressWarnings("unchecked")
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                synchronized (Batch.this) {
                    if (current == null || pos == current.size) {
                        while (completed.isEmpty()) {
                            await();
                        }
                        current = completed.removeFirst();
                        pos = 0;
                    }
                    delivered++;
                    return (R) take(current.offset + pos++);
                }
            }
        };
    }
}
