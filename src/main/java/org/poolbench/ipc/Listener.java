package org.poolbench.ipc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Unix-domain socket that accepts {@link Connection}s: CPython's {@code multiprocessing.connection.Listener} with
 * an {@code AF_UNIX} address. No TCP port is ever opened.
 *
 * <p>The socket file lives beside the shared-memory segments ({@code /dev/shm}, else the temporary directory) and is
 * named after this process and its start time, so {@link #close} deletes it, and if this process is killed first,
 * the next segment created by any JVM ({@code SharedLongArray.create}, ...) deletes it as stale.
 *
 * <p>To give a worker one end of a pipe: open a listener, send its {@link #address()} with the task, have the task
 * {@link Connection#connect} to it, {@link #accept()} here, then close the listener (the connection stays up).
 */
public final class Listener implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Path path;

    private Listener(ServerSocketChannel server, Path path) {
        this.server = server;
        this.path = path;
    }

    /** Binds a fresh socket file. */
    public static Listener open() throws IOException {
        ProcessHandle me = ProcessHandle.current();
        String name = Segment.uniqueName("socket").replace("-" + me.pid() + "-", "-") + "-" + me.pid() + "-"
                + Segment.startMillis(me);
        Path path = Segment.pathOf(name, ".sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot bind a Unix-domain socket at " + path + ": " + e.getMessage(), e);
        }
        return new Listener(server, path);
    }

    /** What {@link Connection#connect} takes: the socket file's path. */
    public String address() {
        return path.toString();
    }

    /** Waits for the next client and returns our end of its connection. */
    public Connection accept() throws IOException {
        return Connection.of(server.accept());
    }

    /** Stops accepting and deletes the socket file; accepted connections stay open. Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
