package org.poolbench.pool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How worker JVMs are started. */
final class WorkerCommand {
    private WorkerCommand() {
    }

    /**
     * The start-up flags, chosen by measurement (docs/POOL.md): serial GC (one mutator thread needs no parallel
     * collector; fewer threads and less memory per worker), no perf-data file, and JVM log output kept off
     * stdout. C2 stays on ({@code -XX:TieredStopAtLevel=1} starts faster but slows CPU-heavy tasks). Reflection
     * through native accessors: the method-handle accessors' lambda forms (first needed by the JDK's own
     * {@code FileChannel.map}) took 40 ms of every worker's start; a task that calls {@code Method.invoke} in a hot
     * loop can have them back with {@code jvmArgs("-Djdk.reflect.useNativeAccessorOnly=false")}.
     */
    static final List<String> FLAGS = List.of(
            "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:disable", "-Xlog:all=warning:stderr",
            "-Djdk.reflect.useNativeAccessorOnly=true");

    static List<String> build(List<String> jvmArgs) {
        String classPath = System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(FLAGS);
        ClassDataArchive.forClassPath(cmd.get(0), classPath)
                .ifPresent(archive -> cmd.add(ClassDataArchive.option(archive)));
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(PoolWorker.class.getName());
        return List.copyOf(cmd);
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .filter(c -> Files.isExecutable(Path.of(c)))
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
