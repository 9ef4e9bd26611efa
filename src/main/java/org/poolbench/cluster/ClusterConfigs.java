package org.poolbench.cluster;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Hazelcast configurations poolbench uses, in one place: members and clients on the addresses given and no other
 * (TCP-IP join, no multicast, no auto-detection, no phone-home, no Jet), quiet logging.
 *
 * <p>A member binds only its own {@code host:port} (interfaces enabled with that one address, {@code bind.any} off,
 * no port auto-increment), so nothing listens anywhere else. Clients never listen.
 *
 * <p>Members and clients deserialize Java-serialized objects only from an allow-list ({@link #ALLOWED_PREFIXES},
 * {@link #ALLOWED_CLASSES}, and what the system property {@value #ALLOW_PROPERTY} adds), with Hazelcast's own
 * defaults off: a task, argument or result of any other class is refused before it is built, and the member logs
 * the refusal. Hazelcast's open-source edition has no member authentication and no TLS, so this filter is what stands
 * between a reachable port and running code; docs/CLUSTER.md says what it does not cover.
 */
public final class ClusterConfigs {

    /** The executor every member runs poolbench's tasks on. */
    public static final String EXECUTOR = "poolbench";

    /** The cluster name members and clients use unless told otherwise. */
    public static final String DEFAULT_CLUSTER_NAME = "poolbench";

    /** The port a hand-started member uses unless told otherwise (Hazelcast's own default). */
    public static final int DEFAULT_PORT = 5701;

    /** Packages (with their subpackages) whose classes members and clients deserialize. */
    public static final List<String> ALLOWED_PREFIXES = List.of("org.poolbench.", "com.hazelcast.", "java.lang.",
            "java.math.", "[");

    /** Single classes outside those packages that members and clients deserialize: the collections tasks carry. */
    public static final List<String> ALLOWED_CLASSES = List.of("java.util.ArrayList", "java.util.Arrays$ArrayList",
            "java.util.LinkedList", "java.util.HashMap", "java.util.LinkedHashMap", "java.util.ImmutableCollections$ListN",
            "java.util.ImmutableCollections$List12", "java.util.CollSer",
            "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableList",
            "java.util.Collections$UnmodifiableCollection", "java.util.Collections$EmptyList",
            "java.util.Collections$SingletonList");

    /**
     * A system property of comma-separated class names or package prefixes (ending in {@code .}) that members and
     * clients deserialize beyond the defaults: the classes of your own tasks and values, when they are not in
     * {@code org.poolbench}. {@link LocalCluster} passes it on to the members it starts.
     */
    public static final String ALLOW_PROPERTY = "poolbench.cluster.allow";

    // Held strongly: java.util.logging forgets the level of a logger nobody references.
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
    private static final Logger CLIENT_CONNECTION_LOG =
            Logger.getLogger("com.hazelcast.client.impl.connection");

    private ClusterConfigs() {
    }

    /**
     * Hazelcast logs only warnings and errors through java.util.logging (its banner and join chatter go away), and
     * a client's connection attempts only errors: a wrong address is reported once, by whoever asked to connect.
     */
    public static void quietLogging() {
        HAZELCAST_LOG.setLevel(Level.WARNING);
        CLIENT_CONNECTION_LOG.setLevel(Level.SEVERE);
    }

    /**
     * A member on {@code self}, joining the members at {@code join} (which may include {@code self}), running tasks
     * on an executor of {@code poolSize} threads.
     */
    public static Config member(String clusterName, HostPort self, List<HostPort> join, int poolSize) {
        return member(clusterName, self, join, poolSize, null);
    }

    /**
     * As {@link #member(String, HostPort, List, int)}, but joining only through {@code requiredMember} when it is
     * not null (Hazelcast's TCP-IP "required member"): the member whose address it is becomes master at once, with
     * no search for other members, and every other member waits for it, never claiming mastership itself. That lets
     * members started at the same time form one cluster without the master-claim round (seconds) and without the
     * risk of two clusters.
     */
    public static Config member(String clusterName, HostPort self, List<HostPort> join, int poolSize,
            HostPort requiredMember) {
        if (poolSize <= 0) {
            throw new IllegalArgumentException("poolSize must be positive, got " + poolSize);
        }
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.socket.bind.any", "false");
        // Join as soon as the master answers, instead of waiting 5 s for more members to batch their joins.
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        // A member that stops answering is declared dead in 10 s, not 60 s.
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        config.setProperty("hazelcast.shutdownhook.policy", "TERMINATE");
        config.getJetConfig().setEnabled(false);
        NetworkConfig network = config.getNetworkConfig();
        network.setPublicAddress(self.toString());
        network.setPort(self.port()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).setInterfaces(List.of(self.host()));
        network.getRestApiConfig().setEnabled(false);
        JoinConfig joinConfig = network.getJoin();
        joinConfig.getMulticastConfig().setEnabled(false);
        joinConfig.getAutoDetectionConfig().setEnabled(false);
        joinConfig.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2)
                .setMembers(join.stream().map(HostPort::toString).toList());
        if (requiredMember != null) {
            joinConfig.getTcpIpConfig().setRequiredMember(requiredMember.toString());
        }
        config.getExecutorConfig(EXECUTOR).setPoolSize(poolSize).setStatisticsEnabled(false);
        config.getSerializationConfig().setJavaSerializationFilterConfig(serializationFilter());
        return config;
    }

    /** The allow-list as Hazelcast's filter: defaults off, {@link #ALLOWED_PREFIXES}, {@link #ALLOWED_CLASSES}, and the property's. */
    static JavaSerializationFilterConfig serializationFilter() {
        ClassFilter allowed = new ClassFilter().addPrefixes(ALLOWED_PREFIXES.toArray(String[]::new))
                .addClasses(ALLOWED_CLASSES.toArray(String[]::new));
        for (String extra : Arrays.stream(System.getProperty(ALLOW_PROPERTY, "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            if (extra.endsWith(".")) {
                allowed.addPrefixes(extra);
            } else {
                allowed.addClasses(extra);
            }
        }
        return new JavaSerializationFilterConfig().setDefaultsDisabled(true).setWhitelist(allowed);
    }

    /**
     * A client of the members at {@code addresses}; it gives up connecting after {@code connectMillis} (then
     * {@code HazelcastClient.newHazelcastClient} throws {@link IllegalStateException}) and declares a silent member
     * dead after 10 s, so a lost member fails its tasks in bounded time.
     */
    public static ClientConfig client(String clusterName, List<HostPort> addresses, long connectMillis) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.client.heartbeat.interval", "2000");
        config.setProperty("hazelcast.client.heartbeat.timeout", "10000");
        config.getNetworkConfig().setAddresses(addresses.stream().map(HostPort::toString).toList())
                .setSmartRouting(true).setConnectionTimeout((int) Math.min(connectMillis, 5000));
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(connectMillis).setInitialBackoffMillis(100).setMaxBackoffMillis(500);
        config.getSerializationConfig().setJavaSerializationFilterConfig(serializationFilter());
        return config;
    }
}
