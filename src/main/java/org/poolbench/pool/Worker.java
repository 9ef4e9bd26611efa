package org.poolbench.pool;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The parent's side of one worker JVM: its process, its protocol socket, the chunks it holds, and four threads. The
 * reader accepts the worker's connection, does the handshake, reads results, and when the stream ends reports the
 * death to the pool; the writer takes chunks from the pool's queue (a window of them in flight, so the worker never
 * waits for the next one); two drainers keep the tail of stderr and stdout.
 */
final class Worker {

    /** The files in a worker's directory: the FIFO the parent writes, the one it reads, the progress words. */
    static final String REQUESTS = "requests";
    static final String RESULTS = "results";
    static final String PROGRESS = "progress";
    /** The shared-memory transport's rings: tasks to the worker, results from it (the FIFOs then ring doorbells). */
    static final String REQUESTS_RING = "requests.ring";
    static final String RESULTS_RING = "results.ring";

    /** A worker's two rings when the pool uses shared memory. */
    record Rings(Ring requests, Ring results) {
    }

    /**
     * Chunks in flight to one worker: at least one running and one waiting, and more while chunks are short, as many
     * as take about {@link #WINDOW_NANOS} to run, up to this many. A worker then finds its next chunks waiting in a
     * row and answers them in a row, and the parent's threads wake once per several chunks instead of once per chunk;
     * with 8192 chunks of one tiny task each this cut the pool's cost per chunk from 9.4 to about 2 µs over shared
     * memory and from 17.5 to about 6.4 µs over pipes (docs/POOL.md, "The window"). Long chunks keep two in flight:
     * what waits on one worker while another runs out of work is at most about that budget.
     */
    static final int WINDOW_MAX = 64;
    static final int WINDOW_MIN = 2;
    /** The work a worker may have waiting behind its running chunk, by the recent chunks' service time. */
    static final long WINDOW_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("poolbench.pool.windowMicros", 200));
    /** Functions each worker keeps deserialized; the parent mirrors the worker's LRU exactly. */
    static final int FN_CACHE = 64;

    private final PoolCore pool;
    final int slot;
    final Process process;
    final long pid;
    private final String who; // "worker pid N", for messages: made once, not per frame
    private final long spawnedNanos = System.nanoTime();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final StderrTail stderr;
    /** What the worker is running, in memory it shares with us. */
    private final Progress progress;
    // the watchdog's own notes (only its thread touches them)
    private long lastSeenStarted;
    private long lastProgressNanos;
    private final long[] since = new long[1];
    /** The running task's index in its chunk when the watchdog killed the worker for a timeout. */
    private volatile int timedOutIndex = -1;
    private boolean initialized; // set before the reader starts
    /** The worker's private directory: its two FIFOs and its progress file, removed once it has connected. */
    private final Path dir;
    private final Channel.Ends ends;
    private final Rings rings; // null: frames travel on the FIFOs themselves
    // set by the reader before ready completes (which publishes them)
    private DataInputStream in;
    /** Result frames are read into this: whichever thread holds the baton reads and decodes one before the next. */
    private final Wire.Scratch frames = new Wire.Scratch();
    private OutputStream out;
    /** Free slots of the window; {@link #granted} slots exist in all (free, held by chunks in flight, or owed). */
    private final Semaphore window = new Semaphore(WINDOW_MIN);
    /**
     * Shared memory only: the right to read the results ring. The reader thread holds it, and lends it only while it
     * sleeps between two frames; a thread in {@link #sendAndAwait} that gets it reads its own result from the ring,
     * which saves two thread hand-offs (the reader's wake-up and the caller's).
     */
    private final Semaphore baton = new Semaphore(0);
    private Ring.Input resultsRing; // set by the reader before ready completes
    /** Set by a direct reader that met a fault it could not report itself; the reader thread reports it. */
    private volatile String directFailure;
    private final Thread reader;
    private final Thread writer;
    private final Thread drainer;
    private final Thread stdoutDrainer;

    // guarded by this
    private final ArrayDeque<Chunk> inflight = new ArrayDeque<>();
    private long inflightBytes; // the sum of framed(c) over inflight
    private boolean alive = true;
    private long headStartNanos;
    private int owedPermits; // window slots of chunks taken back, returned when the running chunk ends
    private int granted = WINDOW_MIN; // the window's size: slots that exist
    private int freed; // reader thread only: window slots freed by answers, to hand on (handOn)
    private long serviceNanos; // moving average of the time from a chunk becoming the oldest in flight to its answer

    /** Why the pool killed this worker, if it did; read after the reader saw the end. */
    private volatile String killReason;
    private volatile boolean timedOut;

    // guarded by sendLock: what was sent, in order (the writer thread and direct senders both send)
    private final Object sendLock = new Object();
    private final Map<Long, Boolean> loaded = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > FN_CACHE;
        }
    };
    private int chunksTaken;
    private long lastFn = -1; // the function of the last chunk sent; ids are never negative
    private long chunksSent; // the stream's count of chunks, as the worker counts them (Progress)
    /** A thread that sent to this idle worker and reads the result itself: nothing else is sent meanwhile. */
    private volatile Thread reservedBy; // written under sendLock; read by the reader thread, which then lends the baton

    Worker(PoolCore pool, int slot, Process process, Path dir, Channel.Ends ends, Progress progress, Rings rings) {
        this.progress = progress;
        this.rings = rings;
        this.pool = pool;
        this.slot = slot;
        this.process = process;
        this.pid = process.pid();
        this.who = "worker pid " + pid;
        this.dir = dir;
        this.ends = ends;
        this.stderr = new StderrTail(process.getErrorStream());
        this.reader = thread("reader", this::readLoop);
        this.writer = thread("writer", this::writeLoop);
        this.drainer = thread("stderr", stderr);
        this.stdoutDrainer = thread("stdout", stderr.alsoDrain(process.getInputStream()));
        // A worker that dies before its handshake must not leave the reader waiting for it for ever.
        process.onExit().thenRun(this::connected);
    }

    /** The worker has opened its ends (or has died): release the keepers, remove the directory. Idempotent. */
    private void connected() {
        ends.releaseKeepers();
        removeDirectory(dir);
    }

    /** Removes a worker's directory: its FIFOs and progress file (open ends and mappings stay valid). */
    static void removeDirectory(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(REQUESTS));
            Files.deleteIfExists(dir.resolve(RESULTS));
            Files.deleteIfExists(dir.resolve(PROGRESS));
            Files.deleteIfExists(dir.resolve(REQUESTS_RING));
            Files.deleteIfExists(dir.resolve(RESULTS_RING));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // already gone, or not ours to remove: nothing else can open them once the worker has
        }
    }

    private Thread thread(String role, Runnable body) {
        return Thread.ofPlatform().daemon().name("poolbench-worker-" + pid + "-" + role).unstarted(() -> {
            PoolCore.OWNER.set(pool);
            body.run();
        });
    }

    /** Sends INIT on stdin (it waits in the pipe while the JVM boots) and starts accepting and reading. */
    void start(String filterPattern, WorkerCommand.Initializer initializer) throws IOException {
        this.initialized = initializer == null;
        Wire.Buf init = Wire.Buf.frame(Wire.INIT, 256);
        init.putInt(Wire.PROTOCOL);
        init.putString(filterPattern);
        init.putInt(FN_CACHE);
        init.putLong(ProcessHandle.current().pid());
        init.put((byte) (initializer == null ? 0 : 1));
        if (initializer != null) {
            init.putString(initializer.fn().home());
            init.putBytes(initializer.fn().bytes());
            WireValues.putElements(init, java.util.Arrays.asList(initializer.arg()), 0, 1);
        }
        OutputStream stdin = process.getOutputStream();
        init.writeFrameTo(stdin);
        stdin.flush();
        drainer.start();
        stdoutDrainer.start();
        reader.start();
    }

    // ---- reader -------------------------------------------------------------------------------------------------

    private void readLoop() {
        String failure = null;
        try {
            in = new DataInputStream(new BufferedInputStream(ends.results, 1 << 16));
            out = rings == null ? new BufferedOutputStream(ends.requests, 1 << 16)
                    : rings.requests().output(ends.requests, process::isAlive);
            handshake(); // EOF if the worker dies before it: its exit releases the keepers
            if (rings != null) { // the handshake came on the FIFO; from now on it only rings, and the worker writes
                resultsRing = rings.results().input(ends.results, baton, () -> reservedBy != null); // nothing else there before we sleep
                in = new DataInputStream(resultsRing);
            }
            connected();
            ready.complete(null);
            pool.workerReady(this);
            writer.start();
            while (resultsRing == null || resultsRing.awaitFrame()) {
                Wire.Frame f = Wire.readFrame(in, who, frames);
                if (f == null) {
                    break;
                }
                onFrame(f);
                if (freed > 0 && !resultsRing.frameReady()) { // every answer in the ring is read: refill at once
                    handOn();
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e instanceof Wire.ProtocolException ? e.getMessage() : e.toString();
            // Kill by signal only: Process.destroyForcibly() would also close stderr before its tail is read.
            process.toHandle().destroyForcibly();
        } finally {
            died(directFailure != null ? directFailure : failure);
        }
    }

    private void handshake() throws IOException {
        ByteArrayOutputStream noise = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < Wire.MAGIC.length) {
            int c = in.read();
            if (c < 0) {
                keepNoise(noise);
                throw new IOException("stdout ended before the handshake");
            }
            if (c == (Wire.MAGIC[matched] & 0xff)) {
                matched++;
                continue;
            }
            noise.write(Wire.MAGIC, 0, matched);
            matched = c == (Wire.MAGIC[0] & 0xff) ? 1 : 0;
            if (matched == 0) {
                noise.write(c);
            }
            if (noise.size() > 1 << 16) {
                throw new Wire.ProtocolException("worker wrote more than 64 KiB to stdout before the handshake");
            }
        }
        keepNoise(noise);
        Wire.Frame f = Wire.readFrame(in, who, frames);
        if (f == null || f.type() != Wire.READY) {
            throw new Wire.ProtocolException("expected READY from worker pid " + pid);
        }
        Wire.In body = f.in();
        int protocol = body.getInt();
        if (protocol != Wire.PROTOCOL) {
            throw new Wire.ProtocolException("worker speaks protocol " + protocol + ", we speak " + Wire.PROTOCOL);
        }
        long peer = body.getLong();
        if (peer != pid) {
            throw new Wire.ProtocolException("process " + peer + " connected to the socket of worker pid " + pid);
        }
        if (!initialized) { // a worker is ready only once the pool's initializer has run in it
            Wire.Frame done = Wire.readFrame(in, who);
            if (done == null) {
                throw new IOException("the worker ended while running the pool's initializer");
            }
            if (done.type() != Wire.INITIALIZED) {
                throw new Wire.ProtocolException("expected INITIALIZED from worker pid " + pid + ", got " + done.type());
            }
        }
    }

    /** What the JVM printed to stdout before our main ran: keep it where users look. */
    private void keepNoise(ByteArrayOutputStream noise) {
        if (noise.size() > 0) {
            for (String line : noise.toString(StandardCharsets.UTF_8).split("\n")) {
                stderr.add("[stdout] " + line);
            }
        }
    }

    /** Delivers a result frame; returns the chunk it finished. */
    private Chunk onFrame(Wire.Frame f) throws IOException {
        Wire.In body = f.in();
        long chunkId = body.getLong();
        Object values;
        if (f.type() == Wire.RESULT) {
            values = WireValues.getColumn(body, pool.resultFilter());
        } else if (f.type() == Wire.CHUNK_ERROR) {
            if (body.get() != WireValues.T_EXC) {
                throw new Wire.ProtocolException("corrupt CHUNK_ERROR frame from worker pid " + pid);
            }
            WireValues.Failure failure = new WireValues.Failure(WireThrowables.getThrowable(body));
            Object[] all = new Object[peekHead(chunkId).size];
            java.util.Arrays.fill(all, failure);
            values = all;
        } else {
            throw new Wire.ProtocolException("unexpected frame type " + f.type() + " from worker pid " + pid);
        }
        Chunk c;
        int permits;
        synchronized (this) {
            c = peekHead(chunkId);
            inflightBytes -= framed(inflight.removeFirst());
            long now = System.nanoTime();
            long service = now - headStartNanos;
            serviceNanos = serviceNanos == 0 ? service : serviceNanos + (service - serviceNanos) / 8;
            headStartNanos = now; // the next chunk, if any, starts now
            permits = resize(1 + owedPermits);
            owedPermits = 0;
            notifyAll();
        }
        if (permits > 0 && rings != null && Thread.currentThread() == reader) {
            freed += permits; // handed on once the answers already in the ring are read (readLoop)
            permits = 0;
        }
        if (permits > 0) {
            window.release(permits);
        }
        pool.finish(c, values, pid);
        return c;
    }

    /**
     * The window's slots to give back once a chunk has answered: its own and those owed, less the slots the window
     * sheds, or more the slots it grows by, now that {@link #serviceNanos} has moved. Called holding this.
     */
    private int resize(int permits) {
        long fit = WINDOW_NANOS / Math.max(1, serviceNanos);
        int target = (int) Math.max(WINDOW_MIN, Math.min(WINDOW_MAX, 1 + fit));
        if (target > granted) {
            permits += target - granted;
            granted = target;
        } else if (target < granted) {
            int shed = Math.min(granted - target, permits);
            permits -= shed;
            granted -= shed;
        }
        return permits;
    }

    /**
     * Over shared memory, gives the window slots that answers freed ({@link #freed}) to the next queued chunks and
     * sends them from the reader thread, all in one publication: the writer thread, parked for a slot, would otherwise
     * be woken for every chunk, and on a small virtual machine that wake-up (a futex call and a context switch) cost
     * more than a tiny task (docs/POOL.md, "Transports"). Only chunks that fit in the ring beside everything in
     * flight: the write cannot wait for the worker, which may itself be waiting for this thread to read. The slots
     * left over go back to the window.
     */
    private void handOn() {
        int slots = freed;
        freed = 0;
        int used = 0;
        while (used < slots && reservedBy == null) {
            Chunk next = pool.pollChunk();
            if (next == null) {
                break;
            }
            if (!fitsBesideInflight(next) || !trySend(next, Reserve.FAIL, false)) {
                pool.requeue(next);
                break;
            }
            used++;
        }
        if (used > 0) {
            synchronized (sendLock) {
                try {
                    out.flush();
                } catch (IOException e) {
                    kill("cannot write to its stdin: " + e, false);
                }
            }
        }
        if (used < slots) {
            window.release(slots - used);
        }
    }

    private synchronized boolean fitsBesideInflight(Chunk next) {
        return inflightBytes + framed(next) <= rings.requests().capacity() / 2;
    }

    /** An upper bound on the bytes {@link #send} writes for {@code c}: its frame, and its function's if not loaded. */
    private static long framed(Chunk c) {
        return c.payload.n + c.fn.bytes().length + 256L;
    }

    private synchronized Chunk peekHead(long chunkId) throws Wire.ProtocolException {
        Chunk c = inflight.peekFirst();
        if (c == null || c.id != chunkId) {
            throw new Wire.ProtocolException("worker pid " + pid + " answered chunk " + chunkId + " but holds "
                    + (c == null ? "none" : "chunk " + c.id));
        }
        return c;
    }

    private void died(String failure) {
        int exit = awaitExit();
        try {
            drainer.join(1000); // the tail is complete once stderr and stdout reached EOF
            stdoutDrainer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connected();
        for (java.io.Closeable end : new java.io.Closeable[] {ends.results, ends.requests}) {
            try {
                end.close();
            } catch (IOException e) {
                // closing a dead worker's pipe: nothing to do
            }
        }
        List<Chunk> held;
        synchronized (this) {
            alive = false;
            held = new ArrayList<>(inflight);
            inflight.clear();
            inflightBytes = 0;
            notifyAll();
        }
        writer.interrupt();
        String reason = killReason != null ? killReason : failure;
        pool.workerDied(this, held, exit, reason, timedOut);
    }

    private int awaitExit() {
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) { // stdout closed but still running: do not wait on it
                process.toHandle().destroyForcibly();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    return -1;
                }
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.toHandle().destroyForcibly();
            return -1;
        }
    }

    // ---- writer -------------------------------------------------------------------------------------------------

    private void writeLoop() {
        try {
            while (!usedUp()) {
                window.acquire();
                Chunk c = pool.takeChunk();
                if (!trySend(c, Reserve.WAIT)) {
                    window.release();
                    pool.requeue(c);
                    if (!usedUp()) {
                        return; // dead
                    }
                }
            }
            retire();
        } catch (InterruptedException e) {
            // the worker died or the pool is shutting down
        }
    }

    private boolean usedUp() {
        synchronized (sendLock) {
            return pool.usedUp(chunksTaken);
        }
    }

    /**
     * Sends {@code c} if this worker may still take it. Called by the writer thread, and by a submitting thread that
     * found this worker idle: writing from the caller saves a hand-off between threads on every {@code apply}.
     * A write error kills the worker; the chunk, already held, then fails or moves on with the death.
     */
    private boolean trySend(Chunk c, Reserve reserve) {
        return trySend(c, reserve, true);
    }

    /** {@link #trySend}; without {@code flush}, the frame waits in the stream for the caller's flush. */
    private boolean trySend(Chunk c, Reserve reserve, boolean flush) {
        synchronized (sendLock) {
            while (reservedBy != null) { // a caller reads its result from the ring: its chunk must stay alone
                if (reserve != Reserve.WAIT) {
                    return false;
                }
                try {
                    sendLock.wait();
                } catch (InterruptedException e) { // the worker died: the writer gives the chunk back
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (pool.usedUp(chunksTaken)) {
                return false;
            }
            synchronized (this) {
                if (!alive) {
                    return false;
                }
                if (inflight.isEmpty()) {
                    headStartNanos = System.nanoTime();
                    if (reserve == Reserve.TAKE) {
                        reservedBy = Thread.currentThread();
                    }
                }
                c.seq = ++chunksSent;
                inflight.addLast(c);
                inflightBytes += framed(c);
            }
            chunksTaken++;
            try {
                send(c, flush);
            } catch (IOException e) {
                kill("cannot write to its stdin: " + e, false);
            }
            return true;
        }
    }

    /** True if this worker is ready and holds nothing: a caller may hand it a chunk directly. */
    synchronized boolean isIdle() {
        return alive && inflight.isEmpty() && ready.isDone() && !ready.isCompletedExceptionally();
    }

    /** How {@link #trySend} treats a worker reserved by a caller. */
    private enum Reserve {
        /** The writer thread: wait until the caller has its result. */
        WAIT,
        /** A direct sender: go elsewhere. */
        FAIL,
        /** A caller that will read its result itself: fail if reserved, else reserve if nothing is in flight. */
        TAKE
    }

    /** Sends {@code c} from the calling thread; false if this worker cannot take it after all. */
    boolean sendDirect(Chunk c) {
        if (!window.tryAcquire()) {
            return false;
        }
        if (!trySend(c, Reserve.FAIL)) {
            window.release();
            return false;
        }
        return true;
    }

    /**
     * {@link #sendDirect}, by a thread that then waits for {@code c}'s result. Over shared memory, if the worker held
     * nothing and the reader thread sleeps, this thread reads the result from the ring itself for up to
     * {@link #DIRECT_NANOS}, so that the result reaches it without waking two threads (the reader, then itself);
     * nothing else is sent to the worker meanwhile. Otherwise, or when the time is up, the reader thread delivers
     * as usual. False if the worker cannot take {@code c}.
     */
    boolean sendAndAwait(Chunk c) {
        if (rings == null) {
            return sendDirect(c);
        }
        if (!window.tryAcquire()) {
            return false;
        }
        if (!trySend(c, Reserve.TAKE)) {
            window.release();
            return false;
        }
        try {
            if (reservedByMe() && takeBaton()) {
                try {
                    readOwnResult(c);
                } finally {
                    baton.release();
                }
            }
        } finally {
            synchronized (sendLock) {
                if (reservedBy == Thread.currentThread()) {
                    reservedBy = null;
                    sendLock.notifyAll();
                }
            }
        }
        return true;
    }

    /**
     * The baton, if the reader thread lends it within {@link #DIRECT_NANOS}: seeing the reservation, a reader that
     * yields between frames goes to sleep at once. Yielding, not spinning, while it does: it may need this processor.
     */
    private boolean takeBaton() {
        long start = System.nanoTime();
        while (!baton.tryAcquire()) {
            if (System.nanoTime() - start > DIRECT_NANOS) {
                return false;
            }
            Thread.yield();
        }
        return true;
    }

    private boolean reservedByMe() {
        synchronized (sendLock) {
            return reservedBy == Thread.currentThread();
        }
    }

    /** How long a caller that sent to an idle worker watches the ring for its result: apply's tasks are tiny. */
    static final long DIRECT_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("poolbench.pool.directMicros", 50));
    /**
     * The first part of that watch, spent spinning: a tiny task's answer comes within 2-4 µs; after this the caller
     * yields between looks, so that on a machine with fewer cores than busy threads it does not keep a worker off
     * a processor for the rest of the watch.
     */
    static final long DIRECT_SPIN_NANOS = Math.min(DIRECT_NANOS,
            TimeUnit.MICROSECONDS.toNanos(Long.getLong("poolbench.pool.directSpinMicros", 10)));

    /**
     * Reads frames until {@code c}'s result or {@link #DIRECT_NANOS}, then hands the watch back to the sleeping reader
     * thread. Called with the baton and the reservation held, so the frames here are {@code c}'s. A fault is left
     * for the reader thread to report, as it reports every other: the worker is killed, the reader wakes with EOF.
     */
    private void readOwnResult(Chunk c) {
        Ring.Input ring = resultsRing;
        try {
            boolean done = false;
            ring.watch(true); // no need to ring while we look
            try {
                long start = System.nanoTime();
                long waited = 0;
                while (!done && waited < DIRECT_NANOS) {
                    if (ring.frameReady()) {
                        done = readFrameHere() == c;
                        if (done) {
                            pool.resultsReadByCallers.increment();
                        }
                    } else if (waited < DIRECT_SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield(); // a longer task: let it have the processor if it needs this one
                    }
                    waited = System.nanoTime() - start;
                }
            } finally {
                ring.watch(false);
            }
            while (ring.frameReady()) { // published while we still looked: the worker did not ring for it
                readFrameHere();
            }
        } catch (IOException | RuntimeException e) {
            directFailure = e instanceof Wire.ProtocolException ? e.getMessage() : e.toString();
            process.toHandle().destroyForcibly();
        }
    }

    private Chunk readFrameHere() throws IOException {
        Wire.Frame f = Wire.readFrame(in, who, frames);
        if (f == null) {
            throw new IOException("the results ring ended inside a frame it showed whole");
        }
        return onFrame(f);
    }

    private void send(Chunk c, boolean flush) throws IOException {
        Chunk.Fn fn = c.fn;
        // The function of the chunk before is the newest in both LRUs already: a get would change neither.
        if (fn.id() != lastFn && loaded.get(fn.id()) == null) {
            Wire.Buf define = Wire.Buf.frame(Wire.DEFINE, fn.bytes().length + 128);
            define.putLong(fn.id());
            define.putString(fn.home());
            define.putBytes(fn.bytes());
            define.writeFrameTo(out);
            loaded.put(fn.id(), Boolean.TRUE);
        }
        lastFn = fn.id();
        Wire.Buf header = Wire.Buf.frame(Wire.CHUNK, 17);
        header.putLong(c.id);
        header.putLong(fn.id());
        header.put(fn.arity());
        header.n += c.payload.n; // the length covers the payload written right after
        header.frameLength();
        out.write(header.a, 0, header.n - c.payload.n);
        out.write(c.payload.a, 0, c.payload.n);
        if (flush) {
            out.flush();
        }
    }

    /** {@code maxTasksPerChild} reached: let the held chunks finish, then close stdin so the worker exits. */
    private void retire() throws InterruptedException {
        synchronized (this) {
            while (alive && !inflight.isEmpty()) {
                wait();
            }
        }
        closeStdin();
    }

    // ---- control, from other threads ----------------------------------------------------------------------------

    /** Waits for the handshake; throws what ended the worker before it. */
    void awaitReady() throws InterruptedException, java.util.concurrent.ExecutionException {
        ready.get();
    }

    /** The worker ended before its handshake, if it had not completed it: {@link #awaitReady} throws {@code e}. */
    void handshakeFailed(WorkerDiedException e) {
        ready.completeExceptionally(e);
    }

    /** True unless the worker ended before its handshake. */
    boolean everReady() {
        return !ready.isCompletedExceptionally();
    }

    /** The last lines of its stderr (and of stray stdout). */
    List<String> stderrTail() {
        return stderr.tail();
    }

    /** True if the worker began running {@code c}. */
    boolean began(Chunk c) {
        return progress.began(c.seq);
    }

    /** The running task's index in its chunk when the watchdog killed the worker for a timeout, else -1. */
    int timedOutIndex() {
        return timedOutIndex;
    }

    /**
     * The watchdog's look at this worker at {@code now}: kills it if it missed the start timeout, or if its running
     * task is past {@code taskTimeout} (timed from when the worker started that task, seen in its {@link Progress}).
     * True if the worker is idle.
     */
    boolean checkDeadlines(long now, java.time.Duration startTimeout, java.time.Duration taskTimeout) {
        if (!ready.isDone() && now - spawnedNanos > startTimeout.toNanos()) {
            kill("no handshake within " + startTimeout, false);
        }
        if (runningSince(since) == null) {
            return isIdle();
        }
        long started = progress.tasksStarted();
        if (started != lastSeenStarted) {
            lastSeenStarted = started;
            lastProgressNanos = now;
        }
        if (taskTimeout != null && now - Math.max(since[0], lastProgressNanos) > taskTimeout.toNanos()) {
            timedOutIndex = progress.taskIndex();
            kill("timed out", true);
        }
        return false;
    }

    /** Held chunks, oldest (running) first, and when the running one started: for the watchdog. */
    synchronized Chunk runningSince(long[] startNanos) {
        Chunk head = alive ? inflight.peekFirst() : null;
        startNanos[0] = headStartNanos;
        return head;
    }

    /**
     * Takes back the chunks that wait behind the running one, if the worker has begun none of them (see
     * {@link Progress}): they are then the caller's to run elsewhere, oldest first, and this worker will skip them.
     * Empty if there are none or the worker has moved on.
     */
    List<Chunk> takeBackWaiting() {
        List<Chunk> waiting;
        synchronized (sendLock) { // not while a sender is still writing one
            synchronized (this) {
                if (!alive || inflight.size() < 2) {
                    return List.of();
                }
                waiting = new ArrayList<>(inflight);
                Chunk running = waiting.remove(0);
                if (!progress.takeBack(running.seq, waiting.get(waiting.size() - 1).seq)) {
                    return List.of();
                }
                inflight.retainAll(List.of(running));
                inflightBytes = framed(running);
                // Their slots, and the free ones, come back only when the running chunk ends: else our own writer
                // could take them straight back from the queue, to wait behind the same running task once more.
                owedPermits += waiting.size() + window.drainPermits();
                notifyAll();
            }
            chunksTaken -= waiting.size(); // they never ran here: they do not count towards maxTasksPerChild
        }
        return waiting;
    }

    void kill(String reason, boolean timeout) {
        if (killReason == null) {
            killReason = reason;
        }
        timedOut |= timeout;
        process.toHandle().destroyForcibly();
    }

    /** Ends a worker that holds nothing: EOF on its frame stream makes it exit. */
    void closeStdin() {
        try {
            OutputStream o;
            synchronized (sendLock) { // never cut a frame that a sender is writing
                o = ready.isDone() && !ready.isCompletedExceptionally() ? out : null;
                if (o != null) {
                    o.close();
                }
            }
            if (o == null) {
                process.toHandle().destroyForcibly(); // not connected yet: it holds nothing
            }
        } catch (IOException e) {
            process.toHandle().destroyForcibly(); // it will not notice EOF: make sure it goes
        }
        writer.interrupt();
    }

    /** Waits for the process and the reader to end (the reader delivers the last outcomes). */
    void awaitGone(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.toHandle().destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        Thread me = Thread.currentThread();
        if (me != reader && reader.isAlive()) {
            reader.join(10_000);
        }
        if (me != writer && writer.isAlive()) {
            writer.join(1_000);
        }
    }
}
