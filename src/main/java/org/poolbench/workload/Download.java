package org.poolbench.workload;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
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

    private static final int TIMEOUT_MILLIS = 30_000;

    static {
        // The JDK keeps only 5 idle connections per server by default: at concurrency 256 almost every download
        // would open a new TCP connection, and we would measure connection set-up instead of waiting.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "1024");
        }
    }

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

    /**
     * The task: download {@code url} into a temporary file, checksumming the bytes as they are saved, then delete it.
     *
     * <p>{@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: it costs a quarter of the CPU per
     * small request here (keep-alive, blocking I/O, no selector thread), and since JDK 24 it blocks a virtual thread
     * without pinning its carrier. On 2 cores that CPU cost, not the server, would otherwise cap the io family.
     */
    public static FileDigest fetch(String url) {
        Path tmp = null;
        HttpURLConnection conn = null;
        try {
            // In the temp directory itself, deleted below: a folder per JVM would outlive worker JVMs, which halt
            // without running exit hooks (hundreds of empty poolbench-download-* folders piled up that way).
            tmp = Files.createTempFile("poolbench-download-", ".bin");
            conn = (HttpURLConnection) URI.create(url).toURL().openConnection();
            conn.setConnectTimeout(TIMEOUT_MILLIS);
            conn.setReadTimeout(TIMEOUT_MILLIS);
            int status = conn.getResponseCode();
            if (status != 200) {
                try (InputStream err = conn.getErrorStream()) {
                    if (err != null) {
                        err.readAllBytes(); // drain, so the connection can be reused
                    }
                }
                throw new IOException("HTTP " + status + " for " + url);
            }
            CRC32 crc = new CRC32();
            long bytes;
            try (InputStream in = new CheckedInputStream(conn.getInputStream(), crc)) {
                bytes = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return new FileDigest(bytes, crc.getValue());
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("download of " + url + " failed: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
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
