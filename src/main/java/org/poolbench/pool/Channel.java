package org.poolbench.pool;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The protocol channel between a pool and a worker: two named pipes (FIFOs) in a private directory (mode 0700), one
 * for each direction. Frames never travel on the worker's stdout, so nothing a task writes to file descriptor 1 or 2
 * (native code, {@code FileDescriptor.out}, a child process) can land inside a frame; and no task inherits them on
 * fd 0.
 *
 * <p>Why FIFOs and not a Unix-domain socket: a pipe is the floor a round trip is measured against, and the JDK's
 * first Unix-domain socket in a JVM costs a {@code SecureRandom} (about 30 ms of a worker's start, measured in
 * docs/POOL.md), while opening a FIFO costs a system call. The JDK cannot make a FIFO, so {@code mkfifo} does ({@link FifoMaker}).
 *
 * <p>Opening a FIFO blocks until the other end is open, and a worker may die before it opens its ends. So the parent
 * opens its ends first, each behind a <em>keeper</em> (the same FIFO opened read-write, which never blocks), and
 * only then starts the worker, whose opens then return at once. The keepers make the parent's own opens return and
 * hold the FIFOs open until the handshake; {@link Ends#releaseKeepers()} closes them, after which the end of the
 * worker is EOF on {@code results}, as with any pipe. A worker that dies before its handshake releases them too.
 */
final class Channel {
    private Channel() {
    }

    /** A new directory only this user can enter, for the pool's FIFOs. */
    static Path privateDirectory() throws IOException {
        return Files.createTempDirectory("poolbench-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** The same, under {@code parent} (the shared-memory transport's {@code /dev/shm}). */
    static Path privateDirectory(Path parent) throws IOException {
        return Files.createTempDirectory(parent, "poolbench-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /**
     * Makes FIFOs for one pool: a shell that runs {@code mkfifo} for each request, started once. The JDK cannot make
     * a FIFO, and an {@code mkfifo} process per worker was worse than its cost (~4 ms): under churn the JDK's reaper
     * saw some of them exit only seconds later, and a replacement worker waited that long for its pipes. The shell
     * reaps its own children; it exits at EOF on its stdin ({@link #close}, or the death of this JVM).
     */
    static final class FifoMaker implements AutoCloseable {
        private static final String SCRIPT =
                "while read -r a b; do if mkfifo -m 600 \"$a\" \"$b\"; then echo ok; else echo failed; fi; done";
        private Process shell;
        private BufferedWriter requests;
        private BufferedReader answers;
        private boolean closed;

        /** Makes the FIFOs {@code a} and {@code b} (mode 0600); one clear exception if it cannot. */
        synchronized void make(Path a, Path b) throws IOException {
            if (closed) {
                throw new IOException("the pool is closed: no more pipes");
            }
            if (a.toString().matches(".*\\s.*") || b.toString().matches(".*\\s.*")) {
                throw new IOException("a FIFO path with white space: " + a + ", " + b + " (java.io.tmpdir)");
            }
            if (shell == null || !shell.isAlive()) {
                try {
                    shell = new ProcessBuilder("sh", "-c", SCRIPT).redirectErrorStream(true).start();
                } catch (IOException e) {
                    throw new IOException("cannot run sh and mkfifo (coreutils) to make the pool's pipes: "
                            + e.getMessage(), e);
                }
                requests = new BufferedWriter(new OutputStreamWriter(shell.getOutputStream(),
                        StandardCharsets.UTF_8));
                answers = new BufferedReader(new InputStreamReader(shell.getInputStream(),
                        StandardCharsets.UTF_8));
            }
            requests.write(a + " " + b + "\n");
            requests.flush();
            String answer = answers.readLine();
            if (!"ok".equals(answer)) {
                throw new IOException("mkfifo failed for " + a + " and " + b + ": " + answer);
            }
        }

        /** Ends the shell (EOF on its stdin) and waits for it, briefly. Idempotent. */
        @Override
        public synchronized void close() {
            closed = true;
            if (shell == null) {
                return;
            }
            try {
                requests.close();
                if (!shell.waitFor(2, TimeUnit.SECONDS)) {
                    shell.destroyForcibly();
                }
            } catch (IOException e) {
                shell.destroyForcibly();
            } catch (InterruptedException e) {
                shell.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The parent's ends of a worker's two FIFOs. */
    static final class Ends {
        final InputStream results;
        final OutputStream requests;
        private RandomAccessFile resultsKeeper;
        private RandomAccessFile requestsKeeper;

        /** Opens the parent's ends of {@code requests} (we write) and {@code results} (we read); never blocks. */
        Ends(Path requests, Path results) throws IOException {
            requestsKeeper = new RandomAccessFile(requests.toFile(), "rw");
            resultsKeeper = new RandomAccessFile(results.toFile(), "rw");
            try {
                this.requests = new FileOutputStream(requests.toFile());
                this.results = new FileInputStream(results.toFile());
            } catch (IOException | RuntimeException e) {
                releaseKeepers();
                throw e;
            }
        }

        /** Closes the keepers: from now on the worker's end of {@code results} is EOF here. Idempotent. */
        synchronized void releaseKeepers() {
            for (RandomAccessFile k : new RandomAccessFile[] {requestsKeeper, resultsKeeper}) {
                if (k != null) {
                    try {
                        k.close();
                    } catch (IOException e) {
                        // a keeper that will not close holds nothing we need
                    }
                }
            }
            requestsKeeper = null;
            resultsKeeper = null;
        }
    }
}
