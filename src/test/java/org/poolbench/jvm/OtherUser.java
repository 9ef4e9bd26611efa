package org.poolbench.jvm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second local user, for the tests that check what another user of the host can reach (segments, sockets, archive
 * folders). Run as root, the tests create it ({@code useradd --system}, no home, no login shell) the first time and
 * keep it; run as anyone else, or where {@code useradd} or {@code runuser} is missing, they are skipped with a
 * message saying so.
 */
public final class OtherUser {

    /** The user's name. */
    public static final String NAME = "poolbench-other";

    private OtherUser() {
    }

    /** What a command run as the other user did. */
    public record Result(int exitCode, String output) {
    }

    /** Makes sure the user exists, or skips the calling test saying why it cannot. */
    public static void require() {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: checking what another local user can reach needs root (to create that user)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser")),
                "skipped: runuser (util-linux) is not installed");
        if (run("id", "-u", NAME).exitCode() != 0) {
            Result made = run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", NAME);
            assumeTrue(made.exitCode() == 0, "skipped: useradd " + NAME + " failed: " + made.output());
        }
    }

    /** The user's numeric id. */
    public static int uid() {
        return Integer.parseInt(run("id", "-u", NAME).output().trim());
    }

    /** Runs {@code command} as the other user (at most 20 s; killed after that), stdout and stderr together. */
    public static Result runAs(String... command) {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", NAME, "--"));
        cmd.addAll(List.of(command));
        return run(cmd.toArray(String[]::new));
    }

    /** Gives {@code path} (not following a link) to the other user. */
    public static void chown(Path path) {
        Result r = run("chown", "-h", NAME + ":", path.toString());
        if (r.exitCode() != 0) {
            throw new IllegalStateException("chown " + path + ": " + r.output());
        }
    }

    private static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out;
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "timed out after 20 s: " + String.join(" ", command));
            }
            out = p.getInputStream().readAllBytes();
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }
}
