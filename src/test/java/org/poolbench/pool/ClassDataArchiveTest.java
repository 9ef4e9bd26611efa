package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.jvm.JavaBinary;
import org.poolbench.jvm.OtherUser;
import org.poolbench.jvm.PrivateFiles;

/** Workers never map an archive from a folder another user made first; the pool starts without one. */
class ClassDataArchiveTest {

    @TempDir
    Path tmp;

    @Test
    void anArchiveFolderOfAnotherUserIsNotUsedAndThePoolStillStarts() throws IOException {
        OtherUser.require();
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path squatted = Files.createDirectory(tmp.resolve("poolbench-cds-" + PrivateFiles.me().getName()));
        OtherUser.chown(squatted);
        Path jar = tmp.resolve("plain.jar"); // a class path the archive is made for: plain jars only
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("readme.txt"));
            out.write("a jar without a Class-Path".getBytes());
        }
        String saved = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        try {
            assertTrue(ClassDataArchive.forClassPath(JavaBinary.command(), jar.toString()).isEmpty());
            try (ProcessPool pool = ProcessPool.builder().workers(1).build()) {
                assertEquals(49L, (long) pool.apply(x -> x * x, 7L));
            }
        } finally {
            System.setProperty("java.io.tmpdir", saved);
        }
        try (var entries = Files.list(squatted)) {
            assertFalse(entries.findAny().isPresent(), "an archive was written into another user's folder");
        }
    }
}
