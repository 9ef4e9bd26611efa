package org.poolbench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.poolbench.jvm.JavaBinary;

/**
 * How members are told to start fast: the required member (parallel start without a mastership round) reaches
 * Hazelcast's config, a bad one is refused, and the AOT cache is not attempted where the class path cannot have one.
 */
class MemberStartTest {

    @TempDir
    Path dir;

    @Test
    void aRequiredMemberReachesTheJoinConfigAndIsOptional() {
        Member.Options o = Member.Options.parse("--port", "5702", "--join", "127.0.0.1:5701,127.0.0.1:5702",
                "--required-member", "127.0.0.1:5701");
        assertEquals(new HostPort("127.0.0.1", 5701), o.requiredMember());
        var tcp = ClusterConfigs.member("c", o.self(), o.join(), 1, o.requiredMember()).getNetworkConfig().getJoin()
                .getTcpIpConfig();
        assertEquals("127.0.0.1:5701", tcp.getRequiredMember());
        assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702"), tcp.getMembers());

        Member.Options plain = Member.Options.parse("--port", "5701");
        assertNull(plain.requiredMember());
        assertNull(ClusterConfigs.member("c", plain.self(), plain.join(), 1).getNetworkConfig().getJoin()
                .getTcpIpConfig().getRequiredMember());
    }

    @Test
    void aRequiredMemberMustBeOneAddress() {
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> Member.Options.parse("--required-member", "127.0.0.1:5701,127.0.0.1:5702"));
        assertEquals("--required-member: '127.0.0.1:5701,127.0.0.1:5702' is not one HOST:PORT", two.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Member.Options.parse("--required-member", "localhost"));
        assertTrue(bad.getMessage().contains("'localhost' is not host:port"), bad.getMessage());
    }

    @Test
    void noAotCacheIsMadeForAClassPathWithADirectory() {
        String java = JavaBinary.command();
        assertTrue(MemberAotCache.forClassPath(java, dir.toString()).isEmpty(), "a directory cannot be cached");
        assertTrue(MemberAotCache.forClassPath(java, dir.resolve("missing.jar").toString()).isEmpty(),
                "nor a jar that is not there");
    }

    /**
     * The cache made for a class path of jars (poolbench's cluster classes jarred here, and Hazelcast's jar) is one a
     * member JVM can use: with {@code -XX:AOTMode=on} the JVM refuses to start unless it maps the cache.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aMemberStartsOnTheAotCacheMadeForAJarClassPath() throws Exception {
        Path classes = Path.of(MemberAotCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path hazelcast = Path.of(Hazelcast.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = dir.resolve("cluster.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes.resolve("org/poolbench/cluster"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        String classPath = jar + java.io.File.pathSeparator + hazelcast;
        String java = JavaBinary.command();
        Optional<Path> cache = MemberAotCache.forClassPath(java, classPath);
        try {
            assertTrue(cache.isPresent(), "a cache for " + classPath);
            List<String> cmd = new ArrayList<>(List.of(java));
            cmd.addAll(LocalCluster.FLAGS);
            int port = LocalCluster.freePort();
            cmd.addAll(List.of("-XX:AOTCache=" + cache.get(), "-XX:AOTMode=on", "-cp", classPath,
                    Member.class.getName(), "--cluster-name", "aot-test-" + ProcessHandle.current().pid(),
                    "--port", String.valueOf(port), "--pool-size", "1", "--exit-on-eof"));
            Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("member.err").toFile()).start();
            try (OutputStream stdin = p.getOutputStream()) {
                String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                assertEquals("READY 127.0.0.1:" + port + " pool-size=1", line,
                        "stderr: " + Files.readString(dir.resolve("member.err")));
            } finally {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            }
            assertEquals(0, p.exitValue(), "the member ends cleanly on EOF");
            assertEquals(cache, MemberAotCache.forClassPath(java, classPath), "made once, then reused");
        } finally {
            if (cache.isPresent()) {
                Files.deleteIfExists(cache.get());
            }
        }
    }
}
