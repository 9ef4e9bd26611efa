package org.poolbench.ipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.poolbench.jvm.PrivateFiles;

/**
 * A named block of memory shared by JVMs: a file under {@code /dev/shm} (a RAM file system; the temporary directory
 * where it does not exist) mapped into every JVM that opens it. The JVM side of what CPython's
 * {@code multiprocessing.shared_memory.SharedMemory} is, and what {@code Value} and {@code Array} are built on.
 *
 * <p>Layout: a 64-byte header ({@code magic, owner pid, owner start time, payload bytes}), then the payload, which
 * starts 64-byte aligned. The creator is the <em>owner</em>: its {@link #close} deletes the file; other JVMs
 * {@link #open} it by name and their {@code close} only forgets it. Segments whose owner died without closing (a
 * killed worker) are deleted by the next {@link #create} in any JVM, and by {@link #sweepStale}; a JVM that exits
 * normally (or on SIGTERM) deletes the segments it still owns from a shutdown hook.
 *
 * <p>The mapping itself is released when the buffer is garbage-collected or the JVM exits (Java 21 has no public
 * unmap); deleting the file frees the memory once the last mapping is gone, as {@code shm_unlink} does.
 *
 * <p>Other users of the host get nothing, as with CPython's segments: a segment is created {@code rw-------}
 * whatever the umask; generated names carry 64 random bits (a name taken already is retried with a fresh one), so
 * nobody can read one by guessing it or block one by taking its name first; {@link #open} maps only a regular file
 * of our own user, and the sweep looks only at our own regular files and socket folders, never following a link, so
 * a FIFO or a link planted in {@code /dev/shm} cannot make it block or delete what it points at. Socket files live
 * in a folder of their own per JVM, {@code rwx------} ({@link #socketFolder}).
 */
final class Segment implements AutoCloseable {

    /** Where segments and socket files live. */
    static final Path DIR = Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))
            ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
    /** Every file this package makes starts with this. */
    static final String PREFIX = "poolbench-ipc-";
    static final int HEADER = 64;
    private static final long MAGIC = 0x706f6f6c49504331L; // "poolIPC1"
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,80}");
    /** A JVM's socket folder: {@code <PREFIX>sockets-<pid>-<start millis>-<random>}. */
    private static final Pattern SOCKET_FOLDER = Pattern.compile(Pattern.quote(PREFIX) + "sockets-(\\d+)-(\\d+)-\\d+");
    private static final String SOCKET_FOLDER_PREFIX = PREFIX + "sockets-";
    /** How many fresh names {@link #create} tries when a generated one is taken already. */
    private static final int NAME_ATTEMPTS = 8;
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Names made by {@link #uniqueName} and not yet created, with the prefix each was made from. */
    private static final Map<String, String> GENERATED = new ConcurrentHashMap<>();
    private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();
    private static Path socketFolder;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            OWNED.forEach(Segment::deleteQuietly);
            Path sockets = socketFolder;
            if (sockets != null) {
                deleteFolder(sockets);
            }
        }, "poolbench-ipc-cleanup"));
    }

    private final String name;
    private final Path path;
    private final boolean owner;
    private final MappedByteBuffer map;
    private final ByteBuffer payload;
    private volatile boolean closed;

    private Segment(String name, Path path, boolean owner, MappedByteBuffer map, long payloadBytes) {
        this.name = name;
        this.path = path;
        this.owner = owner;
        this.map = map;
        this.payload = map.slice(HEADER, (int) payloadBytes).order(ByteOrder.nativeOrder());
    }

    /**
     * A fresh name no other segment has and nobody can guess: {@code <prefix>-<pid>-<n>-<16 random hex digits>}.
     * If {@link #create} finds it taken all the same, it retries with another.
     */
    static String uniqueName(String prefix) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-"
                + HexFormat.of().formatHex(random);
        GENERATED.put(name, prefix);
        return name;
    }

    /** The file behind a name; the name must be 1..80 of {@code A-Z a-z 0-9 . _ -}. */
    static Path pathOf(String name, String suffix) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad shared-memory name '" + name
                    + "': use 1..80 characters of A-Z a-z 0-9 . _ -");
        }
        return DIR.resolve(PREFIX + name + suffix);
    }

    /**
     * Creates and maps a new segment of {@code payloadBytes} zeroed bytes, {@code rw-------}; this JVM owns it. A
     * name from {@link #uniqueName} that is taken already is replaced by a fresh one (up to 8 times); a name of the
     * caller's choosing is not.
     *
     * @throws IllegalArgumentException if the name is malformed or the size not in 1..2^31-65
     * @throws UncheckedIOException if a segment of that name exists or the file cannot be made
     */
    static Segment create(String name, long payloadBytes) {
        if (payloadBytes < 1 || payloadBytes > Integer.MAX_VALUE - HEADER) {
            throw new IllegalArgumentException("segment size " + payloadBytes + " not in 1.." + (Integer.MAX_VALUE - HEADER));
        }
        sweepStale();
        for (int attempt = 1; ; attempt++) {
            String prefix = GENERATED.remove(name);
            try {
                return createFile(name, payloadBytes);
            } catch (UncheckedIOException e) {
                if (prefix == null || attempt == NAME_ATTEMPTS || !(e.getCause() instanceof FileAlreadyExistsException)) {
                    throw e;
                }
                name = uniqueName(prefix);
            }
        }
    }

    private static Segment createFile(String name, long payloadBytes) {
        Path path = pathOf(name, "");
        boolean made = false;
        try (FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PrivateFiles.fileAttributes(DIR))) {
            made = OWNED.add(path);
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, HEADER + payloadBytes);
            map.order(ByteOrder.nativeOrder());
            ProcessHandle me = ProcessHandle.current();
            map.putLong(8, me.pid());
            map.putLong(16, startMillis(me));
            map.putLong(24, payloadBytes);
            LONGS.setRelease(map, 0, MAGIC); // last: an opener that sees the magic sees the whole header
            return new Segment(name, path, true, map, payloadBytes);
        } catch (IOException e) {
            if (made) { // a segment of this name that we already own stays registered
                OWNED.remove(path);
                deleteQuietly(path);
            }
            throw new UncheckedIOException("cannot create shared memory '" + name + "' at " + path + ": " + e, e);
        }
    }

    /**
     * Maps an existing segment created by another JVM (or this one) of the same user.
     *
     * @throws UncheckedIOException if there is none of that name, it is not a regular file of this user, or it is
     *     not (yet) a segment
     */
    static Segment open(String name) {
        Path path = pathOf(name, "");
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && PrivateFiles.posix(DIR)
                && !PrivateFiles.isOwnRegularFile(path)) {
            throw new UncheckedIOException(new IOException("shared memory '" + name + "' at " + path
                    + " is not a regular file of this user: not opened"));
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            if (size < HEADER) {
                throw new IOException("too short to be a segment (" + size + " bytes)");
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            map.order(ByteOrder.nativeOrder());
            if ((long) LONGS.getAcquire(map, 0) != MAGIC || map.getLong(24) != size - HEADER) {
                throw new IOException("not a poolbench segment (bad header)");
            }
            return new Segment(name, path, false, map, size - HEADER);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("no shared memory named '" + name + "' (" + path + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open shared memory '" + name + "' at " + path + ": " + e, e);
        }
    }

    /**
     * Deletes every segment and socket folder of this package whose owner process is gone. Only our own regular
     * files and folders are looked at, before anything is opened and without following links: another user's entry
     * (a FIFO, a link, a file) is left alone.
     *
     * @return how many segments and folders were deleted
     */
    static int sweepStale() {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(DIR, PREFIX + "*")) {
            for (Path f : files) {
                long[] owner = ownerOf(f);
                if (owner != null && !alive(owner[0], owner[1])) {
                    boolean gone = Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS) ? deleteFolder(f) : deleteQuietly(f);
                    deleted += gone ? 1 : 0;
                }
            }
        } catch (IOException e) {
            // an unreadable directory: nothing to sweep
        }
        return deleted;
    }

    /**
     * {pid, start millis} of the process that made a segment (from its header) or a socket folder (from its name),
     * if it is our own regular file or folder; null otherwise.
     */
    private static long[] ownerOf(Path f) {
        PosixFileAttributes a;
        try {
            a = PrivateFiles.posix(DIR) ? PrivateFiles.attributes(f) : null;
            if (a != null && (!a.owner().equals(PrivateFiles.me()) || !(a.isRegularFile() || a.isDirectory()))) {
                return null;
            }
        } catch (IOException | UnsupportedOperationException e) {
            return null; // gone, or its owner cannot be read: never removed as ours
        }
        Matcher folder = SOCKET_FOLDER.matcher(f.getFileName().toString());
        if (a != null && a.isDirectory() || folder.matches()) {
            return folder.matches() && Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)
                    ? new long[] {Long.parseLong(folder.group(1)), Long.parseLong(folder.group(2))} : null;
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
            while (header.hasRemaining() && ch.read(header) >= 0) {
                // read the 24 bytes
            }
            return header.getLong(0) == MAGIC ? new long[] {header.getLong(8), header.getLong(16)} : null;
        } catch (IOException e) {
            return null;
        }
    }

    static long startMillis(ProcessHandle p) {
        return p.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    }

    /** True if process {@code pid} exists and (when known) started at {@code startMillis}: pids are reused. */
    static boolean alive(long pid, long startMillis) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(p -> startMillis == 0 || Math.abs(startMillis(p) - startMillis) < 2000)
                .orElse(false);
    }

    /**
     * This JVM's folder for socket files ({@link Listener}): made {@code rwx------} on first use, with a name
     * nobody can take first ({@link Files#createTempDirectory} picks a random one and retries), and deleted with
     * its sockets when the JVM exits or, if it is killed, by the next sweep.
     */
    static synchronized Path socketFolder() throws IOException {
        if (socketFolder == null || !Files.isDirectory(socketFolder, LinkOption.NOFOLLOW_LINKS)) {
            ProcessHandle me = ProcessHandle.current();
            socketFolder = Files.createTempDirectory(DIR, SOCKET_FOLDER_PREFIX + me.pid() + "-" + startMillis(me)
                    + "-", PrivateFiles.folderAttributes(DIR));
        }
        return socketFolder;
    }

    /** Deletes a folder and the entries in it (links themselves, never what they point at). */
    private static boolean deleteFolder(Path folder) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path e : entries) {
                deleteQuietly(e);
            }
        } catch (IOException e) {
            // deleted by someone else, or unreadable: the folder's own delete says which
        }
        return deleteQuietly(folder);
    }

    private static boolean deleteQuietly(Path f) {
        try {
            return Files.deleteIfExists(f);
        } catch (IOException e) {
            return false;
        }
    }

    String name() {
        return name;
    }

    Path path() {
        return path;
    }

    boolean owner() {
        return owner;
    }

    /** The payload: native byte order, position 0, 64-byte aligned in memory. */
    ByteBuffer payload() {
        return payload;
    }

    long payloadBytes() {
        return payload.capacity();
    }

    boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("shared memory '" + name + "' is closed");
        }
    }

    /** Owner: deletes the file (attached JVMs keep their mapping until they close). Others: nothing to delete. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (owner) {
            deleteQuietly(path);
            OWNED.remove(path);
        }
    }

    /** For benchmarks and the shutdown hook of tests: the mapped buffer, header included. */
    MappedByteBuffer mapped() {
        return map;
    }
}
