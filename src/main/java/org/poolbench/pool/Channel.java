package org.poolbench.pool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The protocol channel between a pool and a worker: a Unix-domain socket in a private directory (mode 0700) that the
 * worker connects to at start. Frames never travel on the worker's stdout, so nothing a task writes to file
 * descriptor 1 or 2 (native code, {@code FileDescriptor.out}, a child process) can land inside a frame.
 *
 * <p>The streams here call the channel directly: {@code Channels.newInputStream} would serialize a blocking read with
 * the other thread's writes on the channel's blocking lock, and the parent reads and writes a worker's socket from
 * different threads.
 */
final class Channel {
    private Channel() {
    }

    /** A new directory only this user can enter, for the pool's sockets. */
    static Path privateDirectory() throws IOException {
        return Files.createTempDirectory("poolbench-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    static InputStream in(SocketChannel ch) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int r = ch.read(ByteBuffer.wrap(b, off, len));
                return r; // blocking: never 0 for len > 0
            }
        };
    }

    static OutputStream out(SocketChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }

            @Override
            public void close() throws IOException {
                ch.shutdownOutput(); // the worker sees EOF; the parent can still read what it sends back
            }
        };
    }
}
