package org.poolbench.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaBinaryTest {

    @Test
    void currentIsAnExecutableThatRunsThisJdk() throws IOException, InterruptedException {
        Path java = JavaBinary.current();
        assertTrue(Files.isExecutable(java), java + " is not executable");
        Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -version did not end");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains(String.valueOf(Runtime.version().feature())),
                "child reports another JDK than " + Runtime.version() + ": " + out);
        assertEquals(java.toString(), JavaBinary.command());
    }

    @Test
    void theReportedCommandWinsWhenItIsExecutable(@TempDir Path dir) throws IOException {
        Path exe = Files.createFile(dir.resolve("java"));
        assertTrue(exe.toFile().setExecutable(true));
        assertEquals(exe, JavaBinary.choose(Optional.of(exe.toString()), "/nowhere"));
    }

    @Test
    void javaHomeIsUsedWhenNoCommandIsReported() {
        assertEquals(Path.of("/opt/jdk", "bin", "java"), JavaBinary.choose(Optional.empty(), "/opt/jdk"));
    }

    @Test
    void javaHomeIsUsedWhenTheReportedCommandIsNotExecutable(@TempDir Path dir) throws IOException {
        Path plain = Files.createFile(dir.resolve("not-java"));
        assertEquals(Path.of("/opt/jdk", "bin", "java"), JavaBinary.choose(Optional.of(plain.toString()), "/opt/jdk"));
        assertEquals(Path.of("/opt/jdk", "bin", "java"),
                JavaBinary.choose(Optional.of(dir.resolve("missing").toString()), "/opt/jdk"));
    }
}
