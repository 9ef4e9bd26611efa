package org.poolbench.pool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.poolbench.jvm.ArchiveFiles;

/**
 * An archive of the classes a worker loads (the pool's own, the socket, serialization, lambda deserialization), made
 * once per java binary and class path by a training run, then mapped by every worker at start (docs/POOL.md gives
 * what it saves). On JDK 25 and later it is an AOT cache (JEP 483/514: {@code -XX:AOTCacheOutput}, classes loaded
 * <em>and linked</em>); before that, a dynamic AppCDS archive ({@code -XX:ArchiveClassesAtExit}).
 *
 * <p>CDS archives only classes from jar files, so the archive is made only for a class path of plain jars (such as
 * {@code benchmarks.jar}); elsewhere workers start without one. A failed training run is not retried in this JVM.
 * The archive lives in a folder of {@code java.io.tmpdir} private to the user ({@link ArchiveFiles#folder}; where
 * that cannot be had, workers start without one, and stderr says why); it is written to a temporary name and moved into place, so parallel
 * pools and JVMs never see half an archive. If the JVM finds an archive stale, it ignores it and says so on stderr.
 */
final class ClassDataArchive {

    private static final Map<String, Optional<Path>> KNOWN = new HashMap<>();

    private ClassDataArchive() {
    }

    /** The AOT cache needs JDK 25's one-step training ({@code -XX:AOTCacheOutput} alone, JEP 514). */
    static final boolean AOT_CACHE = Runtime.version().feature() >= 25;

    /** The archive for this java binary and class path, made now if needed; empty where none can be had. */
    static synchronized Optional<Path> forClassPath(String java, String classPath) {
        return KNOWN.computeIfAbsent(java + "\n" + classPath, k -> make(java, classPath));
    }

    /** The worker's option that maps {@code archive}. */
    static String option(Path archive) {
        return (AOT_CACHE ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive;
    }

    private static Optional<Path> make(String java, String classPath) {
        try {
            Optional<List<Path>> jars = ArchiveFiles.plainJars(classPath);
            if (jars.isEmpty()) {
                return Optional.empty();
            }
            // <which java and class path>-<which versions of them>: a new build replaces its own old archive
            MessageDigest where = MessageDigest.getInstance("SHA-256");
            MessageDigest what = MessageDigest.getInstance("SHA-256");
            where.update((java + "\n" + classPath).getBytes(StandardCharsets.UTF_8));
            what.update((System.getProperty("java.vm.version") + "\n").getBytes(StandardCharsets.UTF_8));
            ArchiveFiles.digestJars(what, jars.get());
            Optional<Path> folder = ArchiveFiles.folder("poolbench-cds");
            if (folder.isEmpty()) {
                return Optional.empty();
            }
            Path dir = folder.get();
            String prefix = HexFormat.of().formatHex(where.digest(), 0, 8) + "-";
            Path archive = dir.resolve(prefix + HexFormat.of().formatHex(what.digest(), 0, 8)
                    + (AOT_CACHE ? ".aot" : ".jsa"));
            if (Files.isRegularFile(archive)) {
                return Optional.of(archive);
            }
            Path tmp = dir.resolve(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            List<String> cmd = new ArrayList<>(List.of(java));
            cmd.addAll(WorkerCommand.FLAGS);
            String output = AOT_CACHE ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=";
            cmd.addAll(List.of(output + tmp, "-cp", classPath, PoolWorker.class.getName(),
                    PoolWorker.TRAIN));
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            if (p.isAlive() || p.exitValue() != 0 || !Files.isRegularFile(tmp)) {
                Files.deleteIfExists(tmp);
                return Optional.empty();
            }
            if (!ArchiveFiles.moveIntoPlace(tmp, archive)) {
                return Optional.empty();
            }
            removeStale(dir, prefix, archive);
            return Optional.of(archive);
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return Optional.empty(); // an optimisation only: workers start without it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Removes the archives of earlier builds of the same class path (each AOT cache is some 14 MB). Workers that map
     * one keep their mapping; a worker started from an old jar after this makes its own again.
     */
    private static void removeStale(Path dir, String prefix, Path keep) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(prefix) && (name.endsWith(".aot") || name.endsWith(".jsa")) && !f.equals(keep)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            // stale archives only take space
        }
    }

}
