package org.poolbench.jvm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;

/**
 * What an archive of a class path's classes (an AppCDS archive or an AOT cache) needs, shared by the process pool's
 * workers ({@code pool.ClassDataArchive}) and the cluster's members ({@code cluster.MemberAotCache}): which class
 * paths can be archived, a name that changes when a jar is rebuilt, and a move into place that parallel JVMs never
 * see half done. Not an API.
 */
public final class ArchiveFiles {

    private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

    private ArchiveFiles() {
    }

    /**
     * The folder archives of kind {@code stem} live in: {@code <java.io.tmpdir>/<stem>-<user>}, private to this
     * user ({@link PrivateFiles#privateFolder}: made {@code rwx------}, or checked to be ours, not a link and closed
     * to others). The JVM trusts an archive's classes, so a folder someone else made or can write in would let them
     * run code in every worker: then this is empty and stderr says once why the JVMs start without an archive.
     */
    public static Optional<Path> folder(String stem) {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), stem);
        try {
            dir = Path.of(System.getProperty("java.io.tmpdir"), stem + "-" + PrivateFiles.me().getName());
            return Optional.of(PrivateFiles.privateFolder(dir));
        } catch (IOException | UnsupportedOperationException e) {
            if (WARNED.add(dir)) {
                System.err.println("poolbench: JVMs start without a class archive, as its folder is not private: "
                        + e.getMessage());
            }
            return Optional.empty();
        }
    }

    /**
     * The class path's entries, if every one is a plain jar: the JVM archives classes only from jars, and refuses a
     * jar whose manifest adds more class path (e.g. surefire's booter jar, which may bring directories). Empty
     * otherwise, and for an empty class path.
     */
    public static Optional<List<Path>> plainJars(String classPath) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(p) || hasClassPathAttribute(p)) {
                return Optional.empty();
            }
            jars.add(p);
        }
        return jars.isEmpty() ? Optional.empty() : Optional.of(jars);
    }

    /** Adds each jar's absolute path, size and modification time to {@code digest}: a rebuilt jar digests anew. */
    public static void digestJars(MessageDigest digest, List<Path> jars) throws IOException {
        for (Path jar : jars) {
            digest.update((jar.toAbsolutePath() + "\n" + Files.size(jar) + "\n"
                    + Files.getLastModifiedTime(jar).toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Moves a finished archive from its temporary name to {@code target} in one step, so that a JVM starting at the
     * same moment finds either no archive or the whole one. False, with {@code tmp} deleted, where the file system
     * cannot move atomically: the JVMs then start without an archive.
     */
    public static boolean moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
            return false;
        }
    }

    private static boolean hasClassPathAttribute(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.getManifest() != null && f.getManifest().getMainAttributes().getValue("Class-Path") != null;
        }
    }
}
