package org.poolbench.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.jvm.JavaBinary;

/** A member never outlives the JVM that started it: not after SIGTERM or Ctrl-C, not even after SIGKILL. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MemberLifetimeTest {

    /** SIGKILL: no hook runs, the member sees EOF on its stdin; SIGTERM (as Ctrl-C): the hook or the EOF, first wins. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aMemberExitsWhenItsParentIsKilledOrInterrupted(boolean sigkill, @TempDir Path tmp) throws Exception {
        String java = JavaBinary.command();
        // the parent's temporary files (its members' stderr logs) go where JUnit removes them: a SIGKILL'd parent
        // cannot remove them itself
        Process parent = new ProcessBuilder(List.of(java, "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), OrphanedMembersParent.class.getName()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long member;
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            assertTrue(line != null && line.startsWith("MEMBERS "), "parent printed " + line);
            member = Long.parseLong(line.substring(8).strip());
            assertTrue(ProcessHandle.of(member).map(ProcessHandle::isAlive).orElse(false), "member runs");
            if (sigkill) {
                parent.destroyForcibly();
            } else {
                parent.destroy();
            }
            parent.waitFor();
        } finally {
            parent.destroyForcibly();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (alive(member) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        boolean left = alive(member);
        if (left) {
            ProcessHandle.of(member).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertFalse(left, "member " + member + " outlived its killed parent by 20 s");
    }

    /** Alive and not a zombie (an orphan is reaped by init, maybe late). */
    private static boolean alive(long pid) throws Exception {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
