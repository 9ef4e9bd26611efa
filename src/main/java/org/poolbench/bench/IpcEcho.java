package org.poolbench.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.poolbench.ipc.Connection;
import org.poolbench.ipc.SharedQueue;

/**
 * The far end of {@link IpcBenchmark}'s process transports (and of the ipc tests): a JVM that answers messages.
 *
 * <pre>
 *   IpcEcho pipe                      messages on stdin, answers on stdout (JDK pipes)
 *   IpcEcho socket ADDRESS            a Unix-domain socket: connects to a Listener at ADDRESS
 *   IpcEcho ring IN OUT               shared-memory rings: takes from queue IN, answers on queue OUT
 *                                     (needs SharedQueue.JVM_ARGS)
 * </pre>
 * It first sends an empty message, so the parent knows it is ready. Then, for each message:
 * <ul>
 *   <li>first byte 1: sent back unchanged (a round trip);</li>
 *   <li>first byte anything else: swallowed, its length added to a count (a stream);</li>
 *   <li>empty: answered with the count as 8 bytes (big-endian), which restarts at 0.</li>
 * </ul>
 * It ends when its input ends (pipe, socket) or when its parent process is gone (every mode).
 */
public final class IpcEcho {

    /** Largest message accepted (the benchmark's largest is 1 MiB). */
    static final int MAX = 4 << 20;

    private IpcEcho() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "";
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
        switch (mode) {
            case "pipe" -> echo(Connection.ofStdio());
            case "socket" -> echo(Connection.connect(args[1]));
            case "ring" -> ring(SharedQueue.open(args[1]), SharedQueue.open(args[2]));
            default -> {
                System.err.println("usage: IpcEcho pipe | socket ADDRESS | ring IN OUT (got '" + mode + "')");
                System.exit(2);
            }
        }
    }

    private static void echo(Connection c) throws IOException {
        byte[] buffer = new byte[MAX];
        byte[] count = new byte[8];
        long received = 0;
        try (c) {
            c.send(buffer, 0, 0);
            while (true) {
                int n;
                try {
                    n = c.recv(buffer);
                } catch (EOFException e) {
                    return;
                }
                if (n == 0) {
                    ByteBuffer.wrap(count).putLong(0, received);
                    received = 0;
                    c.send(count);
                } else if (buffer[0] == 1) {
                    c.send(buffer, 0, n);
                } else {
                    received += n;
                }
            }
        }
    }

    private static void ring(SharedQueue in, SharedQueue out) throws InterruptedException {
        byte[] buffer = new byte[MAX];
        byte[] count = new byte[8];
        long received = 0;
        try (in; out) {
            out.put(buffer, 0, 0);
            while (true) {
                int n = in.take(buffer);
                if (n == 0) {
                    ByteBuffer.wrap(count).putLong(0, received);
                    received = 0;
                    out.put(count);
                } else if (buffer[0] == 1) {
                    out.put(buffer, 0, n);
                } else {
                    received += n;
                }
            }
        }
    }
}
