package org.poolbench.pool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.poolbench.pool.Wire.Buf;
import org.poolbench.pool.Wire.In;

/**
 * A task's failure on the wire: the exception's class name, message and stack trace, and its causes', rebuilt on the
 * other side as {@link RemoteThrowable}s (the class itself need not exist there).
 */
final class WireThrowables {

    private static final int MAX_CAUSES = 8;
    private static final int MAX_FRAMES = 256;

    private WireThrowables() {
    }

    static void putThrowable(Buf b, Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && chain.size() < MAX_CAUSES && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        b.putInt(chain.size());
        for (Throwable c : chain) {
            b.putString(c.getClass().getName());
            b.putString(c.getMessage());
            StackTraceElement[] frames = c.getStackTrace();
            int k = Math.min(frames.length, MAX_FRAMES);
            b.putInt(k);
            for (int i = 0; i < k; i++) {
                StackTraceElement f = frames[i];
                b.putString(f.getClassName());
                b.putString(f.getMethodName());
                b.putString(f.getFileName());
                b.putInt(f.getLineNumber());
            }
        }
    }

    static RemoteThrowable getThrowable(In in) throws IOException {
        int k = in.count();
        if (k == 0) {
            throw new IOException("corrupt frame: empty exception");
        }
        RemoteThrowable[] chain = new RemoteThrowable[k];
        for (int i = 0; i < k; i++) {
            String className = in.getString();
            String message = in.getString();
            int frames = in.count();
            StackTraceElement[] trace = new StackTraceElement[frames];
            for (int j = 0; j < frames; j++) {
                trace[j] = new StackTraceElement(in.getString(), in.getString(), in.getString(), in.getInt());
            }
            chain[i] = new RemoteThrowable(className, message, trace);
        }
        for (int i = 0; i + 1 < k; i++) {
            chain[i].initCause(chain[i + 1]);
        }
        return chain[0];
    }
}
