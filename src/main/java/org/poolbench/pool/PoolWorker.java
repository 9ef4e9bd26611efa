package org.poolbench.pool;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The main class of a worker JVM. Not an API: started by {@link ProcessPool} with the parent's class path.
 *
 * <p>Started with one argument, the private directory of its pool's two FIFOs ({@link Channel}): all frames but
 * {@code INIT} (which the parent writes to stdin before the JVM has even booted) travel on those, so a task's
 * output on file descriptors 1 and 2 is just output. With {@link #SHM} as a second argument, frames after the
 * handshake travel in the directory's two rings ({@link Ring}) and the FIFOs only wake the side that sleeps. Without the argument (a probe), frames travel on stdin and
 * stdout. The worker halts at EOF on its frame stream, and a watcher thread halts it if the parent process ends
 * while a task runs: a worker never outlives its parent.
 */
final class PoolWorker {

    static final long PARENT_POLL_MILLIS = 100;

    /** The argument that runs {@link #train()} instead of serving a pool. */
    static final String TRAIN = "--train-class-data-archive";
    /** The second argument when the pool uses shared memory: frames travel in the directory's rings ({@link Ring}). */
    static final String SHM = "--shm";

    private PoolWorker() {
    }

    /**
     * Does once what a worker does at start and on its first task, then exits normally, so that a JVM started with
     * {@code -XX:AOTCacheOutput} (JDK 25+) or {@code -XX:ArchiveClassesAtExit} writes those classes to the archive
     * that later workers map at start ({@link ClassDataArchive}). It walks
     * the real start path, not a summary of it: whatever a worker loads that this misses (the FIFOs, the mapped
     * progress words and their VarHandle forms) is loaded from the runtime image at every worker's start, and that
     * cost a pool of two workers 150 ms (docs/POOL.md).
     */
    @SuppressWarnings("unchecked")
    private static void train() throws Exception {
        Path dir = Channel.privateDirectory();
        try (Channel.FifoMaker fifos = new Channel.FifoMaker()) {
            fifos.make(dir.resolve(Worker.REQUESTS), dir.resolve(Worker.RESULTS));
            Progress progress = Progress.map(dir.resolve(Worker.PROGRESS));
            // the shared-memory transport's classes and access modes too: a ring written and read through
            Ring ring = Ring.create(dir.resolve(Worker.REQUESTS_RING), 4096);
            OutputStream ringOut = ring.output(OutputStream.nullOutputStream(), () -> true);
            DataInputStream ringIn = new DataInputStream(Ring.open(dir.resolve(Worker.REQUESTS_RING))
                    .input(InputStream.nullInputStream()));
            Wire.Buf probe = Wire.Buf.frame(Wire.INIT, 16);
            probe.putInt(Wire.PROTOCOL);
            probe.writeFrameTo(ringOut);
            ringOut.flush();
            Wire.readFrame(ringIn, "training");
            Channel.Ends parent = new Channel.Ends(dir.resolve(Worker.REQUESTS), dir.resolve(Worker.RESULTS));
            DataInputStream control = new DataInputStream(new BufferedInputStream(
                    new FileInputStream(dir.resolve(Worker.REQUESTS).toFile()), 1 << 16));
            OutputStream protocol = new BufferedOutputStream(
                    new FileOutputStream(dir.resolve(Worker.RESULTS).toFile()), 1 << 16);
            parent.releaseKeepers();
            DataInputStream in = new DataInputStream(new BufferedInputStream(parent.results, 1 << 16));
            sayHello(protocol);
            in.skipNBytes(Wire.MAGIC.length);
            Wire.Scratch frames = new Wire.Scratch(); // as the worker's loop reads: into one array, read twice here
            Wire.readFrame(in, "training", frames);
            Wire.Buf ping = Wire.Buf.frame(Wire.INIT, 16);
            ping.putInt(Wire.PROTOCOL);
            ping.writeFrameTo(parent.requests);
            Wire.readFrame(control, "training");

            ObjectInputFilter base = lazyFilter(ProcessPool.DEFAULT_ALLOWED_CLASSES + ";!*");
            ObjectInputFilter filter = WireSerialization.filter(base, null);
            // the real parent watch, lambda included: a lambda the archive has not seen is spun at run time, and this
            // one cost a worker 8-24 ms before its first task (the watch polls our parent, alive while it trains us)
            ProcessHandle.current().parent().ifPresent(p -> watchParent(p.pid(), System.err));

            SerializableFunction<Object, Object> fn = x -> x;
            Function<Object, Object> back = (Function<Object, Object>) WireSerialization.deserialize(WireSerialization.serialize(fn), filter);
            WireLambdas.read(WireLambdas.describe(fn), PoolWorker.class.getName(), filter); // and by name
            // Every class of a task's path must come from the archive: the first one loaded from the jar instead opens
            // it, 25-45 ms for a class path like benchmarks.jar's (-Xlog:class+load shows where each class came from)
            new FunctionLru(1).put(1L, back);
            progress.startNextChunk();
            progress.startTask(0);
            progress.takeBack(1, 2);
            progress.began(1);
            progress.tasksStarted();
            progress.taskIndex();
            Wire.Buf b = Wire.Buf.frame(Wire.RESULT, 64);
            b.putLong(1);
            WireValues.putElements(b, java.util.List.of(1L, "two", 3.0), 0, 3);
            Object[] xs = WireValues.getElements(new Wire.In(b.a, Wire.HEADER + 1 + 8, b.n), filter);
            Object[] results = new Object[xs.length];
            for (int k = 0; k < xs.length; k++) {
                results[k] = run(back, xs[k]);
            }
            // a chunk of longs, as map over numbers sends one: the column path and its bulk copies (a copy of fewer
            // than 7 numbers is a loop, and would leave the copy's memory-session classes to the runtime image)
            Wire.Buf longs = Wire.Buf.frame(Wire.CHUNK, 256);
            WireValues.putElements(longs, java.util.stream.LongStream.range(0, 16).boxed().toList(), 0, 16);
            Wire.In longsIn = new Wire.In(longs.a, Wire.HEADER + 1, longs.n);
            if (WireValues.nextIsLongList(longsIn)
                    && runLongs(back, (long[]) WireValues.getColumn(longsIn, filter), progress) instanceof long[] ys) {
                WireValues.putLongList(longs, ys);
            }
            Wire.Buf out = Wire.Buf.frame(Wire.RESULT, 64);
            out.putLong(1);
            encodeResults(out, results);
            WireThrowables.putThrowable(out, new IllegalStateException("training"));
            out.writeFrameTo(protocol);
            protocol.flush();
            Wire.Frame f = Wire.readFrame(in, "training", frames);
            Wire.In body = f.in();
            body.getLong();
            WireValues.getColumn(body, filter);
            protocol.close();
            control.close();
            parent.requests.close();
            parent.results.close();
        } finally {
            Worker.removeDirectory(dir);
        }
        System.exit(0); // not halt: the archive is written by the JVM's normal exit
    }

    /** The handshake: {@code PBWORKER}, then a READY frame (protocol version, our pid). */
    private static void sayHello(OutputStream protocol) throws IOException {
        DataOutputStream hello = new DataOutputStream(protocol);
        hello.writeBytes(Wire.MAGIC_TEXT);
        hello.writeShort(Wire.FRAME_MAGIC);
        hello.writeInt(1 + 4 + 8);
        hello.writeByte(Wire.READY);
        hello.writeInt(Wire.PROTOCOL);
        hello.writeLong(ProcessHandle.current().pid());
        hello.flush();
    }

    /** The worker's functions by id, least recently used first, at most {@code capacity}. */
    private static final class FunctionLru extends LinkedHashMap<Long, Object> {
        private final int capacity;

        FunctionLru(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Object> eldest) {
            return size() > capacity;
        }
    }

    /**
     * The allow-list {@code pattern} as a filter made at its first use: making it brings up the JDK's serial-filter
     * configuration (31–48 ms of a fresh worker on a small VM), which a worker whose functions and values all travel
     * without Java serialization never needs ({@link WireLambdas}).
     */
    static ObjectInputFilter lazyFilter(String pattern) {
        return new ObjectInputFilter() {
            private ObjectInputFilter made;

            @Override
            public synchronized Status checkInput(FilterInfo info) {
                if (made == null) {
                    made = ObjectInputFilter.Config.createFilter(pattern);
                }
                return made.checkInput(info);
            }
        };
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals(TRAIN)) {
            train();
            return;
        }
        PrintStream err = System.err;
        OutputStream protocol;
        DataInputStream in;
        DataInputStream control = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 12));
        Progress progress;
        Ring results = null; // the shared-memory transport's ring for results, used once the handshake is done
        OutputStream resultsFifo = null;
        if (args.length == 1 || args.length == 2 && args[1].equals(SHM)) {
            // The pool's way: frames on two FIFOs in the directory we are given; fd 1 and fd 2 are the tasks' own
            // output. The parent holds the other ends open already, so these opens do not wait; it removes the
            // directory once we have answered.
            Path dir = Path.of(args[0]);
            progress = Progress.map(dir.resolve(Worker.PROGRESS));
            InputStream requestsFifo = new FileInputStream(dir.resolve(Worker.REQUESTS).toFile());
            resultsFifo = new FileOutputStream(dir.resolve(Worker.RESULTS).toFile());
            if (args.length == 2) { // shared memory: the FIFOs carry the handshake, then only wake-ups
                in = new DataInputStream(Ring.open(dir.resolve(Worker.REQUESTS_RING)).input(requestsFifo));
                results = Ring.open(dir.resolve(Worker.RESULTS_RING));
            } else {
                in = new DataInputStream(new BufferedInputStream(requestsFifo, 1 << 16));
            }
            protocol = new BufferedOutputStream(resultsFifo, 1 << 16);
            // Everything is open or mapped: the names can go now, so that even a parent killed before our handshake
            // leaves nothing behind in /tmp or /dev/shm (the parent removes them too, once we have answered).
            Worker.removeDirectory(dir);
        } else {
            // Frames on stdin/stdout (StartupFlagsProbe): System.out goes to stderr so a println cannot corrupt them.
            protocol = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
            System.setOut(err);
            in = control;
            progress = Progress.local();
        }

        // The handshake comes first and touches as few classes as possible (no VarHandles, no filters): the rest of
        // our start-up then overlaps with the parent's first frames, which wait in the pipe.
        sayHello(protocol);

        Wire.Frame init = Wire.readFrame(control, "parent"); // INIT always comes on stdin: it waits there while we boot
        if (init == null) {
            return; // the parent went away before we started
        }
        Wire.In i = init.in();
        if (init.type() != Wire.INIT || i.getInt() != Wire.PROTOCOL) {
            err.println("poolbench worker: expected INIT with protocol " + Wire.PROTOCOL + ", got frame type " + init.type());
            Runtime.getRuntime().halt(3);
        }
        ObjectInputFilter base = lazyFilter(i.getString()); // the parent checked the pattern
        ObjectInputFilter filter = WireSerialization.filter(base, null);
        int cacheCapacity = i.getInt();
        long parent = i.getLong();
        if (i.get() == 1) { // the pool's initializer: run once, before any task
            String home = i.getString();
            byte[] fnBytes = i.getBytes();
            try {
                @SuppressWarnings("unchecked")
                Function<Object, Object> initializer =
                        (Function<Object, Object>) WireLambdas.read(fnBytes, home, WireSerialization.filter(base, home));
                Object[] arg = WireValues.getElements(i, WireSerialization.filter(base, home));
                if (arg[0] instanceof WireValues.Failure f) {
                    throw f.error();
                }
                initializer.apply(arg[0]);
            } catch (Throwable e) {
                err.println("poolbench worker: the pool's initializer failed:");
                e.printStackTrace(err);
                err.flush();
                Runtime.getRuntime().halt(4);
            }
            Wire.Buf done = Wire.Buf.frame(Wire.INITIALIZED, 0);
            done.writeFrameTo(protocol);
            protocol.flush();
        }

        watchParent(parent, err);
        if (results != null) {
            protocol.flush(); // the handshake is out; every frame from now on goes through the ring
            ProcessHandle parentHandle = ProcessHandle.of(parent).orElse(null);
            protocol = results.output(resultsFifo, () -> parentHandle != null && parentHandle.isAlive());
        }

        // Mirrors the parent's per-worker LRU: same capacity, same sequence of puts and gets, so the same evictions.
        Map<Long, Object> functions = new FunctionLru(cacheCapacity);
        Wire.Scratch frames = new Wire.Scratch(); // each frame is decoded before the next is read
        while (true) {
            Wire.Frame f;
            try {
                f = Wire.readFrame(in, "parent", frames);
            } catch (IOException e) {
                err.println("poolbench worker: " + e);
                err.flush();
                Runtime.getRuntime().halt(3);
                return;
            }
            if (f == null) { // EOF: the pool closed us (it holds no chunk here), or the parent died
                err.flush();
                Runtime.getRuntime().halt(0);
            }
            Wire.In body = f.in();
            switch (f.type()) {
                case Wire.DEFINE -> {
                    long id = body.getLong();
                    String home = body.getString();
                    byte[] bytes = body.getBytes();
                    Object fn;
                    try {
                        fn = WireLambdas.read(bytes, home, WireSerialization.filter(base, home));
                    } catch (Exception | LinkageError e) {
                        fn = new WireValues.Failure(e); // every chunk that uses it fails with this
                    }
                    functions.put(id, fn);
                }
                case Wire.CHUNK -> runChunk(body, functions, filter, protocol, progress);
                default -> {
                    err.println("poolbench worker: unexpected frame type " + f.type());
                    Runtime.getRuntime().halt(3);
                }
            }
        }
    }

    /**
     * Halts when the parent is gone. Between tasks the main thread sees EOF on stdin; while a task runs, this thread
     * notices within {@link #PARENT_POLL_MILLIS} that the parent process ended (SIGKILL included: we are reparented).
     * Reading stdin here instead would cost every task a hand-off between threads. The parent's pid comes from the
     * parent (in INIT), not from asking who our parent is now: by the time we ask, it may already be init.
     */
    private static void watchParent(long parent, PrintStream err) {
        Thread t = new Thread(() -> {
            while (true) {
                ProcessHandle now = ProcessHandle.current().parent().orElse(null);
                if (now == null || now.pid() != parent || !now.isAlive()) {
                    err.println("poolbench worker: parent " + parent + " is gone; exiting");
                    err.flush();
                    Runtime.getRuntime().halt(0);
                }
                try {
                    Thread.sleep(PARENT_POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "poolbench-worker-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    @SuppressWarnings("unchecked")
    private static void runChunk(Wire.In body, Map<Long, Object> functions, ObjectInputFilter filter,
                                 OutputStream protocol, Progress progress) throws IOException {
        long chunkId = body.getLong();
        long fnId = body.getLong();
        byte arity = body.get();
        Object fn = functions.get(fnId); // before the gate: the LRU must see every get the parent's mirror saw
        if (!progress.startNextChunk()) {
            return; // the parent took this chunk back for an idle worker while we were stuck on the one before
        }
        long[] longs = null;
        Object[] a = null;
        Object[] b = null;
        try {
            if (fn == null) {
                throw new IllegalStateException("function " + fnId + " was never defined in this worker");
            }
            if (fn instanceof WireValues.Failure failure) {
                throw failure.error();
            }
            if (arity == 1 && WireValues.nextIsLongList(body)) {
                longs = (long[]) WireValues.getColumn(body, filter);
            } else {
                a = WireValues.getElements(body, filter);
                if (arity == 2) {
                    b = WireValues.getElements(body, filter);
                }
            }
        } catch (Throwable e) {
            Wire.Buf out = Wire.Buf.frame(Wire.CHUNK_ERROR, 4096);
            out.putLong(chunkId);
            out.put(WireValues.T_EXC);
            WireThrowables.putThrowable(out, e);
            out.writeFrameTo(protocol);
            protocol.flush();
            return;
        }
        Object results; // a long[] from runLongs while every result is a Long, else an Object[]
        if (longs != null) {
            results = runLongs((Function<Object, Object>) fn, longs, progress);
        } else {
            Object[] r = new Object[a.length];
            if (arity == 2) {
                BiFunction<Object, Object, Object> f2 = (BiFunction<Object, Object, Object>) fn;
                for (int k = 0; k < a.length; k++) {
                    progress.startTask(k);
                    r[k] = run(f2, a[k], b[k]);
                }
            } else {
                Function<Object, Object> f1 = (Function<Object, Object>) fn;
                for (int k = 0; k < a.length; k++) {
                    progress.startTask(k);
                    r[k] = run(f1, a[k]);
                }
            }
            results = r;
        }
        // a column of longs takes 8 bytes a result, as the chunk took 8 a task: it fits wherever the chunk did
        Wire.Buf out = Wire.Buf.frame(Wire.RESULT, 16 + 8 * (longs != null ? longs.length : a.length));
        out.putLong(chunkId);
        if (results instanceof long[] ys) {
            WireValues.putLongList(out, ys);
        } else {
            encodeResults(out, (Object[]) results);
        }
        out.writeFrameTo(protocol);
        protocol.flush();
    }

    /**
     * A chunk of longs: while every result is a {@code Long} the results stay a {@code long[]}, sent in one bulk copy,
     * and no box outlives its task. A program's first chunks are where this pays: they run before the JIT has
     * compiled the general path, and every retained box is fresh heap the kernel must clear. From the first result
     * that is anything else (a failure included) on, the chunk continues as {@link #runChunk}'s general loop.
     *
     * @return the results as a {@code long[]}, or as the general path's {@code Object[]}
     */
    static Object runLongs(Function<Object, Object> fn, long[] xs, Progress progress) {
        long[] ys = new long[xs.length];
        for (int k = 0; k < xs.length; k++) {
            progress.startTask(k);
            Object r = run(fn, xs[k]);
            if (r instanceof Long y) {
                ys[k] = y;
            } else {
                return boxedFrom(fn, xs, ys, k, r, progress);
            }
        }
        return ys;
    }

    /** {@link #runLongs} from task {@code k} on, whose result {@code r} was not a {@code Long}: as runChunk does. */
    private static Object[] boxedFrom(Function<Object, Object> fn, long[] xs, long[] ys, int k, Object r,
                                      Progress progress) {
        Object[] results = new Object[xs.length];
        for (int i = 0; i < k; i++) {
            results[i] = ys[i];
        }
        results[k] = r;
        for (int i = k + 1; i < xs.length; i++) {
            progress.startTask(i);
            results[i] = run(fn, xs[i]);
        }
        return results;
    }

    private static Object run(Function<Object, Object> fn, Object x) {
        try {
            return x instanceof WireValues.Failure ? x : fn.apply(x);
        } catch (Throwable e) {
            return new WireValues.Failure(e);
        }
    }

    private static Object run(BiFunction<Object, Object, Object> fn, Object x, Object y) {
        try {
            return x instanceof WireValues.Failure ? x : y instanceof WireValues.Failure ? y : fn.apply(x, y);
        } catch (Throwable e) {
            return new WireValues.Failure(e);
        }
    }

    /** Encodes the results; one that cannot be sent (not serializable, too large) becomes that task's failure. */
    private static void encodeResults(Wire.Buf out, Object[] results) {
        int start = out.n;
        try {
            WireValues.putElements(out, Arrays.asList(results), 0, results.length);
            if (out.n - Wire.HEADER <= Wire.MAX_FRAME) {
                return;
            }
        } catch (WireValues.ElementException e) {
            // fall through: encode one by one and replace what fails
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            // the same
        }
        out.n = start;
        out.put(WireValues.T_LIST);
        out.putInt(results.length);
        for (Object r : results) {
            int mark = out.n;
            try {
                WireValues.put(out, r, 1);
                if (out.n - Wire.HEADER > Wire.MAX_FRAME) {
                    throw new IOException("result of about " + (out.n - mark) + " bytes does not fit in a frame (limit "
                            + Wire.MAX_FRAME + " bytes)");
                }
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                out.n = mark;
                out.put(WireValues.T_EXC);
                WireThrowables.putThrowable(out, new IOException("the task's result cannot be sent to the parent: " + e, e));
            }
        }
    }
}
