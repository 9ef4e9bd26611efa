package org.poolbench.pool;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Consecutive tasks of one call, sent to one worker as one frame: the pool's unit of scheduling, of
 * {@code maxTasksPerChild} and of failure when a worker dies.
 */
final class Chunk {

    /** Where a chunk's outcome goes. Called at most once per chunk, from a pool thread. */
    interface Sink {
        /**
         * Element {@code i} of {@code column} (see {@link Wire#getColumn}) is task {@code offset + i}'s result, or a
         * {@link WireValues.Failure}.
         */
        void done(Chunk chunk, Object column, long pid);

        void failed(Chunk chunk, RuntimeException error);
    }

    final long id;
    final Fn fn;
    final int index;    // position among the call's chunks
    final int offset;   // index of the first task in the call's input
    final int size;
    final Wire.Buf payload;
    final Sink sink;
    final boolean single; // an apply: its only task is "the task", not "task 0"
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Its number in the stream of the worker that holds it ({@link Progress}); set under that worker's locks. */
    long seq;

    Chunk(long id, Fn fn, int index, int offset, int size, Wire.Buf payload, Sink sink, boolean single) {
        this.id = id;
        this.fn = fn;
        this.index = index;
        this.offset = offset;
        this.size = size;
        this.payload = payload;
        this.sink = sink;
        this.single = single;
    }

    /** Claims the right to deliver this chunk's outcome: true exactly once. */
    boolean claim() {
        return finished.compareAndSet(false, true);
    }

    String describe() {
        if (single) {
            return "the task";
        }
        return size == 1 ? "task " + offset : "tasks " + offset + ".." + (offset + size - 1);
    }

    String describe(int i) {
        return single ? "the task" : "task " + (offset + i);
    }

    /**
     * A function as sent to workers: a process-wide id, its serialized form, and its home: the class that defines
     * the lambda (or the function's own class), which the worker may deserialize whatever the allow-list says.
     */
    record Fn(long id, byte[] bytes, byte arity, String home) {
    }
}
