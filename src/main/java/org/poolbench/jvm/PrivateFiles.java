package org.poolbench.jvm;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files and folders that only their owner can reach, for what other users of the host must not read or replace: the
 * class archives every worker and member maps, the {@code ipc} package's shared-memory segments and socket folders.
 * Every check reads the entry itself ({@link LinkOption#NOFOLLOW_LINKS}), never what a link points at. Not an API.
 */
public final class PrivateFiles {

    /** {@code rw-------}: a private file. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** {@code rwx------}: a private folder. */
    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS_WRITE = EnumSet.of(
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private static volatile UserPrincipal me;

    private PrivateFiles() {
    }

    /** True where {@code dir}'s file system has POSIX owners and modes (everywhere poolbench runs but Windows). */
    public static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The attributes that create a file {@code rw-------} where the file system has modes; none elsewhere. */
    public static FileAttribute<?>[] fileAttributes(Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
    }

    /** The attributes that create a folder {@code rwx------} where the file system has modes; none elsewhere. */
    public static FileAttribute<?>[] folderAttributes(Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FOLDER)}
                : new FileAttribute<?>[0];
    }

    /**
     * The user this JVM runs as, by the owner of what it creates, not by {@code user.name} (a property anyone can
     * set): {@code /proc/self} on Linux, a temporary file elsewhere.
     */
    public static UserPrincipal me() throws IOException {
        UserPrincipal m = me;
        if (m == null) {
            Path self = Path.of("/proc/self");
            if (Files.isDirectory(self)) {
                m = Files.getOwner(self);
            } else {
                Path probe = Files.createTempFile("poolbench-owner-", ".tmp");
                try {
                    m = Files.getOwner(probe);
                } finally {
                    Files.deleteIfExists(probe);
                }
            }
            me = m;
        }
        return m;
    }

    /** The attributes of {@code p} itself (a link is not followed), or null if there is nothing there. */
    public static PosixFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** True if {@code p} is a regular file (not a link, FIFO, socket or folder) owned by this JVM's user. */
    public static boolean isOwnRegularFile(Path p) {
        try {
            PosixFileAttributes a = attributes(p);
            return a != null && a.isRegularFile() && a.owner().equals(me());
        } catch (IOException | UnsupportedOperationException e) {
            return false; // gone, unreadable, or no POSIX owner to check: not ours, so never trusted
        }
    }

    /**
     * Why {@code p} (a file, or a folder with {@code folder} true) is not one only we can use, or null if it is:
     * it must exist, be of that kind and not a link, be owned by this JVM's user, and give nobody else anything.
     */
    public static String whyNotPrivate(Path p, boolean folder) throws IOException {
        PosixFileAttributes a = attributes(p);
        if (a == null) {
            return p + " does not exist";
        }
        if (a.isSymbolicLink()) {
            return p + " is a symbolic link";
        }
        if (folder ? !a.isDirectory() : !a.isRegularFile()) {
            return p + " is not a " + (folder ? "folder" : "regular file");
        }
        if (!a.owner().equals(me())) {
            return p + " belongs to " + a.owner().getName() + ", not to " + me().getName();
        }
        return !overlaps(a.permissions(), GROUP_OR_OTHERS) ? null
                : p + " is open to others (mode " + PosixFilePermissions.toString(a.permissions()) + ")";
    }

    /**
     * A folder only this user can enter: {@code dir}, created {@code rwx------} if it does not exist. One that exists
     * must be a folder, not a link, and ours. Ours but readable by others (made before poolbench made it private) is
     * closed to {@code rwx------}, as nobody else can have written in it; ours and writable by others is refused, as
     * anything in it may have been planted.
     *
     * @return {@code dir}
     * @throws IOException naming why the folder cannot be used (its owner, its mode, a link), or where the file
     *     system has no POSIX permissions
     */
    public static Path privateFolder(Path dir) throws IOException {
        if (!posix(dir)) {
            throw new IOException(dir + " is on a file system without POSIX permissions");
        }
        try {
            Files.createDirectory(dir, folderAttributes(dir));
        } catch (FileAlreadyExistsException e) {
            // checked below, like any folder we did not just make
        }
        String why = whyNotPrivate(dir, true);
        if (why == null) {
            return dir;
        }
        PosixFileAttributes a = attributes(dir);
        if (a != null && !a.isSymbolicLink() && a.isDirectory() && a.owner().equals(me())) {
            if (!overlaps(a.permissions(), GROUP_OR_OTHERS_WRITE)) {
                // Ours, and nobody else could create or replace anything in it: close it. (Our own folder in a
                // sticky /tmp cannot be swapped for another between the check and this call.)
                Files.setPosixFilePermissions(dir, FOLDER);
                return dir;
            }
            throw new IOException(why + "; anything in it may have been planted: remove it and poolbench makes a"
                    + " private one");
        }
        throw new IOException(why);
    }

    private static boolean overlaps(Set<PosixFilePermission> a, Set<PosixFilePermission> b) {
        return a.stream().anyMatch(b::contains);
    }
}
