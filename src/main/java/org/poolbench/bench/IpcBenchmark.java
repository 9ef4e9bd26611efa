package org.poolbench.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.poolbench.ipc.Connection;
import org.poolbench.ipc.Listener;
import org.poolbench.ipc.Manager;
import org.poolbench.ipc.SharedQueue;
import org.poolbench.jvm.JavaBinary;

/*
 * Messages between threads and between processes, by size (messageBytes = 8 B .. 1 MiB).
 *
 * threadRoundTrip / processRoundTrip (avgt, us/op): send one message to a peer and wait for it to come back.
 * threadStream / processStream (thrpt, messages/s; one op = one message): send 64 messages one way, then an empty
 *   one that the peer answers with the number of bytes it got (checked). Bytes/s = score x messageBytes.
 *
 * Between threads (backend threads) the peer is a thread of this JVM and a message is a reference: nothing is
 * copied, whatever its size.
 *   array-blocking-queue   two ArrayBlockingQueues (one each way), 1024 slots
 *   linked-transfer-queue  two LinkedTransferQueues
 *   synchronous-queue      two SynchronousQueues: every put waits for its take (a rendezvous)
 * Between processes (backend processes) the peer is another JVM (IpcEcho, or the Manager's server) and every
 * message is copied out of one address space and into the other:
 *   pipe     the child's stdin/stdout (JDK pipes), length-prefixed (multiprocessing's Pipe(duplex=False) pair)
 *   socket   a Unix-domain socket, Connection/Listener (multiprocessing.Pipe() is a socketpair on Linux)
 *   ring     two Agrona ring buffers in /dev/shm (SharedQueue); waiting spins, yields, then parks (<= 100 us)
 *   manager  a Manager server's list: a round trip is append(message) + pop() (two requests, as the CPython row);
 *            a stream is 64 appends, then size() (checked) and clear()
 *
 * memoryCopy (thrpt, messages/s, backend memory): the reference for the ring at large sizes: one System.arraycopy
 *   of the message per op, nothing else. The ring copies each message twice (into the ring, out of it), so within
 *   about 2x of this is as good as shared memory gets.
 *
 * What to expect: a thread hand-off costs microseconds or less and does not grow with size; pipes and sockets pay
 * two system calls and a wake-up per message plus a copy that dominates from ~64 KiB; the ring avoids the system
 * calls (latency is bounded by how fast a waiting side notices: spinning is fast, parking is not) and at 1 MiB
 * should approach a memory copy; the manager pays a request and an answer per call, so it is the slowest (the
 * material's claim that managers are slower than shared memory).
 *
 * Every round trip checks the message that came back (its length and a per-op stamp in its first bytes); every
 * stream checks the byte count the peer reports.
 *
 * manyProducers (thrpt, messages/s; one op = one message, backend processes): "Queue for many producers". k
 *   producer JVMs (workers = k, IpcProducer, started in the trial's set-up and ended in its tear-down) send one
 *   consumer (this thread) PRODUCER_MESSAGES = 16384 messages of messageBytes (16) bytes per round, an equal share
 *   each (16384 / k), then an empty message that ends their share. The consumer starts a round with an 8-byte
 *   order on each producer's stdin and takes every message through
 *   ring   one SharedQueue that all k producers put into (the Queue: one object, many producers);
 *   pipes  one Connection per producer, its stdout pipe, which the consumer reads round-robin (one message from
 *          each producer that is not done, in turn; a blocking read, as CPython's recv on a Pipe end).
 *   The consumer checks every message as it arrives and the round when it is over (MessageTally: every number of
 *   every producer exactly once, unchanged, from this round; the count and the sum of the check words), so a
 *   transport that drops or repeats messages fails instead of looking fast.
 *   What to expect: a producer's send on a pipe is a system call (a write and a wake-up of the reader), a put
 *   into the ring a few stores in shared memory, so the ring should move several times more messages per second
 *   at every k; the pipes' consumer may also wait on one producer while the others' pipes are full. With k above
 *   the cores, producers and consumer take turns on the CPUs, and waiting strategies (the ring spins, yields,
 *   then parks) decide as much as the transport. CPython's twin (python/poolbench_py.py, ipc) times
 *   multiprocessing.Queue against one multiprocessing.Pipe per producer read with connection.wait.
 *
 * Run only this (ring needs the add-exports, set here by @Fork):
 *   mvn -B -q package -DskipTests
 *   java -jar target/benchmarks.jar IpcBenchmark -f 1 -wi 1 -i 5 -p messageBytes=8,65536,1048576
 * and only the many producers:
 *   java -jar target/benchmarks.jar 'IpcBenchmark.manyProducers' -f 1 -wi 1 -i 5 -p workers=1,2,4
 */
@Fork(jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class IpcBenchmark {

    static final int BATCH = 64;
    /** Messages per round of {@link #manyProducers}, over all producers. */
    static final int PRODUCER_MESSAGES = 16_384;
    /** How long {@link #manyProducers}' consumer waits for the ring's next message before it calls the round lost. */
    private static final long PRODUCER_TIMEOUT_SECONDS = 60;
    private static final byte[] SYNC = new byte[0];

    /** A message to send: {@code size} bytes, first byte {@code echo ? 1 : 0}, an 8-byte stamp from byte 1 when it fits. */
    static byte[] message(int size, boolean echo) {
        if (size < 1 || size > IpcEcho.MAX) {
            throw new IllegalArgumentException("messageBytes " + size + " not in 1.." + IpcEcho.MAX);
        }
        byte[] m = new byte[size];
        m[0] = (byte) (echo ? 1 : 0);
        return m;
    }

    static void stamp(byte[] m, long stamp) {
        if (m.length >= 9) {
            ByteBuffer.wrap(m).putLong(1, stamp);
        }
    }

    static void checkEcho(byte[] sent, byte[] got, int length) {
        if (length != sent.length || got[0] != 1 || (sent.length >= 9
                && ByteBuffer.wrap(got).getLong(1) != ByteBuffer.wrap(sent).getLong(1))) {
            throw new IllegalStateException("the peer sent back " + length + " bytes that are not the "
                    + sent.length + " bytes sent");
        }
    }

    static void checkCount(long got, int size) {
        if (got != (long) BATCH * size) {
            throw new IllegalStateException("the peer received " + got + " bytes, not " + BATCH + " x " + size);
        }
    }

    @State(Scope.Benchmark)
    public static class Threads {
        @Param({"threads"})
        public String backend;
        @Param({"array-blocking-queue", "linked-transfer-queue", "synchronous-queue"})
        public String transport;
        @Param({"8", "1024", "65536", "1048576"})
        public int messageBytes;

        BlockingQueue<byte[]> requests;
        BlockingQueue<byte[]> replies;
        Thread peer;
        byte[] echo;
        byte[] stream;
        long next;

        private BlockingQueue<byte[]> queue() {
            return switch (transport) {
                case "array-blocking-queue" -> new ArrayBlockingQueue<>(1024);
                case "linked-transfer-queue" -> new LinkedTransferQueue<>();
                case "synchronous-queue" -> new SynchronousQueue<>();
                default -> throw new IllegalArgumentException("unknown thread transport '" + transport
                        + "'; valid: array-blocking-queue, linked-transfer-queue, synchronous-queue");
            };
        }

        @Setup(Level.Trial)
        public void setUp() {
            requests = queue();
            replies = queue();
            echo = message(messageBytes, true);
            stream = message(messageBytes, false);
            peer = Thread.ofPlatform().daemon().name("ipc-peer").start(() -> {
                long received = 0;
                try {
                    while (true) {
                        byte[] m = requests.take();
                        if (m.length == 0) {
                            replies.put(ByteBuffer.allocate(8).putLong(0, received).array());
                            received = 0;
                        } else if (m[0] == 1) {
                            replies.put(m);
                        } else {
                            received += m.length;
                        }
                    }
                } catch (InterruptedException e) {
                    // tear-down
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            peer.interrupt();
            peer.join(10_000);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] threadRoundTrip(Threads s) throws InterruptedException {
        stamp(s.echo, s.next++);
        s.requests.put(s.echo);
        byte[] back = s.replies.take();
        if (back != s.echo) {
            throw new IllegalStateException("the peer thread sent back another message");
        }
        return back;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public long threadStream(Threads s) throws InterruptedException {
        for (int i = 0; i < BATCH; i++) {
            s.requests.put(s.stream);
        }
        s.requests.put(SYNC);
        long got = ByteBuffer.wrap(s.replies.take()).getLong(0);
        checkCount(got, s.messageBytes);
        return got;
    }

    @State(Scope.Benchmark)
    public static class Copy {
        @Param({"memory"})
        public String backend;
        @Param({"8", "1024", "65536", "1048576"})
        public int messageBytes;

        byte[] source;
        byte[] target;
        long next;

        @Setup(Level.Trial)
        public void setUp() {
            source = message(messageBytes, false);
            target = new byte[messageBytes];
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public long memoryCopy(Copy s) {
        long check = 0;
        for (int i = 0; i < BATCH; i++) {
            s.source[s.source.length - 1] = (byte) s.next++;
            System.arraycopy(s.source, 0, s.target, 0, s.source.length);
            check += s.target[s.target.length - 1];
        }
        if (s.target[s.target.length - 1] != s.source[s.source.length - 1]) {
            throw new IllegalStateException("the copy differs from its source");
        }
        return check;
    }

    /** One end of a process transport. */
    interface Link extends AutoCloseable {
        void send(byte[] m, int length) throws Exception;

        /** The next message into {@code into}; its length. */
        int recv(byte[] into) throws Exception;

        @Override
        void close() throws Exception;
    }

    /** The command that starts a JVM like this one running {@code main}. */
    static List<String> javaCommand(List<String> jvmArgs, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(JavaBinary.command());
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:-UsePerfData"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static void end(Process p) throws InterruptedException {
        if (p != null && !p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A Connection to an IpcEcho child, over its pipes or a Unix-domain socket. */
    static Link connectionLink(boolean socket) throws Exception {
        Process child;
        Connection c;
        if (socket) {
            try (Listener l = Listener.open()) {
                child = new ProcessBuilder(javaCommand(List.of(), IpcEcho.class, "socket", l.address()))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                c = l.accept();
            }
        } else {
            child = new ProcessBuilder(javaCommand(List.of(), IpcEcho.class, "pipe"))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            c = Connection.toChild(child);
        }
        if (c.recv(new byte[8]) != 0) {
            throw new IllegalStateException("IpcEcho did not start");
        }
        return new Link() {
            @Override
            public void send(byte[] m, int length) throws IOException {
                c.send(m, 0, length);
            }

            @Override
            public int recv(byte[] into) throws IOException {
                return c.recv(into);
            }

            @Override
            public void close() throws Exception {
                c.close();
                end(child);
            }
        };
    }

    /** Two SharedQueues to and from an IpcEcho child. */
    static Link ringLink() throws Exception {
        SharedQueue out = SharedQueue.create(1 << 24);
        SharedQueue in = SharedQueue.create(1 << 24);
        Process child = new ProcessBuilder(javaCommand(SharedQueue.JVM_ARGS, IpcEcho.class, "ring", out.name(),
                in.name())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] ready = in.poll(30, TimeUnit.SECONDS);
        if (ready == null || ready.length != 0) {
            child.destroyForcibly();
            throw new IllegalStateException("the ring echo did not start");
        }
        return new Link() {
            @Override
            public void send(byte[] m, int length) throws InterruptedException {
                out.put(m, 0, length);
            }

            @Override
            public int recv(byte[] into) throws InterruptedException {
                return in.take(into);
            }

            @Override
            public void close() throws Exception {
                child.destroy();
                end(child);
                out.close();
                in.close();
            }
        };
    }

    @State(Scope.Benchmark)
    public static class Processes {
        @Param({"processes"})
        public String backend;
        @Param({"pipe", "socket", "ring", "manager"})
        public String transport;
        @Param({"8", "1024", "65536", "1048576"})
        public int messageBytes;

        Link link;
        Manager manager;
        Manager.ListProxy list;
        byte[] echo;
        byte[] stream;
        byte[] buffer;
        long next;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            echo = message(messageBytes, true);
            stream = message(messageBytes, false);
            buffer = new byte[Math.max(8, messageBytes)];
            switch (transport) {
                case "pipe" -> link = connectionLink(false);
                case "socket" -> link = connectionLink(true);
                case "ring" -> link = ringLink();
                case "manager" -> {
                    manager = Manager.start();
                    list = manager.list("messages");
                }
                default -> throw new IllegalArgumentException("unknown process transport '" + transport
                        + "'; valid: pipe, socket, ring, manager");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            if (link != null) {
                link.close();
            }
            if (manager != null) {
                manager.close();
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int processRoundTrip(Processes s) throws Exception {
        stamp(s.echo, s.next++);
        if (s.manager != null) {
            s.list.append(s.echo);
            byte[] back = s.list.pop();
            checkEcho(s.echo, back, back.length);
            return back.length;
        }
        s.link.send(s.echo, s.echo.length);
        int n = s.link.recv(s.buffer);
        checkEcho(s.echo, s.buffer, n);
        return n;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public long processStream(Processes s) throws Exception {
        if (s.manager != null) {
            for (int i = 0; i < BATCH; i++) {
                s.list.append(s.stream);
            }
            int size = s.list.size();
            s.list.clear();
            checkCount((long) size * s.messageBytes, s.messageBytes);
            return size;
        }
        for (int i = 0; i < BATCH; i++) {
            s.link.send(s.stream, s.stream.length);
        }
        s.link.send(s.stream, 0);
        if (s.link.recv(s.buffer) != 8) {
            throw new IllegalStateException("the peer did not answer the count");
        }
        long got = ByteBuffer.wrap(s.buffer).getLong(0);
        checkCount(got, s.messageBytes);
        return got;
    }

    @State(Scope.Benchmark)
    public static class Producers {
        @Param({"processes"})
        public String backend;
        @Param({"ring", "pipes"})
        public String transport;
        /** k: how many producer processes. */
        @Param({"1", "2", "4"})
        public int workers;
        @Param({"16"})
        public int messageBytes;

        SharedQueue queue;
        final List<Process> children = new ArrayList<>();
        final List<Connection> connections = new ArrayList<>();
        MessageTally tally;
        final byte[] order = new byte[8];
        byte[] buffer;
        boolean[] done;
        int round;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            if (workers < 1 || workers > 256) {
                throw new IllegalArgumentException("workers " + workers + " not in 1..256");
            }
            if (messageBytes < MessageTally.MESSAGE_BYTES || messageBytes > 65_536) {
                throw new IllegalArgumentException("messageBytes " + messageBytes + " not in "
                        + MessageTally.MESSAGE_BYTES + "..65536");
            }
            if (!transport.equals("ring") && !transport.equals("pipes")) {
                throw new IllegalArgumentException("unknown many-producer transport '" + transport
                        + "'; valid: ring, pipes");
            }
            tally = new MessageTally(workers, PRODUCER_MESSAGES);
            buffer = new byte[Math.max(messageBytes, 8)];
            done = new boolean[workers];
            try {
                boolean ring = transport.equals("ring");
                if (ring) {
                    queue = SharedQueue.create(1 << 20);
                }
                for (int p = 0; p < workers; p++) { // start them all, then wait for each: they boot in parallel
                    List<String> args = new ArrayList<>(List.of(ring ? "ring" : "pipe", String.valueOf(p),
                            String.valueOf(messageBytes)));
                    if (ring) {
                        args.add(queue.name());
                    }
                    Process child = new ProcessBuilder(javaCommand(ring ? SharedQueue.JVM_ARGS : List.of(),
                            IpcProducer.class, args.toArray(String[]::new)))
                            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                    children.add(child);
                    connections.add(Connection.toChild(child));
                }
                for (Connection c : connections) {
                    if (c.recv(buffer) != 0) {
                        throw new IllegalStateException("an IpcProducer did not start");
                    }
                }
            } catch (Exception | Error e) {
                tearDown();
                throw e;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            for (Connection c : connections) {
                c.close(); // its stdin ends: the producer returns
            }
            for (Process child : children) {
                end(child);
            }
            connections.clear();
            children.clear();
            if (queue != null) {
                queue.close();
                queue = null;
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(PRODUCER_MESSAGES)
    public int manyProducers(Producers s) throws Exception {
        int round = ++s.round;
        s.tally.start(round);
        ByteBuffer order = ByteBuffer.wrap(s.order).putInt(0, round);
        for (int p = 0; p < s.workers; p++) {
            order.putInt(4, MessageTally.share(p, s.workers, PRODUCER_MESSAGES));
            s.connections.get(p).send(s.order);
        }
        int ended = 0;
        if (s.queue != null) {
            while (ended < s.workers) {
                int n = s.queue.poll(s.buffer, PRODUCER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (n < 0) {
                    throw new IllegalStateException("no message in the ring for " + PRODUCER_TIMEOUT_SECONDS
                            + " s: " + s.tally.count() + " of " + PRODUCER_MESSAGES + " arrived, " + ended + " of "
                            + s.workers + " producers done");
                } else if (n == 0) {
                    ended++;
                } else {
                    s.tally.add(s.buffer, n);
                }
            }
        } else {
            java.util.Arrays.fill(s.done, false);
            while (ended < s.workers) {
                for (int p = 0; p < s.workers; p++) {
                    if (!s.done[p]) {
                        int n = s.connections.get(p).recv(s.buffer);
                        if (n == 0) {
                            s.done[p] = true;
                            ended++;
                        } else {
                            s.tally.add(s.buffer, n);
                        }
                    }
                }
            }
        }
        s.tally.verify();
        return s.tally.count();
    }
}
