package org.poolbench.pool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A byte stream from one process to another through memory both map: the shared-memory transport's half of a
 * worker's channel ({@link ProcessPoolBuilder#transport}). One writer thread at a time, one reader thread at a time
 * (single producer, single consumer); frames are the same bytes the pipes carry, so {@link Wire} reads and writes
 * them unchanged. "One reader at a time" may be a relay: the parent's reader thread lends its end, between two frames
 * and only while it sleeps, to a thread that waits for its own result ({@link #input(InputStream, Semaphore,
 * BooleanSupplier)}); the semaphore passed with it orders their accesses.
 *
 * <p>Layout of the file: a header of {@link #HEADER} bytes (the writer's published position {@code tail}, the reader's
 * position {@code head}, each on its own cache line; the reader's {@code sleeping} flag; the writer's {@code closed}
 * flag), then {@code capacity} bytes of data, a power of two. Positions only grow; a byte at position {@code p} lives
 * at {@code p & (capacity - 1)}. Data is written with plain stores and published with a volatile store of
 * {@code tail}; the reader reads {@code tail} before the data, so it never sees bytes before they are written.
 *
 * <p>A waiting reader spins for {@link #SPIN_NANOS} (default 0), then yields for {@link #YIELD_NANOS} (20 µs), then
 * sleeps on the <em>doorbell</em>. Yielding rather than spinning: in the parent the reader shares a processor with
 * the thread that waits for its result, and a spinning reader kept that thread off it for the whole spin
 * ({@code apply} 26.7 µs with a 20 µs spin, 2.4 µs yielding, on 2 vCPUs). Briefly: a result comes within a few µs
 * of its request or not soon, and a parent whose readers yielded for 200 µs spent 60 µs of CPU per 57 µs task on
 * them, CPU the workers needed (12 µs with 20; docs/POOL.md, "Transports"). The doorbell is the
 * channel's FIFO in the same direction, which now carries only wake-up bytes. Before it sleeps it sets
 * {@code sleeping} and looks at {@code tail} again; a writer publishes {@code tail} and then looks at
 * {@code sleeping} (all four accesses volatile, so at least one side sees the other) and writes one byte to the
 * doorbell if it is set. An idle pool therefore burns no CPU. The doorbell keeps what the pipes gave for free: when
 * the writer's process ends, by exit or by {@code kill -9}, the kernel closes its end and the sleeping reader sees
 * EOF, exactly as a reader of a pipe does.
 *
 * <p>A writer that finds the ring full publishes what it wrote, then backs off (spin, yield, then 50 µs naps) until
 * the reader frees space; it gives up with an {@link IOException} if the reader's process is gone. Like a write to a
 * full pipe, the wait is not interruptible (the interrupt is kept). While it naps it rings again whenever it finds the
 * reader asleep: a borrower that handed the watch back in the middle of a frame too large for the ring saw no whole
 * frame to take, and nothing else would wake the reader.
 */
final class Ring {
    /** Bytes before the data: three cache lines of positions and flags, padded. */
    static final int HEADER = 256;
    /** Data bytes per ring and direction; a frame of any size streams through. Memory per worker: twice this. */
    static final int DEFAULT_CAPACITY = 1 << 20;
    private static final int TAIL = 0;
    private static final int HEAD = 64;
    private static final int SLEEPING = 128;
    private static final int CLOSED = 136;

    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("poolbench.pool.spinMicros", 0));
    static final long YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("poolbench.pool.yieldMicros", 20));
    private static final long NAP_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final ByteBuffer shared;
    private final int capacity;
    private final int mask;

    private Ring(ByteBuffer shared, int capacity) {
        this.shared = shared;
        this.capacity = capacity;
        this.mask = capacity - 1;
    }

    /** Makes {@code file} a new empty ring of {@code capacity} data bytes (a power of two, at least 4 KiB). */
    static Ring create(Path file, int capacity) throws IOException {
        if (capacity < 4096 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity " + capacity + " must be a power of two >= 4096");
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(HEADER + (long) capacity);
            return new Ring(f.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, HEADER + (long) capacity), capacity);
        }
    }

    /** Maps the ring another process made at {@code file}. */
    static Ring open(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long length = f.length();
            long capacity = length - HEADER;
            if (capacity < 4096 || capacity > (1 << 30) || Long.bitCount(capacity) != 1) {
                throw new IOException("not a ring: " + file + " is " + length + " bytes long");
            }
            return new Ring(f.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length), (int) capacity);
        }
    }

    int capacity() {
        return capacity;
    }

    /** The reading end: {@code doorbell} is the FIFO the writer rings (and whose EOF means the writer is gone). */
    Input input(InputStream doorbell) {
        return new Input(doorbell, null, null);
    }

    /**
     * A reading end that other threads may read frames from while its own reader sleeps: the reader holds
     * {@code baton} except while it sleeps on the doorbell between two frames, and whoever holds the baton owns the
     * stream's position and the {@code sleeping} flag ({@link Input#frameReady}, {@link Input#watch}). While
     * {@code wanted} says another thread waits for the baton, a reader between two frames goes to sleep at once
     * instead of yielding first.
     */
    Input input(InputStream doorbell, Semaphore baton, BooleanSupplier wanted) {
        return new Input(doorbell, baton, wanted);
    }

    /**
     * The writing end: {@code doorbell} is the FIFO the reader sleeps on; {@code readerAlive} is asked while the ring
     * is full, so that a writer never waits for a dead reader.
     */
    OutputStream output(OutputStream doorbell, BooleanSupplier readerAlive) {
        return new Output(doorbell, readerAlive);
    }

    final class Input extends InputStream {
        private final InputStream doorbell;
        private final Semaphore baton; // null: one reader thread only
        private final BooleanSupplier wanted;
        private final byte[] one = new byte[1];
        private final byte[] drain = new byte[64];
        private long head;
        private long limit; // the last tail seen: bytes up to it can be read without another volatile load
        private boolean ended;
        private boolean betweenFrames; // set by awaitFrame: only there may the reader lend the baton while it sleeps

        Input(InputStream doorbell, Semaphore baton, BooleanSupplier wanted) {
            this.doorbell = doorbell;
            this.baton = baton;
            this.wanted = wanted;
            this.head = (long) LONGS.getVolatile(shared, HEAD);
            this.limit = head;
        }

        @Override
        public int read() throws IOException {
            if (head < limit) {
                byte b = shared.get(HEADER + (int) (head & mask));
                advance(1);
                return b & 0xff;
            }
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (head == limit && !await()) {
                return -1;
            }
            int n = (int) Math.min(len, limit - head);
            int at = (int) (head & mask);
            int first = Math.min(n, capacity - at);
            shared.get(HEADER + at, b, off, first);
            shared.get(HEADER, b, off + first, n - first); // what wrapped: see Output.write
            advance(n);
            return n;
        }

        /**
         * Waits, as {@code read} does, until a frame's first byte is here or the stream ended (false). While it
         * sleeps on the doorbell it lends the baton, so a thread waiting for a result may read the frame itself.
         */
        boolean awaitFrame() throws IOException {
            betweenFrames = true;
            try {
                return head != limit || await();
            } finally {
                betweenFrames = false;
            }
        }

        /**
         * True if a whole frame ({@link Wire}: magic, length, type, body) is here, so that reading it cannot wait;
         * also true for a header that is not a frame's, so that the reader meets the corruption and reports it.
         * False for a frame too large to lie in the ring at once: the reader thread streams those. Call with the
         * baton held.
         */
        boolean frameReady() {
            limit = (long) LONGS.getVolatile(shared, TAIL);
            long here = limit - head;
            if (here < Wire.HEADER) {
                return false;
            }
            if ((byteAt(0) << 8 | byteAt(1)) != Wire.FRAME_MAGIC) {
                return true;
            }
            int length = byteAt(2) << 24 | byteAt(3) << 16 | byteAt(4) << 8 | byteAt(5);
            if (length < 1 || length > Wire.MAX_FRAME) {
                return true;
            }
            return length <= capacity - Wire.HEADER && here >= Wire.HEADER + length;
        }

        private int byteAt(int i) {
            return shared.get(HEADER + (int) ((head + i) & mask)) & 0xff;
        }

        /**
         * Called with the baton held, by a thread that reads frames itself while the reader sleeps: {@code true}
         * tells the writer not to ring (someone is looking); {@code false} hands the watch back to the sleeping
         * reader. After {@code watch(false)} the caller must take every frame {@link #frameReady} still shows: the
         * writer published it without ringing.
         */
        void watch(boolean watching) {
            LONGS.setVolatile(shared, SLEEPING, watching ? 0L : 1L);
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, (long) LONGS.getVolatile(shared, TAIL) - head);
        }

        private void advance(int n) {
            head += n;
            LONGS.setRelease(shared, HEAD, head);
        }

        /** Waits for bytes past {@code head}; false at the end of the stream (closed, or the writer is gone). */
        private boolean await() throws IOException {
            if (ended) {
                return false;
            }
            long start = System.nanoTime();
            while (true) {
                if (fresh()) {
                    return true;
                }
                if (closed()) { // the writer's last bytes may have come with its close
                    return fresh() || end();
                }
                long waited = System.nanoTime() - start;
                if (waited > SPIN_NANOS + YIELD_NANOS || betweenFrames && wanted != null && wanted.getAsBoolean()) {
                    return sleep();
                }
                if (waited > SPIN_NANOS) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
        }

        /** Marks the end of the stream; false, for {@code return fresh() || end()}. */
        private boolean end() {
            ended = true;
            return false;
        }

        private boolean fresh() {
            limit = (long) LONGS.getVolatile(shared, TAIL);
            return limit != head;
        }

        private boolean closed() {
            return (long) LONGS.getVolatile(shared, CLOSED) != 0;
        }

        private boolean sleep() throws IOException {
            while (true) {
                LONGS.setVolatile(shared, SLEEPING, 1L);
                if (fresh() || closed()) {
                    LONGS.setVolatile(shared, SLEEPING, 0L);
                    return fresh() || end();
                }
                boolean lend = baton != null && betweenFrames;
                if (lend) {
                    baton.release();
                }
                int rung;
                try {
                    rung = doorbell.read();
                    for (int extra = doorbell.available(); extra > 0; extra = doorbell.available()) {
                        doorbell.read(drain, 0, Math.min(extra, drain.length)); // rings we did not need: never let them pile up
                    }
                } finally {
                    if (lend) {
                        baton.acquireUninterruptibly(); // a thread that took it is done within microseconds
                    }
                }
                LONGS.setVolatile(shared, SLEEPING, 0L);
                if (fresh()) {
                    return true;
                }
                if (rung < 0 || closed()) { // the writer closed, or its process ended: its end of the FIFO is closed
                    return end();
                }
            }
        }

        @Override
        public void close() throws IOException {
            ended = true;
            doorbell.close();
        }
    }

    private final class Output extends OutputStream {
        private final OutputStream doorbell;
        private final BooleanSupplier readerAlive;
        private long tail; // written up to here; published at flush
        private long freeUpTo; // the reader's head, as last seen, plus capacity
        private boolean closed;

        Output(OutputStream doorbell, BooleanSupplier readerAlive) {
            this.doorbell = doorbell;
            this.readerAlive = readerAlive;
            this.tail = (long) LONGS.getVolatile(shared, TAIL);
            this.freeUpTo = (long) LONGS.getVolatile(shared, HEAD) + capacity;
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            if (tail == freeUpTo) {
                awaitSpace();
            }
            shared.put(HEADER + (int) (tail & mask), (byte) b);
            tail++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            while (len > 0) {
                if (tail == freeUpTo) {
                    awaitSpace();
                }
                int n = (int) Math.min(len, freeUpTo - tail);
                int at = (int) (tail & mask);
                int first = Math.min(n, capacity - at);
                shared.put(HEADER + at, b, off, first);
                // The part that wraps to the ring's start, copied unconditionally (nothing, until the ring wraps): as
                // a branch it was never taken while the JIT profiled the path of small frames, which meet the end of
                // a 1 MiB ring once in some 26 000, so the first wrap deoptimised the compiled path of apply on both
                // sides, and its recompiles held the other core of 2 for a whole round of apply (docs/POOL.md).
                shared.put(HEADER, b, off + first, n - first);
                tail += n;
                off += n;
                len -= n;
            }
        }

        /** Publishes what was written and wakes the reader if it sleeps. */
        @Override
        public void flush() throws IOException {
            ensureOpen();
            publish();
        }

        private void publish() throws IOException {
            LONGS.setVolatile(shared, TAIL, tail);
            if ((long) LONGS.getVolatile(shared, SLEEPING) != 0) {
                doorbell.write(1);
            }
        }

        /**
         * Waits until the reader has freed space. Not interruptible, as a write to a full pipe is not: an interrupt
         * is kept for the caller, and only the reader's death ends the wait early.
         */
        private void awaitSpace() throws IOException {
            publish(); // the reader may be waiting for exactly these bytes
            long start = System.nanoTime();
            long lastCheck = start;
            boolean interrupted = false;
            try {
                while (true) {
                    freeUpTo = (long) LONGS.getVolatile(shared, HEAD) + capacity;
                    if (freeUpTo != tail) {
                        return;
                    }
                    interrupted |= Thread.interrupted(); // else parkNanos would return at once, again and again
                    long now = System.nanoTime();
                    if (now - lastCheck > TimeUnit.MILLISECONDS.toNanos(10)) {
                        lastCheck = now;
                        if (!readerAlive.getAsBoolean()) {
                            throw new IOException("the reading process is gone (ring full)");
                        }
                    }
                    long waited = now - start;
                    if (waited > SPIN_NANOS + YIELD_NANOS) {
                        if ((long) LONGS.getVolatile(shared, SLEEPING) != 0) {
                            doorbell.write(1); // a full ring and a sleeping reader: whoever last watched did not ring it
                        }
                        LockSupport.parkNanos(NAP_NANOS);
                    } else if (waited > SPIN_NANOS) {
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("the ring is closed");
            }
        }

        /** Publishes, marks the stream ended (the reader sees EOF after the last byte), and closes the doorbell. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                LONGS.setVolatile(shared, TAIL, tail);
                LONGS.setVolatile(shared, CLOSED, 1L);
                if ((long) LONGS.getVolatile(shared, SLEEPING) != 0) {
                    doorbell.write(1);
                }
            } finally {
                doorbell.close();
            }
        }
    }
}
