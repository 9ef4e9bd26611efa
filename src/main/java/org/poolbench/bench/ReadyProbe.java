package org.poolbench.bench;

import java.io.IOException;
import org.poolbench.jvm.JavaBinary;

/**
 * The smallest useful child JVM: it writes one byte to say it is ready, then exits when its stdin closes. The creation
 * family times spawn → ready → exit with it, the cost a process pool pays per worker before any flag tuning.
 */
public final class ReadyProbe {

    private ReadyProbe() {
    }

    public static void main(String[] args) throws IOException {
        System.out.write('R');
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for EOF
        }
    }

    /** Starts a probe JVM with the current java and class path, waits until it is ready, ends it; returns its exit code. */
    static int spawnReadyExit() throws IOException, InterruptedException {
        String java = JavaBinary.command();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ReadyProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            int ready = p.getInputStream().read();
            if (ready != 'R') {
                throw new IllegalStateException("probe JVM did not report ready (read " + ready + ")");
            }
            p.getOutputStream().close();
            return p.waitFor();
        } finally {
            p.destroyForcibly();
        }
    }
}
