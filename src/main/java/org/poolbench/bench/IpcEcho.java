package org.poolbench.bench;

import java.io.EOFException;
import java.io.IOException;
import org.poolbench.ipc.Connection;
import org.poolbench.ipc.SharedQueue;

/**
 * The far end of {@link IpcBenchmark}'s process transports (and of the ipc tests): a JVM that sends back every
 * message it receives, unchanged, until its input ends.
 *
 * <pre>
 *   IpcEcho pipe                      messages on stdin, answers on stdout (JDK pipes)
 *   IpcEcho socket ADDRESS            a Unix-domain socket: connects to a Listener at ADDRESS
 *   IpcEcho ring IN OUT               shared-memory rings: takes from queue IN, puts to queue OUT; a message of
 *                                     length 0 ends it (needs SharedQueue.JVM_ARGS)
 * </pre>
 * In {@code pipe} and {@code socket} mode it first sends an empty message, so the parent knows it is ready.
 */
public final class IpcEcho {

    /** Largest message echoed (the benchmark's largest is 1 MiB). */
    static final int MAX = 4 << 20;

    private IpcEcho() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "";
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
        try (c) {
            c.send(buffer, 0, 0);
            while (true) {
                int n;
                try {
                    n = c.recv(buffer);
                } catch (EOFException e) {
                    return;
                }
                c.send(buffer, 0, n);
            }
        }
    }

    private static void ring(SharedQueue in, SharedQueue out) throws InterruptedException {
        byte[] buffer = new byte[MAX];
        try (in; out) {
            out.put(buffer, 0, 0);
            while (true) {
                int n = in.take(buffer);
                if (n == 0) {
                    return;
                }
                out.put(buffer, 0, n);
            }
        }
    }
}
