package org.poolbench.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.poolbench.pool.PoolTesting;

/** {@link PythonBaseline#stop}: the CPython program and everything under it end, even when they ignore SIGTERM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PythonBaselineStopTest {

    /** A parent and a child that both ignore SIGTERM, as a hung program and a stuck pool worker would not answer it. */
    private static final String DEAF = "import signal, subprocess, sys, time\n"
            + "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            + "c = subprocess.Popen([sys.executable, '-c', 'import signal, time; "
            + "signal.signal(signal.SIGTERM, signal.SIG_IGN); print(1, flush=True); time.sleep(60)'],"
            + " stdout=subprocess.PIPE)\n"
            + "c.stdout.readline()\n"
            + "print(c.pid, flush=True)\n"
            + "time.sleep(60)\n";

    @Test
    void aProgramThatIgnoresSigtermIsKilledWithItsChildrenAfterTheGrace() throws Exception {
        Process p = new ProcessBuilder("python3", "-c", DEAF).redirectErrorStream(true).start();
        long child;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            child = Long.parseLong(r.readLine().trim()); // the child runs and ignores SIGTERM from here on
            PythonBaseline.stop(p, Duration.ofMillis(300));
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the program still runs");
            assertTrue(gone(child), "its child " + child + " still runs");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theResourceTrackerIsLeftToEndByItselfSoThatItUnlinksTheSemaphores() throws Exception {
        String program = DEAF.replace("time.sleep(60)'],", "time.sleep(2)  # " + PythonBaseline.RESOURCE_TRACKER
                + "'],");
        Process p = new ProcessBuilder("python3", "-c", program).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            long tracker = Long.parseLong(r.readLine().trim());
            PythonBaseline.stop(p, Duration.ofMillis(300));
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the program still runs");
            assertTrue(PoolTesting.running(tracker), "the tracker was killed");
            assertTrue(gone(tracker), "the tracker did not end by itself");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aProgramThatEndsOnSigtermIsNotKilled() throws Exception {
        Process p = new ProcessBuilder("python3", "-c", "import time\nprint(1, flush=True)\ntime.sleep(60)")
                .redirectErrorStream(true).start();
        try {
            p.getInputStream().read(); // it runs
            PythonBaseline.stop(p, Duration.ofSeconds(5));
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertFalse(p.exitValue() == 137, "SIGKILLed, though SIGTERM ended it"); // 128 + 9
        } finally {
            p.destroyForcibly();
        }
    }

    private static boolean gone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (PoolTesting.running(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
