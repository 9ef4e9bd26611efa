package org.poolbench.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.poolbench.jvm.JavaBinary;
import org.poolbench.jvm.OtherUser;
import org.poolbench.jvm.PrivateFiles;

/**
 * What another local user can reach of the ipc package: nothing. Segments are {@code rw-------} under names nobody
 * can guess; what that user plants in {@code /dev/shm} neither blocks nor fools us; sockets sit in a private folder
 * and admit only our own user; a stated length allocates nothing before its bytes arrive. The tests that need a
 * second user are skipped, saying why, unless they run as root.
 */
class PrivacyTest {

    /** A Python client, run as the other user: connects, sends one manager request, prints what happened. */
    private static final String PYTHON_CLIENT = String.join("\n",
            "import socket, struct, sys",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "s.settimeout(5)",
            "try:",
            "    s.connect(sys.argv[1])",
            "except OSError as e:",
            "    print('refused at connect:', type(e).__name__); sys.exit(0)",
            "name = b'accounts'",
            "body = bytes([5]) + struct.pack('>H', len(name)) + name",  // LIST_ALL
            "try:",
            "    s.sendall(struct.pack('>i', len(body)) + body)",
            "    answer = s.recv(65536)",
            "except OSError as e:",
            "    print('refused after connect:', type(e).__name__); sys.exit(0)",
            "print('answered' if answer else 'closed unanswered')");

    @Test
    void segmentsAreCreatedPrivateUnderUnguessableNames() throws Exception {
        try (SharedLong v = SharedLong.create(41)) {
            Path file = Segment.pathOf(v.name(), "");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertTrue(v.name().matches("value-\\d+-\\d+-[0-9a-f]{16}"), v.name());
        }
    }

    @Test
    void aGeneratedNameTakenAlreadyIsReplacedAndAChosenOneIsNot() throws Exception {
        String taken = Segment.uniqueName("value");
        Path squatted = Segment.pathOf(taken, "");
        Files.createFile(squatted);
        try (Segment s = Segment.create(taken, 64)) {
            assertNotEquals(taken, s.name());
            assertTrue(s.name().startsWith("value-"), s.name());
        } finally {
            Files.deleteIfExists(squatted);
        }
        String chosen = "chosen-" + ProcessHandle.current().pid();
        try (SharedLong first = SharedLong.create(chosen, 1)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> SharedLong.create(chosen, 2));
            assertTrue(e.getMessage().contains(chosen), e.getMessage());
            assertEquals(1, first.get());
        }
    }

    @Test
    void anotherUserCannotReadASegment() {
        OtherUser.require();
        try (SharedLong v = SharedLong.create(7)) {
            OtherUser.Result r = OtherUser.runAs("cat", Segment.pathOf(v.name(), "").toString());
            assertNotEquals(0, r.exitCode(), "the other user read the segment: " + r.output());
            assertTrue(r.output().contains("Permission denied"), r.output());
        }
    }

    @Test
    void aFifoOrLinkPlantedByAnotherUserDoesNotStopCreateOrTheSweep() throws Exception {
        OtherUser.require();
        long pid = ProcessHandle.current().pid();
        Path fifo = Segment.DIR.resolve(Segment.PREFIX + "planted-" + pid + "-1");
        Path link = Segment.DIR.resolve(Segment.PREFIX + "planted-" + pid + "-2");
        Path target = Files.createTempFile("poolbench-sweep-target-", ".txt");
        try {
            assertEquals(0, OtherUser.runAs("mkfifo", fifo.toString()).exitCode());
            assertEquals(0, OtherUser.runAs("ln", "-s", target.toString(), link.toString()).exitCode());
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try (SharedLong v = SharedLong.create(5)) {
                    assertEquals(5, v.get());
                }
                Segment.sweepStale();
            }, "create (and the sweep it runs first) blocked on another user's FIFO");
            assertTrue(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS), "the sweep deleted another user's FIFO");
            assertTrue(Files.exists(target), "the sweep followed a planted link");
        } finally {
            Files.deleteIfExists(fifo);
            Files.deleteIfExists(link);
            Files.deleteIfExists(target);
        }
    }

    @Test
    void openRefusesASegmentOfAnotherUser() throws Exception {
        OtherUser.require();
        try (SharedLongArray mine = SharedLongArray.create(1)) {
            OtherUser.chown(Segment.pathOf(mine.name(), ""));
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> SharedLongArray.open(mine.name()));
            assertTrue(e.getMessage().contains("not a regular file of this user"), e.getMessage());
        }
    }

    @Test
    void listenerSocketsLiveInAPrivateFolder() throws Exception {
        try (Listener l = Listener.open()) {
            Path folder = Path.of(l.address()).getParent();
            assertNull(PrivateFiles.whyNotPrivate(folder, true), folder.toString());
            assertTrue(folder.getFileName().toString().startsWith(Segment.PREFIX + "sockets-" + ProcessHandle.current().pid() + "-"));
        }
    }

    @Test
    void anotherUserCannotReachAManagerEvenUnderUmask000() throws Exception {
        OtherUser.require();
        Process server = new ProcessBuilder("sh", "-c", "umask 000 && exec \"$0\" -cp \"$1\" " + ManagerServer.class.getName(),
                JavaBinary.command(), System.getProperty("java.class.path"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (Manager owner = Manager.connect(readAddress(server))) {
            owner.list("accounts").appendString("balance 100");
            OtherUser.Result r = OtherUser.runAs("python3", "-c", PYTHON_CLIENT, owner.address());
            assertTrue(r.output().startsWith("refused at connect: PermissionError"), r.output());
            assertEquals(List.of("balance 100"), owner.list("accounts").toStrings());
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aListenerClosesAConnectionFromAnotherUserUnread() throws Exception {
        OtherUser.require();
        // A folder anyone may enter and a socket anyone may write to: only the peer check stands in the way.
        Path open = Files.createTempDirectory(Segment.DIR, "poolbench-privacy-test-");
        try {
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
            try (Listener l = Listener.open(open)) {
                Files.setPosixFilePermissions(Path.of(l.address()), PosixFilePermissions.fromString("rwxrwxrwx"));
                CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(() -> {
                    try {
                        return l.accept();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                OtherUser.Result r = OtherUser.runAs("python3", "-c", PYTHON_CLIENT, l.address());
                assertTrue(r.output().startsWith("closed unanswered") || r.output().startsWith("refused after connect"),
                        r.output());
                assertEquals(1, l.refused());
                assertFalse(accepted.isDone(), "a connection of another user was handed out");
                try (Connection mine = Connection.connect(l.address()); Connection theirs = accepted.get(10, TimeUnit.SECONDS)) {
                    mine.send(new byte[] {42});
                    assertEquals(42, theirs.recv()[0]);
                }
            }
        } finally {
            try (var entries = Files.list(open)) {
                for (Path p : entries.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(open);
        }
    }

    @Test
    void aStatedLengthAllocatesNothingBeforeItsBytesArrive() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Listener l = Listener.open(); SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            raw.connect(UnixDomainSocketAddress.of(Path.of(l.address())));
            try (Connection c = l.accept()) {
                raw.write(ByteBuffer.allocate(4).putInt(0, Connection.MAX_MESSAGE)); // 1 GiB stated, nothing sent
                raw.close();
                long before = threads.getCurrentThreadAllocatedBytes();
                assertThrows(EOFException.class, c::recv);
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated < 8 << 20, "a 1 GiB length header allocated " + allocated + " bytes");
            }
        }
    }

    @Test
    void theManagerChecksValueLengthsAndBoundsItsClients() throws Exception {
        Process server = new ProcessBuilder(JavaBinary.command(), "-Dpoolbench.manager.maxClients=2", "-cp",
                System.getProperty("java.class.path"), ManagerServer.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String address = readAddress(server);
            try (Connection a = Connection.connect(address); Connection b = Connection.connect(address)) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeByte(ManagerServer.LIST_APPEND);
                out.writeUTF("accounts");
                out.writeInt(Integer.MAX_VALUE); // a 2 GiB value stated, none sent
                a.send(bytes.toByteArray());
                byte[] answer = a.recv();
                assertEquals(ManagerServer.ERROR, answer[0]);
                String why = new String(answer, 1, answer.length - 1, StandardCharsets.UTF_8);
                assertTrue(why.contains(Integer.MAX_VALUE + " bytes stated"), why);
                b.send(bytes.toByteArray());
                assertEquals(ManagerServer.ERROR, b.recv()[0]);
                try (Connection third = Connection.connect(address)) {
                    assertThrows(IOException.class, () -> {
                        third.send(bytes.toByteArray());
                        third.recv();
                    }, "a third client was served with a limit of 2");
                }
            }
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String readAddress(Process server) throws IOException {
        String address = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (address == null) {
            throw new IOException("the manager server exited before it said its address");
        }
        return address;
    }
}
