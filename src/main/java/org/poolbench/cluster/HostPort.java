package org.poolbench.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * One member address, {@code host:port}.
 *
 * @param host a host name or IPv4 address
 * @param port 1..65535
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
    }

    /** Loopback, 127.0.0.1. */
    public static HostPort loopback(int port) {
        return new HostPort("127.0.0.1", port);
    }

    /**
     * Parses {@code host:port,host:port,...}; an {@link IllegalArgumentException} naming the bad entry and the
     * expected form otherwise.
     */
    public static List<HostPort> parseList(String value) {
        List<HostPort> out = new ArrayList<>();
        for (String part : (value == null ? "" : value).split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.lastIndexOf(':');
            String bad = "'" + s + "' is not host:port; expected e.g. 127.0.0.1:5701,10.0.0.2:5701";
            if (colon <= 0 || colon == s.length() - 1) {
                throw new IllegalArgumentException(bad);
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(bad);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + s + "': port " + port + " is not in 1..65535");
            }
            out.add(new HostPort(s.substring(0, colon), port));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no address given; expected host:port,... e.g. 127.0.0.1:5701");
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
