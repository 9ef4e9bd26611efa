package org.poolbench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        String java = LocalCluster.javaBinary();
        assertTrue(MemberAotCache.forClassPath(java, dir.toString()).isEmpty(), "a directory cannot be cached");
        assertTrue(MemberAotCache.forClassPath(java, dir.resolve("missing.jar").toString()).isEmpty(),
                "nor a jar that is not there");
    }
}
