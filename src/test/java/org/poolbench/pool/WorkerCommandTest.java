package org.poolbench.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workers' start-up flags: huge pages only where the kernel gives them on request. */
class WorkerCommandTest {

    @Test
    void hugePagesAreAskedForOnlyInTheKernelsMadviseMode(@TempDir Path dir) throws IOException {
        Path enabled = dir.resolve("enabled");
        Files.writeString(enabled, "always [madvise] never\n");
        assertTrue(WorkerCommand.hugePagesOnRequest(enabled));
        Files.writeString(enabled, "[always] madvise never\n");
        assertFalse(WorkerCommand.hugePagesOnRequest(enabled), "the heap gets them without asking");
        Files.writeString(enabled, "always madvise [never]\n");
        assertFalse(WorkerCommand.hugePagesOnRequest(enabled));
        assertFalse(WorkerCommand.hugePagesOnRequest(dir.resolve("missing")), "no such file: not Linux");

        assertEquals("-XX:+UseTransparentHugePages", WorkerCommand.flags(true).get(WorkerCommand.flags(true).size() - 1));
        assertTrue(WorkerCommand.flags(false).stream().noneMatch(f -> f.contains("TransparentHugePages")));
        assertEquals(WorkerCommand.flags(false), WorkerCommand.flags(true).subList(0, WorkerCommand.flags(false).size()));
    }
}
