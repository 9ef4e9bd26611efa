package org.poolbench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DownloadTest {

    @Test
    void downloadsEveryFileAndChecksIt() throws Exception {
        try (DownloadServer server = DownloadServer.start(Duration.ZERO, 10_000)) {
            assertTrue(server.url(3).startsWith("http://127.0.0.1:"), server.url(3));
            Download job = Download.from(server, 4);
            List<Download.FileDigest> got = job.inputs().stream().map(Download::fetch).toList();
            job.verify(got);
            assertEquals(10_000, got.get(0).bytes());
            assertTrue(got.get(0).crc32() != got.get(1).crc32(), "files differ by index");
        }
    }

    @Test
    void contentDependsOnlyOnTheIndex() {
        assertEquals(DownloadServer.checksum(7, 4096), DownloadServer.checksum(7, 4096));
        assertTrue(DownloadServer.checksum(7, 4096) != DownloadServer.checksum(8, 4096));
    }

    @Test
    void anUnknownPathFailsTheTask() throws Exception {
        try (DownloadServer server = DownloadServer.start(Duration.ZERO, 100)) {
            String bad = server.url(0).replace("/files/0", "/files/nope");
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Download.fetch(bad));
            assertTrue(e.getMessage().contains("404"), e.getMessage());
        }
    }

    @Test
    void aListOfUrlsReplacesTheServer(@TempDir Path dir) throws Exception {
        try (DownloadServer server = DownloadServer.start(Duration.ofMillis(1), 2048)) {
            Path list = dir.resolve("urls.txt");
            Files.writeString(list, "# two files\n" + server.url(1) + "\n\n" + server.url(2) + "\n");
            Download job = Download.fromUrlList(list);
            assertEquals(List.of(server.url(1), server.url(2)), job.inputs());
            assertEquals(new Download.FileDigest(2048, DownloadServer.checksum(2, 2048)), job.expected().get(1));
        }
    }

    @Test
    void aBadUrlIsNamedWithItsLine(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("urls.txt");
        Files.writeString(list, "http://127.0.0.1:1/ok\nftp://example/file\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Download.fromUrlList(list));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("ftp://example/file"),
                e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Download.fromUrlList(dir.resolve("absent.txt")));
        assertTrue(missing.getMessage().contains("absent.txt"), missing.getMessage());
    }

    @Test
    void anUnreachableUrlIsReported(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("urls.txt");
        // port 1 on loopback: nothing listens there, the connection is refused at once
        Files.writeString(list, "http://127.0.0.1:1/file\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Download.fromUrlList(list));
        assertTrue(e.getMessage().contains("http://127.0.0.1:1/file"), e.getMessage());
    }
}
