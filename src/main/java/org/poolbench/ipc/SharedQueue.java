package org.poolbench.ipc;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * A queue of byte messages from many producer processes to one consumer, in shared memory: CPython's
 * {@code multiprocessing.Queue} (which is a pipe plus a feeder thread per producer; here producers write straight
 * into a ring that every JVM maps, Agrona's {@link ManyToOneRingBuffer}).
 *
 * <p>Any number of threads in any number of JVMs may {@link #put}; one thread at a time, in one JVM, may
 * {@link #take} (that is the ring's contract). A message is at most {@link #maxMessageBytes()} (an eighth of the
 * capacity). Waiting, on both sides, spins 64 times, then yields up to {@code -Dpoolbench.ipc.yields} times
 * (default 1000, roughly a millisecond when nothing else wants the CPU), then parks 1..100 µs
 * ({@link BackoffIdleStrategy}): a waiter that parks at once answers only when the kernel's timer wakes it (tens of
 * microseconds), which would make the ring slower than a pipe for small round trips.
 * A producer killed half-way through a write leaves a claimed slot behind; a consumer that has found nothing to read
 * for a second while the ring is not empty skips it ({@code unblock}), so the queue does not wedge.
 *
 * <p>Every JVM that uses it needs {@link #JVM_ARGS} (Agrona reaches into {@code jdk.internal.misc}); pass them to a
 * {@code ProcessPool} with {@code ProcessPool.builder().jvmArgs(SharedQueue.JVM_ARGS)}. The creator owns the memory
 * (see {@link Segment}).
 */
public final class SharedQueue implements AutoCloseable {

    /** The flags a JVM needs to use this class (Agrona 2.x). */
    public static final List<String> JVM_ARGS = List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");

    private static final int MSG_TYPE = 1;
    private static final long YIELDS = Long.getLong("poolbench.ipc.yields", 1000);
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Segment segment;
    private final ManyToOneRingBuffer ring;
    private final UnsafeBuffer source = new UnsafeBuffer(new byte[0]);
    private final IdleStrategy putIdle = idle();
    private final IdleStrategy takeIdle = idle();
    private byte[] target;
    private int targetLength;

    private SharedQueue(Segment segment) {
        this.segment = segment;
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(segment.payload()));
    }

    private static IdleStrategy idle() {
        return new BackoffIdleStrategy(64, YIELDS, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MICROSECONDS.toNanos(100));
    }

    /** A queue of {@code capacityBytes} (a power of two, at least 1 KiB) under a fresh unique name. */
    public static SharedQueue create(int capacityBytes) {
        return create(Segment.uniqueName("queue"), capacityBytes);
    }

    /**
     * A new empty queue named {@code name} whose ring holds {@code capacityBytes} (a power of two ≥ 1024; messages
     * take their length plus an 8-byte header, rounded up to 8); this JVM owns it.
     */
    public static SharedQueue create(String name, int capacityBytes) {
        if (capacityBytes < 1024 || Integer.bitCount(capacityBytes) != 1 || capacityBytes > (1 << 30)) {
            throw new IllegalArgumentException("queue capacity " + capacityBytes
                    + " must be a power of two in 1024..2^30");
        }
        return new SharedQueue(Segment.create(name, capacityBytes + RingBufferDescriptor.TRAILER_LENGTH));
    }

    /** Attaches to a queue another JVM created. */
    public static SharedQueue open(String name) {
        return new SharedQueue(Segment.open(name));
    }

    public String name() {
        return segment.name();
    }

    /** The largest message {@link #put} accepts. */
    public int maxMessageBytes() {
        return ring.maxMsgLength();
    }

    /** Appends a message if there is room now; false if the ring is full. */
    public boolean offer(byte[] message, int offset, int length) {
        segment.checkOpen();
        if (length > ring.maxMsgLength()) {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds the queue's maximum of "
                    + ring.maxMsgLength());
        }
        synchronized (source) { // the wrapper is this instance's; the ring itself takes many writers
            source.wrap(message, offset, length);
            return ring.write(MSG_TYPE, source, 0, length);
        }
    }

    /** Appends a message, waiting while the ring is full ({@code Queue.put}). */
    public void put(byte[] message) throws InterruptedException {
        put(message, 0, message.length);
    }

    /** Appends {@code length} bytes of {@code message} from {@code offset}, waiting while the ring is full. */
    public void put(byte[] message, int offset, int length) throws InterruptedException {
        synchronized (putIdle) {
            putIdle.reset();
            while (!offer(message, offset, length)) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                putIdle.idle();
            }
        }
    }

    /** The next message, or null if there is none now. Consumer only. */
    public byte[] poll() {
        segment.checkOpen();
        target = null;
        ring.read((type, buffer, index, length) -> {
            target = new byte[length];
            buffer.getBytes(index, target);
        }, 1);
        return target;
    }

    /** The next message, waiting for one ({@code Queue.get}). Consumer only. */
    public byte[] take() throws InterruptedException {
        return poll(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /** The next message, waiting at most {@code timeout}; null if none came. Consumer only. */
    public byte[] poll(long timeout, TimeUnit unit) throws InterruptedException {
        long start = System.nanoTime();
        long waitNanos = unit.toNanos(timeout);
        takeIdle.reset();
        long idleSince = start;
        while (true) {
            byte[] m = poll();
            if (m != null) {
                return m;
            }
            long now = System.nanoTime();
            if (now - start >= waitNanos) {
                return null;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (now - idleSince > STUCK_NANOS) {
                ring.unblock(); // a producer died between claim and commit: skip its slot
                idleSince = now;
            }
            takeIdle.idle();
        }
    }

    /**
     * Copies the next message into {@code into}, waiting for one, and returns its length: the allocation-free
     * {@link #take}. Consumer only.
     *
     * @throws IllegalArgumentException if the message is longer than {@code into} (it is consumed and lost)
     */
    public int take(byte[] into) throws InterruptedException {
        return poll(into, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Copies the next message into {@code into}, waiting at most {@code timeout}, and returns its length, or -1 if
     * none came. Consumer only.
     *
     * @throws IllegalArgumentException if the message is longer than {@code into} (it is consumed and lost)
     */
    public int poll(byte[] into, long timeout, TimeUnit unit) throws InterruptedException {
        long start = System.nanoTime();
        long waitNanos = unit.toNanos(timeout);
        takeIdle.reset();
        long idleSince = start;
        while (true) {
            targetLength = -1;
            ring.read((type, buffer, index, length) -> {
                targetLength = length;
                if (length <= into.length) {
                    buffer.getBytes(index, into, 0, length);
                }
            }, 1);
            if (targetLength > into.length) {
                throw new IllegalArgumentException("message of " + targetLength + " bytes does not fit in "
                        + into.length);
            }
            if (targetLength >= 0) {
                return targetLength;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long now = System.nanoTime();
            if (now - start >= waitNanos) {
                return -1;
            }
            if (now - idleSince > STUCK_NANOS) {
                ring.unblock();
                idleSince = now;
            }
            takeIdle.idle();
        }
    }

    /** The owner deletes the name; others detach. Idempotent. */
    @Override
    public void close() {
        segment.close();
    }
}
