package org.poolbench.bench;

import java.io.EOFException;
import java.nio.ByteBuffer;
import org.poolbench.ipc.Connection;
import org.poolbench.ipc.SharedQueue;

/**
 * A producer of {@link IpcBenchmark#manyProducers}: a JVM that sends numbered messages to one consumer when told to.
 *
 * <pre>
 *   IpcProducer pipe ID BYTES          messages on its stdout (its own pipe to the consumer)
 *   IpcProducer ring ID BYTES QUEUE    messages into the SharedQueue QUEUE that every producer shares
 *                                      (needs SharedQueue.JVM_ARGS)
 * </pre>
 * It takes its orders on stdin (a {@link Connection}): first it sends an empty message on stdout, so the consumer
 * knows it is ready; then each order, 8 bytes {@code [int round][int count]}, makes it send {@code count} messages
 * of {@code BYTES} bytes written by {@link MessageTally#write} (numbers 0 .. count-1 of producer {@code ID}), then
 * one empty message: its end of the round. It ends when its stdin ends or its parent process is gone.
 */
public final class IpcProducer {

    private IpcProducer() {
    }

    public static void main(String[] args) throws Exception {
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
        String mode = args.length > 0 ? args[0] : "";
        int id;
        int bytes;
        try {
            if (!(mode.equals("pipe") && args.length == 3 || mode.equals("ring") && args.length == 4)) {
                throw new IllegalArgumentException("wrong arguments");
            }
            id = Integer.parseInt(args[1]);
            bytes = Integer.parseInt(args[2]);
            if (id < 0 || bytes < MessageTally.MESSAGE_BYTES || bytes > IpcEcho.MAX) {
                throw new IllegalArgumentException("ID must be >= 0 and BYTES in " + MessageTally.MESSAGE_BYTES
                        + ".." + IpcEcho.MAX);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("usage: IpcProducer pipe ID BYTES | ring ID BYTES QUEUE (" + e.getMessage() + ": "
                    + String.join(" ", args) + ")");
            System.exit(2);
            return;
        }
        SharedQueue queue = mode.equals("ring") ? SharedQueue.open(args[3]) : null;
        byte[] order = new byte[8];
        byte[] m = new byte[bytes];
        try (Connection c = Connection.ofStdio()) {
            c.send(m, 0, 0);
            while (true) {
                int n;
                try {
                    n = c.recv(order);
                } catch (EOFException e) {
                    return;
                }
                if (n != 8) {
                    throw new IllegalStateException("an order of " + n + " bytes, not 8");
                }
                int round = ByteBuffer.wrap(order).getInt(0);
                int count = ByteBuffer.wrap(order).getInt(4);
                for (int seq = 0; seq < count; seq++) {
                    MessageTally.write(m, round, id, seq);
                    if (queue != null) {
                        queue.put(m, 0, bytes);
                    } else {
                        c.send(m, 0, bytes);
                    }
                }
                if (queue != null) {
                    queue.put(m, 0, 0);
                } else {
                    c.send(m, 0, 0);
                }
            }
        } finally {
            if (queue != null) {
                queue.close();
            }
        }
    }
}
