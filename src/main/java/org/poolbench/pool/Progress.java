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
 * <li>{@code gate}: the worker's count of the chunk it last started, or {@code -n} after the parent took back every
 *     chunk it had sent up to its {@code n}th. Both sides count the chunks sent to this worker, 1, 2, 3 ... in the
 *     order of the stream, so a number names one chunk for ever, even one that comes back later. The worker starts
 *     its {@code s}th chunk with a CAS from whatever is there to {@code s}, unless it finds {@code -n} with
 *     {@code s <= n}: then it skips it. The parent takes back the chunks waiting behind the running one, up to the
 *     {@code n}th, with a CAS from a value that says the worker has started none of them to {@code -n}. Exactly one
 *     CAS wins, so a chunk taken back never runs in the worker, and a chunk that started is never taken back: a task
 *     runs at most once.
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
    private long chunks; // the worker's count of the chunks it was sent (only the worker writes it)

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

    /**
     * Counts the next chunk of the stream and claims it for running; false if the parent took it back (then it must
     * not run or answer). Called once for every chunk the worker reads, in order.
     */
    boolean startNextChunk() {
        long s = ++chunks;
        while (true) {
            long g = (long) LONGS.getVolatile(shared, GATE);
            if (g < 0 && s <= -g) {
                return false;
            }
            if (LONGS.compareAndSet(shared, GATE, g, s)) {
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

    /**
     * True if the worker started its {@code seq}th chunk; asked of the oldest chunk the parent still holds (the chunks
     * before it answered or were taken back), for which it is exact.
     */
    boolean began(long seq) {
        long g = (long) LONGS.getVolatile(shared, GATE);
        return seq <= Math.abs(g) && g != 0;
    }

    /**
     * Takes back every chunk sent after the {@code running}th up to the {@code lastWaiting}th, if the worker has
     * started the {@code running}th and none after it: the gate then holds {@code running} itself, or the mark of an
     * earlier take-back made while that chunk ran. False if the worker has moved on (or never began it).
     */
    boolean takeBack(long running, long lastWaiting) {
        while (true) {
            long g = (long) LONGS.getVolatile(shared, GATE);
            if (g != running && !(g < 0 && running <= -g)) {
                return false;
            }
            if (LONGS.compareAndSet(shared, GATE, g, -lastWaiting)) {
                return true;
            }
        }
    }
}
