package org.poolbench.workload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;

/**
 * The files the download workload fetches, served on 127.0.0.1 and an ephemeral port.
 *
 * <p>{@code GET /files/<i>} waits {@code latency}, then sends {@code fileBytes} bytes that depend only on {@code i}
 * (so a client can check them: {@link #checksum}). Every request runs on its own virtual thread, and the wait is a
 * sleep, so the server holds hundreds of slow requests at once and is never what limits the clients.
 */
public final class DownloadServer implements AutoCloseable {

    static {
        // The JDK's server writes headers and body separately; with Nagle's algorithm on, the client's delayed ACK
        // then adds ~40 ms to every small response, and the server, not the latency knob, would set the pace.
        // Read once, when the JDK's server classes load, so it must be set before the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Duration latency;
    private final int fileBytes;

    private DownloadServer(Duration latency, int fileBytes) throws IOException {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must be >= 0, got " + latency);
        }
        if (fileBytes < 0) {
            throw new IllegalArgumentException("file size must be >= 0, got " + fileBytes);
        }
        this.latency = latency;
        this.fileBytes = fileBytes;
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/files/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a server; close it to free the port. */
    public static DownloadServer start(Duration latency, int fileBytes) throws IOException {
        return new DownloadServer(latency, fileBytes);
    }

    /** The URL of file {@code i}. */
    public String url(int i) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/files/" + i;
    }

    public Duration latency() {
        return latency;
    }

    public int fileBytes() {
        return fileBytes;
    }

    /** The bytes of file {@code i}: a fixed pseudo-random sequence seeded by {@code i}. */
    public static byte[] content(int i, int fileBytes) {
        byte[] data = new byte[fileBytes];
        new SplittableRandom(i).nextBytes(data);
        return data;
    }

    /** The CRC-32 of {@link #content}. */
    public static long checksum(int i, int fileBytes) {
        CRC32 crc = new CRC32();
        crc.update(content(i, fileBytes));
        return crc.getValue();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = URI.create(exchange.getRequestURI().toString()).getPath();
            int i;
            try {
                i = Integer.parseInt(path.substring("/files/".length()));
            } catch (NumberFormatException e) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!latency.isZero()) {
                try {
                    Thread.sleep(latency);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
            }
            byte[] body = content(i, fileBytes);
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
