package org.poolbench.workload;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.poolbench.pool.SerializableFunction;

/**
 * The I/O-bound workload: download F files over HTTP, save each one in a temporary folder, and check it, the seeds'
 * download experiment. The files come from a {@link DownloadServer} on 127.0.0.1, or from a list of URLs.
 *
 * <p>A task returns a {@link FileDigest} (size and CRC-32 of what it saved), and deletes the file again so that long
 * benchmark runs do not fill the disk.
 */
public final class Download implements Workload<String, Download.FileDigest> {

    /** Default job: 32 files of 64 KiB, each served after 20 ms. */
    public static final int DEFAULT_FILES = 32;
    public static final int DEFAULT_FILE_BYTES = 64 * 1024;
    public static final Duration DEFAULT_LATENCY = Duration.ofMillis(20);

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What a task returns: the size and checksum of the file it saved. */
    public record FileDigest(long bytes, long crc32) implements Serializable {
    }

    private final List<String> urls;
    private final List<FileDigest> expected;

    private Download(List<String> urls, List<FileDigest> expected) {
        this.urls = List.copyOf(urls);
        this.expected = expected;
    }

    /** {@code files} downloads from {@code server}; the expected digests are known without downloading. */
    public static Download from(DownloadServer server, int files) {
        if (files <= 0) {
            throw new IllegalArgumentException("download needs a positive number of files, got " + files);
        }
        List<String> urls = new ArrayList<>(files);
        List<FileDigest> expected = new ArrayList<>(files);
        for (int i = 0; i < files; i++) {
            urls.add(server.url(i));
            expected.add(new FileDigest(server.fileBytes(), DownloadServer.checksum(i, server.fileBytes())));
        }
        return new Download(urls, List.copyOf(expected));
    }

    /**
     * Downloads from a list of URLs (one per line, {@code #} comments and blank lines ignored). Each URL must be http or
     * https; each is fetched once here, so the expected digests are those of a first, sequential download.
     *
     * @throws IllegalArgumentException naming the first bad URL or the file that cannot be read
     */
    public static Download fromUrlList(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read URL list '" + file + "': " + e.getMessage(), e);
        }
        List<String> urls = new ArrayList<>();
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            checkUrl(line, file + " line " + (ln + 1));
            urls.add(line);
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("URL list '" + file + "' has no URLs");
        }
        List<FileDigest> expected = new ArrayList<>(urls.size());
        for (String url : urls) {
            try {
                expected.add(fetch(url));
            } catch (UncheckedIOException e) {
                throw new IllegalArgumentException("cannot download '" + url + "': " + e.getCause().getMessage(), e);
            }
        }
        return new Download(urls, List.copyOf(expected));
    }

    static void checkUrl(String url, String where) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": '" + url + "' is not a URL; expected http://host/path or https://host/path");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(where + ": '" + url + "' is not a URL; expected http://host/path or https://host/path");
        }
    }

    /** The task: download {@code url} into a temporary file, checksum it, delete it. */
    public static FileDigest fetch(String url) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(Holder.DIR, "download-", ".bin");
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
            HttpResponse<Path> response = Holder.CLIENT.send(request,
                    HttpResponse.BodyHandlers.ofFile(tmp));
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " for " + url);
            }
            CRC32 crc = new CRC32();
            long bytes = 0;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = Files.newInputStream(tmp)) {
                for (int r; (r = in.read(buf)) > 0; ) {
                    crc.update(buf, 0, r);
                    bytes += r;
                }
            }
            return new FileDigest(bytes, crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException("download of " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("download of " + url + " interrupted", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless; the folder is removed at exit
                }
            }
        }
    }

    /** One HTTP client and one download folder per JVM, created on first use (also in worker JVMs). */
    private static final class Holder {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        static final Path DIR = createDir();

        private static Path createDir() {
            try {
                Path dir = Files.createTempDirectory("poolbench-download-");
                dir.toFile().deleteOnExit();
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public String name() {
        return "download";
    }

    @Override
    public List<String> inputs() {
        return urls;
    }

    @Override
    public SerializableFunction<String, FileDigest> task() {
        return Download::fetch;
    }

    @Override
    public List<FileDigest> expected() {
        return expected;
    }
}
