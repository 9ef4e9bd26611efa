package org.poolbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.backend.Backends;
import org.poolbench.workload.Workloads;

/** The cluster family in the plan, {@code run --cluster} and {@code member}: bad input is one line and exit 2. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClusterCliTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
    }

    private String errLine() {
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, text.lines().count(), "exactly one line on stderr, got:\n" + text);
        return text;
    }

    @Test
    void aClusterAddressWhereNoMemberAnswersIsOneLineAndExitTwoWithinSeconds() {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path results = dir.resolve("results");
        long start = System.nanoTime();
        int status = Main.execute("run", "smoke", "--families", "cluster", "--cluster", "127.0.0.1:" + port,
                "--results-dir", results.toString(), "--charts-dir", dir.resolve("charts").toString());
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertEquals(2, status);
        String line = errLine();
        assertTrue(line.contains("--cluster") && line.contains("127.0.0.1:" + port), line);
        assertTrue(seconds < 10, "took " + seconds + " s");
        assertFalse(Files.exists(results), "a bad call must not create a run folder");
    }

    @Test
    void aMalformedClusterAddressNamesItAndTheForm() {
        assertEquals(2, Main.execute("run", "smoke", "--cluster", "10.0.0.1", "--results-dir",
                dir.resolve("r").toString()));
        String line = errLine();
        assertTrue(line.contains("'10.0.0.1' is not host:port") && line.contains("127.0.0.1:5701"), line);
    }

    @Test
    void aBadMemberPortIsOneLineAndExitTwo() {
        assertEquals(2, Main.execute("member", "--port", "seventy"));
        String line = errLine();
        assertTrue(line.contains("--port") && line.contains("'seventy'"), line);
    }

    @Test
    void theClusterFamilyScalesOverMembersBesideTheProcessPoolAndStaysOutOfTheOtherFamilies() {
        Plan plan = Plan.build(Profile.QUICK, Plan.FAMILIES, Workloads.NAMES, Backends.names(), 2, List.of(1, 2),
                List.of());
        List<JmhInvocation> cluster = plan.invocations.stream().filter(i -> i.family().equals("cluster")).toList();
        List<JmhInvocation> scaling = cluster.stream().filter(i -> i.benchmark().endsWith("scaling$")).toList();
        assertEquals(4, scaling.size(), "1 and 2 members, a JVM per workload");
        assertEquals(List.of("sequential", "process-pool", "cluster"), scaling.get(0).params().get("backend"));
        assertEquals(List.of("1"), scaling.get(0).params().get("workers"));
        assertEquals(1, scaling.get(0).cores());
        assertEquals(List.of("factorial"), scaling.get(0).params().get("workload"));
        assertEquals(List.of("squares"), scaling.get(1).params().get("workload"));
        assertEquals(List.of("2"), scaling.get(3).params().get("workers"));
        assertEquals(List.of("squares"), scaling.get(3).params().get("workload"));
        for (String method : List.of("roundTrip", "memberUp", "memberJoin", "firstTask", "tinyTasks")) {
            assertTrue(cluster.stream().anyMatch(i -> i.benchmark().endsWith(method + "$")), method);
        }
        assertTrue(plan.invocations.stream().filter(i -> !i.family().equals("cluster"))
                .noneMatch(i -> i.params().getOrDefault("backend", List.of()).contains("cluster")),
                "the other families leave the cluster backend to its own family");
        assertTrue(plan.probes.stream().noneMatch(p -> p.contains("cluster")));

        Plan smoke = Plan.build(Profile.SMOKE, List.of("cluster"), Workloads.NAMES, Backends.names(), 2,
                List.of(2), List.of());
        assertTrue(smoke.skipped.stream().allMatch(r -> r.family().equals("cluster") && r.note() != null));
        assertTrue(smoke.skipped.stream().anyMatch(r -> r.benchmark().equals("tinyTasks")));
        assertTrue(Plan.build(Profile.QUICK, List.of("cluster"), Workloads.NAMES, List.of("process-pool"), 2,
                List.of(1, 2), List.of()).invocations.isEmpty(), "no cluster backend, no cluster family");
    }
}
