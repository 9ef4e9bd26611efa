package org.poolbench.ipc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.poolbench.jvm.PrivateFiles;

/**
 * A Unix-domain socket that accepts {@link Connection}s: CPython's {@code multiprocessing.connection.Listener} with
 * an {@code AF_UNIX} address. No TCP port is ever opened.
 *
 * <p>The socket file lives in this JVM's private socket folder beside the shared-memory segments ({@code /dev/shm},
 * else the temporary directory): {@code rwx------}, named after this process, its start time and a random number.
 * {@link #close} deletes the socket file, the JVM's exit the folder, and if this process is killed first, the next
 * segment created by any JVM of the same user ({@code SharedLongArray.create}, ...) deletes the folder as stale.
 *
 * <p>Only processes of the same user get in, twice over: nobody else can enter the folder to reach the socket, and
 * {@link #accept} asks the kernel who connected ({@code SO_PEERCRED}) and closes a connection from any other user
 * before it reads or writes a byte. That is what CPython's {@code authkey} challenge gives its listeners, without a
 * key to hand around: every process of the user may connect, no process of another user can.
 *
 * <p>To give a worker one end of a pipe: open a listener, send its {@link #address()} with the task, have the task
 * {@link Connection#connect} to it, {@link #accept()} here, then close the listener (the connection stays up).
 */
public final class Listener implements AutoCloseable {

    private static final AtomicLong COUNTER = new AtomicLong();

    private final ServerSocketChannel server;
    private final Path path;
    private final AtomicLong refused = new AtomicLong();

    private Listener(ServerSocketChannel server, Path path) {
        this.server = server;
        this.path = path;
    }

    /** Binds a fresh socket file in this JVM's private socket folder. */
    public static Listener open() throws IOException {
        return open(Segment.socketFolder());
    }

    /** Binds a fresh socket file in {@code folder}; tests use a folder others can enter to reach the peer check. */
    static Listener open(Path folder) throws IOException {
        Path path = folder.resolve("listener-" + COUNTER.incrementAndGet() + ".sock");
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

    /**
     * Waits for the next client of this user and returns our end of its connection; a connection from another user
     * is closed at once, unread and unanswered, and the wait goes on.
     */
    public Connection accept() throws IOException {
        UserPrincipal me = PrivateFiles.me();
        while (true) {
            SocketChannel ch = server.accept();
            UnixDomainPrincipal peer;
            try {
                peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            } catch (IOException | UnsupportedOperationException e) {
                peer = null; // a peer whose user cannot be read is refused below, as another user's is
            }
            if (peer != null && peer.user().equals(me)) {
                return Connection.of(ch);
            }
            refused.incrementAndGet();
            ch.close();
        }
    }

    /** How many connections {@link #accept} closed because they came from another user (or an unknown one). */
    public long refused() {
        return refused.get();
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
