package org.poolbench.ipc;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.poolbench.jvm.StatedLength;

/**
 * One end of a duplex, message-oriented channel between two processes: CPython's
 * {@code multiprocessing.connection.Connection}, the object each end of {@code multiprocessing.Pipe()} is.
 *
 * <p>Messages are byte arrays sent as {@code [int length][bytes]}; {@link #recv} returns exactly what one
 * {@link #send} sent. Two transports: a Unix-domain socket ({@link #connect} to a {@link Listener}'s address; what
 * CPython's {@code Pipe()} uses on Linux, a {@code socketpair}), or a child process's stdin/stdout pipes
 * ({@link #toChild} in the parent, {@link #ofStdio} in the child). Sending and receiving may run in two threads at
 * once; two threads must not send (or receive) on one connection at the same time.
 */
public final class Connection implements AutoCloseable {

    /** The longest message accepted (1 GiB); longer stated lengths are refused before anything is read. */
    public static final int MAX_MESSAGE = 1 << 30;
    /** What a stated length alone may allocate; the rest is allocated as the bytes arrive. */
    private static final int FIRST_CHUNK = 1 << 16;

    private final DataInputStream in;
    private final DataOutputStream out;
    private final Closeable resource;

    private Connection(InputStream in, OutputStream out, Closeable resource) {
        this.in = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        this.out = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        this.resource = resource;
    }

    static Connection of(SocketChannel channel) {
        return new Connection(Channels.newInputStream(channel), Channels.newOutputStream(channel), channel);
    }

    /**
     * Connects to a {@link Listener} at {@code address} (its {@link Listener#address()}, a socket file's path):
     * CPython's {@code multiprocessing.connection.Client(address)}.
     */
    public static Connection connect(String address) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(Path.of(address)));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
        return of(ch);
    }

    /** The parent's end of a child process's stdin (we send) and stdout (we receive). */
    public static Connection toChild(Process child) {
        return new Connection(child.getInputStream(), child.getOutputStream(), () -> {
            child.getOutputStream().close();
            child.getInputStream().close();
        });
    }

    /**
     * The child's end of its own stdin/stdout. Nothing else may then write to file descriptor 1, so this points
     * {@link System#out} at {@link System#err}.
     */
    public static Connection ofStdio() {
        FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        return new Connection(new FileInputStream(FileDescriptor.in), stdout, stdout);
    }

    /** Sends one message ({@code send_bytes}). */
    public void send(byte[] message) throws IOException {
        send(message, 0, message.length);
    }

    /** Sends {@code length} bytes of {@code message} from {@code offset} as one message. */
    public void send(byte[] message, int offset, int length) throws IOException {
        out.writeInt(length);
        out.write(message, offset, length);
        out.flush();
    }

    /**
     * The next message ({@code recv_bytes}), waiting for it.
     *
     * <p>The buffer grows as the bytes arrive (from 64 KiB, doubling), so a peer that states a long length and
     * sends nothing more costs 64 KiB, not the length.
     *
     * @throws EOFException if the other end closed the connection (CPython raises {@code EOFError})
     */
    public byte[] recv() throws IOException {
        int length = readLength();
        return StatedLength.read(in, length, FIRST_CHUNK,
                have -> "connection closed after " + have + " of a " + length + "-byte message");
    }

    /** Reads the next message into {@code into} and returns its length ({@code recv_bytes_into}). */
    public int recv(byte[] into) throws IOException {
        int length = readLength();
        if (length > into.length) {
            throw new IOException("message of " + length + " bytes does not fit in " + into.length);
        }
        in.readFully(into, 0, length);
        return length;
    }

    private int readLength() throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_MESSAGE) {
            throw new IOException("corrupt message length " + length);
        }
        return length;
    }

    /** Closes this end; the other end's {@code recv} then throws {@link EOFException}. Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            // the other end is gone: nothing to flush to
        }
        resource.close();
    }
}
