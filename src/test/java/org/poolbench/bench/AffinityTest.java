package org.poolbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** CPU masks set by system call: every thread of this JVM, its children, single threads; refusals named. */
class AffinityTest {

    @Test
    void masksAreSetBySystemCallOnThisMachine() {
        assertTrue(Affinity.bySystemCall(), "JNA loads on Linux amd64; taskset would cost ~9 ms per call");
    }

    @Test
    void restrictMovesEveryThreadOfTheJvmAndBack() throws Exception {
        List<Integer> start = Affinity.current();
        assumeTrue(start.size() >= 2, "needs two CPUs");
        CountDownLatch stop = new CountDownLatch(1);
        Thread parked = Thread.ofPlatform().name("affinity-test-parked").start(() -> {
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            List<Integer> last = List.of(start.get(start.size() - 1));
            Affinity.restrict(last);
            assertEquals(1, Runtime.getRuntime().availableProcessors());
            assertEquals(List.of(last), distinctMasks(ProcessHandle.current().pid()), "every thread, the parked one too");
        } finally {
            Affinity.restrict(start);
            stop.countDown();
            parked.join();
        }
        assertEquals(List.of(start), distinctMasks(ProcessHandle.current().pid()));
        assertEquals(start.size(), Runtime.getRuntime().availableProcessors());
    }

    @Test
    void restrictTreeMovesTheProcessesThisJvmStarted() throws Exception {
        List<Integer> start = Affinity.current();
        assumeTrue(start.size() >= 2, "needs two CPUs");
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            List<Integer> first = List.of(start.get(0));
            Affinity.restrictTree(first);
            assertEquals(List.of(first), distinctMasks(child.pid()));
            Affinity.restrictTree(start);
            assertEquals(List.of(start), distinctMasks(child.pid()));
        } finally {
            Affinity.restrict(start);
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void restrictThisThreadLeavesTheOthers() throws Exception {
        List<Integer> start = Affinity.current();
        assumeTrue(start.size() >= 2, "needs two CPUs");
        List<List<Integer>> seen = new ArrayList<>();
        Thread t = Thread.ofPlatform().start(() -> {
            Affinity.restrictThisThread(start.get(1));
            seen.add(Affinity.ofThisThread());
        });
        t.join();
        assertEquals(List.of(List.of(start.get(1))), seen);
        assertEquals(start, Affinity.ofThisThread(), "the calling test thread kept its mask");
        assertEquals(start, Affinity.current());
    }

    @Test
    void aCpuTheKernelDoesNotHaveIsRefusedByName() {
        List<Integer> start = Affinity.current();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Affinity.restrict(List.of(1000)));
        assertTrue(e.getMessage().contains("cpus 1000"), e.getMessage());
        assertEquals(start, Affinity.current(), "nothing moved");
    }

    /** The distinct masks of process {@code pid}'s threads ({@code /proc/<pid>/task/<tid>/status}). */
    private static List<List<Integer>> distinctMasks(long pid) throws IOException {
        List<List<Integer>> out = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    List<Integer> mask = Affinity.parseList(Files.readAllLines(t.resolve("status")).stream()
                            .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                            .split(":", 2)[1].strip());
                    if (!out.contains(mask)) {
                        out.add(mask);
                    }
                } catch (IOException e) {
                    // a thread that ended meanwhile
                }
            }
        }
        return out;
    }
}
