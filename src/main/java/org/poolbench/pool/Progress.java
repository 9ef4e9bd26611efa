package org.poolbench.pool;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A few words of memory shared by a worker and the parent (a file both map, unlinked once the worker has connected):
 * what the worker is running, written with plain release stores on every task, so per-task progress costs the hot
 * path no frame, no system call and no thread.
 *
 * <ul>
 * <li>{@code started}: how many tasks the worker has started; the parent's watchdog sees a task start when it
 *     changes, and times each task, not each chunk.
 * <li>{@code index}: the running task's index in its chunk, to name the task that timed out.
 * <li>{@code gate}: the id of the chunk the worker last started, or {@code -id} of a chunk the parent took back.
 *     The worker starts chunk {@code k} with a CAS from whatever is there to {@code k}, unless it finds {@code -k};
 *     the parent takes back chunk {@code k} waiting behind running chunk {@code h} with a CAS from {@code h} to
 *     {@code -k}. Exactly one CAS wins, so a chunk taken back never runs in the worker, and a chunk that started is
 *     never taken back: a task runs at most once.
 * </ul>
 */
final class Progress {
    static final int BYTES = 64;
    private static final int STARTED = 0;
    private static final int INDEX = 8;
    private static final int GATE = 16;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final ByteBuffer shared;
    private long started; // the worker's own count (only the worker writes it)

    private Progress(ByteBuffer shared) {
        this.shared = shared;
    }

    /** Maps {@code file}, making it {@link #BYTES} long. */
    static Progress map(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(BYTES);
            return new Progress(f.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, BYTES));
        }
    }

    /** Memory nobody else sees: for a worker run without a pool (probes). */
    static Progress local() {
        return new Progress(ByteBuffer.allocateDirect(BYTES));
    }

    // ---- the worker's side --------------------------------------------------------------------------------------

    /** Claims chunk {@code id} for running; false if the parent took it back (then it must not run or answer). */
    boolean startChunk(long id) {
        while (true) {
            long g = (long) LONGS.getVolatile(shared, GATE);
            if (g == -id) {
                LONGS.setVolatile(shared, GATE, 0L); // the same chunk may come back later and must run then
                return false;
            }
            if (LONGS.compareAndSet(shared, GATE, g, id)) {
                return true;
            }
        }
    }

    /** Task {@code index} of the current chunk starts now. */
    void startTask(int index) {
        LONGS.setRelease(shared, INDEX, (long) index);
        LONGS.setRelease(shared, STARTED, ++started);
    }

    // ---- the parent's side --------------------------------------------------------------------------------------

    long tasksStarted() {
        return (long) LONGS.getAcquire(shared, STARTED);
    }

    int taskIndex() {
        return (int) (long) LONGS.getAcquire(shared, INDEX);
    }

    /** True if the worker started chunk {@code id} (claimed it at the gate); false if it never did. */
    boolean started(long id) {
        return (long) LONGS.getVolatile(shared, GATE) == id;
    }

    /** Takes back chunk {@code waiting} if the worker is still running chunk {@code running} and has not begun it. */
    boolean takeBack(long running, long waiting) {
        return LONGS.compareAndSet(shared, GATE, running, -waiting);
    }
}
