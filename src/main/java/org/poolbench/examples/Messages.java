package org.poolbench.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.poolbench.ipc.Connection;
import org.poolbench.ipc.Listener;
import org.poolbench.ipc.Manager;
import org.poolbench.ipc.SharedQueue;
import org.poolbench.pool.ProcessPool;

/**
 * The material's message experiments, between worker JVMs:
 * <ol>
 *   <li>Queue: a worker puts the squares of [1, 2, 3, 4] on a queue, the parent takes them off
 *   ({@code multiprocessing.Queue}; here {@link SharedQueue}, a ring in shared memory);</li>
 *   <li>Pipe: a worker sends "hello", "hey", "hru?", "END" down one end of a pipe and the parent prints what arrives
 *   until "END" ({@code multiprocessing.Pipe()}; here a {@link Connection} over a Unix-domain socket);</li>
 *   <li>Manager: a list of records lives in a server process; one worker appends ("Jeff", 8), another prints them
 *   all ({@code Manager().list()}; here {@link Manager}).</li>
 * </ol>
 * The queue needs Agrona's flags in this JVM and the workers:
 * <pre>java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp target/benchmarks.jar org.poolbench.examples.Messages</pre>
 */
public final class Messages {
    private Messages() {
    }

    static int squaresToQueue(String queue) {
        try (SharedQueue q = SharedQueue.open(queue)) {
            for (long x : new long[] {1, 2, 3, 4}) {
                q.put(ByteBuffer.allocate(8).putLong(0, x * x).array());
            }
            return 4;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static int sendMessages(String address) {
        try (Connection c = Connection.connect(address)) {
            for (String m : List.of("hello", "hey", "hru?", "END")) {
                c.send(m.getBytes(StandardCharsets.UTF_8));
            }
            return 4;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String insertRecord(String task) {
        String[] f = task.split("\\|");
        try (Manager m = Manager.connect(f[0])) {
            m.list("records").appendString(f[1]);
            return "New record added: " + f[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String printRecords(String address) {
        try (Manager m = Manager.connect(address)) {
            StringBuilder out = new StringBuilder("records seen by process " + ProcessHandle.current().pid() + ":");
            for (String r : m.list("records").toStrings()) {
                String[] nameScore = r.split(",");
                out.append("\n  Name: ").append(nameScore[0]).append("  Score: ").append(nameScore[1]);
            }
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(2).jvmArgs(SharedQueue.JVM_ARGS).build()) {
            try (SharedQueue q = SharedQueue.create(1 << 16)) {
                pool.apply(Messages::squaresToQueue, q.name());
                StringBuilder got = new StringBuilder("Queue elements:");
                for (byte[] m; (m = q.poll()) != null; ) {
                    got.append(' ').append(ByteBuffer.wrap(m).getLong());
                }
                System.out.println(got + "; the queue is now empty");
            }

            try (Listener listener = Listener.open()) {
                CompletableFuture<Integer> sender = pool.applyAsync(Messages::sendMessages, listener.address());
                try (Connection c = listener.accept()) {
                    listener.close(); // connected: the socket file is not needed any more
                    for (String m; !(m = new String(c.recv(), StandardCharsets.UTF_8)).equals("END"); ) {
                        System.out.println("Received the message: " + m);
                    }
                }
                sender.get();
            }

            try (Manager manager = Manager.start()) {
                for (String r : List.of("Sam,10", "Adam,9", "Kevin,9")) {
                    manager.list("records").appendString(r);
                }
                System.out.println(pool.apply(Messages::insertRecord, manager.address() + "|Jeff,8"));
                System.out.println(pool.apply(Messages::printRecords, manager.address()));
            }
        }
    }
}
