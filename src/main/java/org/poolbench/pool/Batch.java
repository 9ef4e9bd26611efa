package org.poolbench.pool;

import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The outcomes of one {@code map}/{@code imap}/{@code starmap} call, filled in chunk by chunk by the pool's threads
 * and read by the caller: all at once ({@link #awaitAll}), in input order, or in completion order.
 *
 * <p>Each chunk's results are kept as the column the reader decoded ({@link Wire#getColumn}): a chunk of longs stays
 * a {@code long[]} and is boxed as it is read.
 */
final class Batch implements Chunk.Sink {

    /** A failure in place of a task's result, or of a whole chunk's. */
    private record Failed(RuntimeException error) {
    }

    private final int n;
    private final int chunksize;
    private final Object[] columns; // per chunk: a column, a Failed for the whole chunk, or null while running
    private final ArrayDeque<Chunk> completed; // only for unordered(): in completion order
    private int doneChunks;
    // what waiting callers need, so that a chunk wakes them only then: on a small virtual machine a wake-up per
    // chunk (a futex call each side) cost more than a tiny task
    private int wantIndex = -1; // an imap caller waits for this chunk
    private int wantAny; // imap_unordered callers waiting for any chunk

    Batch(int n, int chunksize, boolean unordered) {
        this.n = n;
        this.chunksize = chunksize;
        this.completed = unordered ? new ArrayDeque<>() : null;
        this.columns = new Object[n == 0 ? 0 : (n + chunksize - 1) / chunksize];
    }

    private CompletableFuture<List<Object>> whenAll; // for mapAsync; completed outside the lock

    /**
     * A future of {@link #awaitAll()}'s outcome, completed on the pool thread that delivers the last chunk. Must be
     * called before any chunk is submitted.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    <R> CompletableFuture<List<R>> whenAll() {
        whenAll = new CompletableFuture<>();
        if (columns.length == 0) {
            whenAll.complete(List.of());
        }
        return (CompletableFuture) whenAll;
    }

    @Override
    public void done(Chunk c, Object column, long pid) {
        if (record(c, column, pid)) {
            completeWhenAll();
        }
    }

    @Override
    public void failed(Chunk c, RuntimeException error) {
        if (recordFailure(c, error)) {
            completeWhenAll();
        }
    }

    private void completeWhenAll() {
        if (whenAll != null) {
            try {
                whenAll.complete(awaitAll()); // all chunks are done: this does not wait
            } catch (RuntimeException e) {
                whenAll.completeExceptionally(e);
            }
        }
    }

    /** True if this was the last chunk. */
    private synchronized boolean record(Chunk c, Object column, long pid) {
        int length = WireValues.columnLength(column);
        if (length != c.size) {
            return recordFailure(c, new IllegalStateException("worker pid " + pid + " returned " + length
                    + " results for " + c.describe() + " (" + c.size + " tasks)"));
        }
        if (column instanceof Object[] values) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof WireValues.Failure f) {
                    values[i] = new Failed(new TaskFailedException(c.describe(i), pid, f.error()));
                }
            }
        }
        columns[c.index] = column;
        return finish(c);
    }

    private synchronized boolean recordFailure(Chunk c, RuntimeException error) {
        columns[c.index] = new Failed(error);
        return finish(c);
    }

    private boolean finish(Chunk c) {
        doneChunks++;
        if (completed != null) {
            completed.addLast(c);
        }
        boolean all = doneChunks == columns.length;
        if (all || c.index == wantIndex || wantAny > 0) {
            notifyAll();
        }
        return all;
    }

    /** Task {@code i}'s result; throws its failure. The chunk must be done. */
    private Object get(int i) {
        Object column = columns[i / chunksize];
        Object v = column instanceof Failed ? column : WireValues.columnElement(column, i % chunksize);
        if (v instanceof Failed f) {
            throw f.error();
        }
        return v;
    }

    /** Waits for every task, then returns the results or throws the first failure in input order. */
    synchronized <R> List<R> awaitAll() {
        while (doneChunks < columns.length) {
            await();
        }
        RuntimeException first = null;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Object column : columns) {
            if (column instanceof Failed f) {
                first = note(first, f.error(), seen);
            } else if (column instanceof Object[] values) {
                for (Object v : values) {
                    if (v instanceof Failed f) {
                        first = note(first, f.error(), seen);
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return new Results<>();
    }

    private static RuntimeException note(RuntimeException first, RuntimeException e, Map<Throwable, Boolean> seen) {
        if (seen.put(e, Boolean.TRUE) != null) {
            return first;
        }
        if (first == null) {
            return e;
        }
        if (seen.size() <= 8) {
            first.addSuppressed(e);
        }
        return first;
    }

    private void await() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for results");
        }
    }

    /** The results of a finished, successful call: fixed-size, read-only, boxed on access. */
    private final class Results<R> extends AbstractList<R> implements RandomAccess {
        @Override
        @SuppressWarnings("unchecked")
        public R get(int i) {
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("index " + i + ", size " + n);
            }
            return (R) Batch.this.get(i);
        }

        @Override
        public int size() {
            return n;
        }
    }

    /** Results in input order, each as soon as its chunk is done. */
    <R> Iterator<R> ordered() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < n;
            }

            @Override
            @SuppressWarnings("unchecked")
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                synchronized (Batch.this) {
                    int chunk = next / chunksize;
                    wantIndex = chunk;
                    try {
                        while (columns[chunk] == null) {
                            await();
                        }
                    } finally {
                        wantIndex = -1;
                    }
                    int i = next++;
                    try {
                        return (R) get(i);
                    } finally {
                        if (next % chunksize == 0 || next == n) {
                            columns[chunk] = RELEASED; // a streaming caller should not keep every result alive
                        }
                    }
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
                return delivered < n;
            }

            @Override
            @SuppressWarnings("unchecked")
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                synchronized (Batch.this) {
                    if (current == null || pos == current.size) {
                        wantAny++;
                        try {
                            while (completed.isEmpty()) {
                                await();
                            }
                        } finally {
                            wantAny--;
                        }
                        current = completed.removeFirst();
                        pos = 0;
                    }
                    delivered++;
                    int i = current.offset + pos++;
                    try {
                        return (R) get(i);
                    } finally {
                        if (pos == current.size) {
                            columns[current.index] = RELEASED;
                        }
                    }
                }
            }
        };
    }

    /** Marks a chunk whose results the iterator has handed out. */
    private static final Object RELEASED = new Object[0];
}
