package org.poolbench.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.poolbench.jvm.JavaBinary;

/**
 * How worker JVMs are started: the command line ({@link #build}), and one pool's way of launching a worker with it
 * (a private directory with the worker's FIFOs and progress file, the process, the INIT frame on its stdin).
 */
final class WorkerCommand {

    /** The function each worker runs once before any task, and its argument. */
    record Initializer(Chunk.Fn fn, Object arg) {
    }

    private final List<String> command;
    private final String filterPattern;
    private final Initializer initializer; // or null
    private final IntConsumer spawnHook; // tests only: may throw to simulate a failed spawn
    /** Makes each worker's FIFOs; ended with the pool. */
    private final Channel.FifoMaker fifos = new Channel.FifoMaker();
    private final ProcessPool.Transport transport;

    WorkerCommand(List<String> jvmArgs, String filterPattern, Initializer initializer, IntConsumer spawnHook,
                  ProcessPool.Transport transport) {
        this.command = build(jvmArgs);
        this.filterPattern = filterPattern;
        this.initializer = initializer;
        this.spawnHook = spawnHook;
        this.transport = transport;
    }

    /** Where the shared-memory transport keeps its rings (tmpfs: memory, never a disk). */
    static final Path SHM = Path.of("/dev/shm");

    /** {@code wanted}, unless it is shared memory and {@link #SHM} is not a directory we can write: then pipes. */
    static ProcessPool.Transport usable(ProcessPool.Transport wanted) {
        if (wanted == ProcessPool.Transport.SHARED_MEMORY
                && !(java.nio.file.Files.isDirectory(SHM) && java.nio.file.Files.isWritable(SHM))) {
            return ProcessPool.Transport.PIPE;
        }
        return wanted;
    }

    ProcessPool.Transport transport() {
        return transport;
    }

    /** Starts a worker's process for {@code slot}; its threads are not started yet ({@link #start}). */
    Worker launch(PoolCore pool, int slot) throws IOException {
        if (spawnHook != null) {
            spawnHook.accept(slot);
        }
        // A private (0700) directory per worker, removed as soon as the worker has connected (or has died).
        boolean shm = transport == ProcessPool.Transport.SHARED_MEMORY;
        Path dir = shm ? Channel.privateDirectory(SHM) : Channel.privateDirectory();
        Process p;
        Progress progress;
        Channel.Ends ends = null;
        Worker.Rings rings = null;
        try {
            fifos.make(dir.resolve(Worker.REQUESTS), dir.resolve(Worker.RESULTS));
            progress = Progress.map(dir.resolve(Worker.PROGRESS));
            if (shm) {
                rings = new Worker.Rings(Ring.create(dir.resolve(Worker.REQUESTS_RING), Ring.DEFAULT_CAPACITY),
                        Ring.create(dir.resolve(Worker.RESULTS_RING), Ring.DEFAULT_CAPACITY));
            }
            ends = new Channel.Ends(dir.resolve(Worker.REQUESTS), dir.resolve(Worker.RESULTS));
            List<String> cmd = new ArrayList<>(command);
            cmd.add(dir.toString());
            if (shm) {
                cmd.add(PoolWorker.SHM);
            }
            p = new ProcessBuilder(cmd).start();
        } catch (IOException | RuntimeException e) {
            if (ends != null) {
                ends.releaseKeepers();
                ends.results.close();
                ends.requests.close();
            }
            Worker.removeDirectory(dir);
            throw e;
        }
        return new Worker(pool, slot, p, dir, ends, progress, rings);
    }

    /** Sends the worker its INIT and starts its threads; if that fails, kills its process and throws. */
    void start(Worker w) throws IOException {
        try {
            w.start(filterPattern, initializer);
        } catch (IOException | RuntimeException e) {
            w.process.destroyForcibly();
            throw e;
        }
    }

    /** No more workers will be launched: the shell that makes their pipes goes. */
    void close() {
        fifos.close();
    }

    @Override
    public String toString() {
        return command.toString();
    }

    /**
     * The start-up flags, chosen by measurement (docs/POOL.md): serial GC (one mutator thread needs no parallel
     * collector; fewer threads and less memory per worker), no perf-data file, and JVM log output kept off
     * stdout. C2 stays on ({@code -XX:TieredStopAtLevel=1} starts faster but slows CPU-heavy tasks). Reflection
     * through native accessors: the method-handle accessors' lambda forms (first needed by the JDK's own
     * {@code FileChannel.map}) took 40 ms of every worker's start; a task that calls {@code Method.invoke} in a hot
     * loop can have them back with {@code jvmArgs("-Djdk.reflect.useNativeAccessorOnly=false")}. Transparent huge
     * pages for the heap where the kernel gives them on request ({@link #hugePagesOnRequest}): a fresh worker's
     * young generation is touched for the first time by its first tasks, a page fault per 4 KiB page without them;
     * {@code jvmArgs("-XX:-UseTransparentHugePages")} turns them off.
     */
    static final List<String> FLAGS = flags(hugePagesOnRequest(Path.of("/sys/kernel/mm/transparent_hugepage/enabled")));

    static List<String> flags(boolean hugePages) {
        List<String> flags = new ArrayList<>(List.of(
                "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:disable", "-Xlog:all=warning:stderr",
                "-Djdk.reflect.useNativeAccessorOnly=true"));
        if (hugePages) {
            flags.add("-XX:+UseTransparentHugePages");
        }
        return List.copyOf(flags);
    }

    /**
     * True if the kernel's transparent-huge-page mode is {@code madvise}: huge pages for memory that asks, which is
     * what the flag does. In mode {@code always} the heap gets them without asking; in mode {@code never}, or with no
     * such file (not Linux), the flag would only print a warning in every worker.
     */
    static boolean hugePagesOnRequest(Path enabled) {
        try {
            return Files.readString(enabled).contains("[madvise]");
        } catch (IOException | RuntimeException e) {
            return false; // no such file or not readable: no huge pages to ask for
        }
    }

    static List<String> build(List<String> jvmArgs) {
        String classPath = System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>();
        cmd.add(JavaBinary.command());
        cmd.addAll(FLAGS);
        ClassDataArchive.forClassPath(cmd.get(0), classPath)
                .ifPresent(archive -> cmd.add(ClassDataArchive.option(archive)));
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(PoolWorker.class.getName());
        return List.copyOf(cmd);
    }
}
