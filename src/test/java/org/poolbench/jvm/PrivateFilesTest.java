package org.poolbench.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder checks that keep other users' files out of the JVMs' class archives. */
class PrivateFilesTest {

    @TempDir
    Path tmp;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aMissingFolderIsMadeForTheOwnerAlone() throws IOException {
        Path dir = PrivateFiles.privateFolder(tmp.resolve("archives"));
        assertEquals("rwx------", mode(dir));
        assertNull(PrivateFiles.whyNotPrivate(dir, true));
    }

    @Test
    void ourFolderReadableByOthersIsClosedAndOneWritableByOthersRefused() throws IOException {
        Path readable = Files.createDirectory(tmp.resolve("readable"));
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateFiles.privateFolder(readable);
        assertEquals("rwx------", mode(readable));

        Path writable = Files.createDirectory(tmp.resolve("writable"));
        Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> PrivateFiles.privateFolder(writable));
        assertTrue(e.getMessage().contains("open to others (mode rwxrwxrwx)"), e.getMessage());
        assertTrue(e.getMessage().contains("remove it"), e.getMessage());
        assertEquals("rwxrwxrwx", mode(writable));
    }

    @Test
    void aLinkIsRefusedEvenToAPrivateFolder() throws IOException {
        Path real = PrivateFiles.privateFolder(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        IOException e = assertThrows(IOException.class, () -> PrivateFiles.privateFolder(link));
        assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
    }

    @Test
    void aFolderAnotherUserMadeFirstIsNotUsed() throws IOException {
        OtherUser.require();
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        String me = PrivateFiles.me().getName();
        Path squatted = Files.createDirectory(tmp.resolve("poolbench-cds-" + me));
        Files.setPosixFilePermissions(squatted, PosixFilePermissions.fromString("rwx------"));
        OtherUser.chown(squatted);
        IOException e = assertThrows(IOException.class, () -> PrivateFiles.privateFolder(squatted));
        assertTrue(e.getMessage().contains("belongs to " + OtherUser.NAME), e.getMessage());

        String saved = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        try {
            Optional<Path> folder = ArchiveFiles.folder("poolbench-cds");
            assertTrue(folder.isEmpty(), "another user's folder was used: " + folder);
        } finally {
            System.setProperty("java.io.tmpdir", saved);
        }
        try (var entries = Files.list(squatted)) {
            assertFalse(entries.findAny().isPresent(), "something was written into another user's folder");
        }
    }
}
