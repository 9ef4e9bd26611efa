package org.poolbench.cluster;

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
 * An AOT cache (JEP 483/514, JDK 25) for member JVMs: the classes a member loads and links, Hazelcast's lambdas
 * included, recorded once per java binary and class path by a training run ({@link MemberTraining}), then mapped by
 * every member at start ({@code -XX:AOTCache}). A member spends most of its start loading and linking about 5 900
 * classes in the interpreter on its one core; with the cache its spawn-to-ready drops from about 2.6 s to about
 * 0.75 s (docs/CLUSTER.md, "Where a member's start goes").
 *
 * <p>As for CDS, only a class path of plain jars (such as {@code benchmarks.jar}) can be cached; elsewhere (e.g.
 * {@code target/classes} under Maven) members start without one. Making the cache takes two JVM runs (record, then
 * create; about 10 s), done once: the file lives in a folder of {@code java.io.tmpdir} private to the user
 * ({@code ArchiveFiles.folder}; where that cannot be had, members start without a cache), is written under a temporary name and
 * moved into place, so parallel JVMs never see half a cache, and its name hashes the java binary, the JVM version,
 * the member flags and each jar's path, size and time, so a rebuilt jar gets a new one. A failed attempt is not
 * retried in this JVM. A JVM that finds a cache unusable ignores it (a warning on the member's stderr) and starts
 * without.
 */
final class MemberAotCache {

    /** How long each of the two steps (record, create) may take. */
    static final long STEP_TIMEOUT_SECONDS = 120;

    private static final Map<String, Optional<Path>> KNOWN = new HashMap<>();

    private MemberAotCache() {
    }

    /** The cache for this java binary and class path, made now if needed; empty where none can be had. */
    static synchronized Optional<Path> forClassPath(String java, String classPath) {
        return KNOWN.computeIfAbsent(java + "\n" + classPath, k -> make(java, classPath));
    }

    private static Optional<Path> make(String java, String classPath) {
        Path conf = null;
        Path tmp = null;
        try {
            Optional<List<Path>> jars = ArchiveFiles.plainJars(classPath);
            if (jars.isEmpty()) {
                return Optional.empty();
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((java + "\n" + System.getProperty("java.vm.version") + "\n" + LocalCluster.FLAGS + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            ArchiveFiles.digestJars(sha, jars.get());
            Optional<Path> folder = ArchiveFiles.folder("poolbench-aot");
            if (folder.isEmpty()) {
                return Optional.empty();
            }
            Path dir = folder.get();
            Path cache = dir.resolve("member-" + HexFormat.of().formatHex(sha.digest(), 0, 12) + ".aot");
            if (Files.isRegularFile(cache)) {
                return Optional.of(cache);
            }
            String stem = cache.getFileName() + "." + ProcessHandle.current().pid();
            conf = dir.resolve(stem + ".conf");
            tmp = dir.resolve(stem + ".tmp");
            List<String> record = new ArrayList<>(List.of(java));
            record.addAll(LocalCluster.FLAGS);
            record.addAll(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + conf, "-cp", classPath,
                    MemberTraining.class.getName()));
            List<String> create = new ArrayList<>(List.of(java));
            create.addAll(LocalCluster.FLAGS);
            create.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + conf, "-XX:AOTCache=" + tmp,
                    "-cp", classPath));
            if (!run(record) || !Files.isRegularFile(conf) || !run(create) || !Files.isRegularFile(tmp)) {
                return Optional.empty();
            }
            if (!ArchiveFiles.moveIntoPlace(tmp, cache)) {
                return Optional.empty();
            }
            pruneStale(dir, cache);
            return Optional.of(cache);
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return Optional.empty(); // an optimisation only: members start without it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            deleteQuietly(conf);
            deleteQuietly(tmp);
        }
    }

    /** Runs one step to its end; true when it exited 0. A step past its time is killed, with any child it forked. */
    private static boolean run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        try {
            if (!p.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return false;
            }
            return p.exitValue() == 0;
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Deletes the caches of earlier builds (each about 45 MB, one per jar built) untouched for a day: a JVM still
     * mapping one keeps its mapping, and one about to start with it starts without (a warning), never wrong.
     */
    private static void pruneStale(Path dir, Path keep) {
        long dayAgo = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(1);
        try (var files = Files.newDirectoryStream(dir, "member-*.aot")) {
            for (Path f : files) {
                if (!f.equals(keep) && Files.getLastModifiedTime(f).toMillis() < dayAgo) {
                    deleteQuietly(f);
                }
            }
        } catch (IOException e) {
            // pruning is housekeeping only
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }

}
