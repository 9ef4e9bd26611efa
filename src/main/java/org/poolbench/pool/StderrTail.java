package org.poolbench.pool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Drains a worker's stderr and stdout all the time (so a chatty worker never blocks on a full pipe) and keeps their
 * last lines, interleaved as they arrive, each cut to a bounded length, for error messages. Lines from stdout are
 * marked {@code [stdout]}.
 */
final class StderrTail implements Runnable {
    static final int LINES = 20;
    private static final int LINE_BYTES = 400;

    private final InputStream in;
    private final ArrayDeque<String> lines = new ArrayDeque<>(LINES);

    StderrTail(InputStream in) {
        this.in = in;
    }

    /** A drainer of {@code stdout} that keeps its lines in this tail, marked {@code [stdout]}. */
    Runnable alsoDrain(InputStream stdout) {
        return () -> drain(stdout, "[stdout] ");
    }

    @Override
    public void run() {
        drain(in, "");
    }

    private void drain(InputStream in, String prefix) {
        byte[] buf = new byte[8192];
        byte[] line = new byte[LINE_BYTES];
        int len = 0;
        boolean cut = false;
        try {
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) {
                    byte c = buf[i];
                    if (c == '\n') {
                        add(prefix, line, len, cut);
                        len = 0;
                        cut = false;
                    } else if (len < LINE_BYTES) {
                        line[len++] = c;
                    } else {
                        cut = true;
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone or its stream was closed: what we have is the tail
        }
        if (len > 0) {
            add(prefix, line, len, cut);
        }
    }

    private void add(String prefix, byte[] line, int len, boolean cut) {
        int end = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
        add(prefix + new String(line, 0, end, StandardCharsets.UTF_8) + (cut ? " [...]" : ""));
    }

    synchronized void add(String line) {
        if (lines.size() == LINES) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    synchronized List<String> tail() {
        return List.copyOf(lines);
    }
}
