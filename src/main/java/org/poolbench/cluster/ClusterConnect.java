package org.poolbench.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;

/** Connecting a client to members that are already running, with an error a user can act on. */
public final class ClusterConnect {

    /** How long {@code run --cluster} waits for a member to answer before it gives up. */
    public static final long CHECK_MILLIS = 3_000;

    private ClusterConnect() {
    }

    /**
     * A client of the members at {@code addresses}.
     *
     * @throws IllegalArgumentException naming the addresses and the cluster name if no member answered within
     *         {@code connectMillis}
     */
    public static HazelcastInstance client(List<HostPort> addresses, String clusterName, long connectMillis) {
        ClusterConfigs.quietLogging();
        try {
            return HazelcastClient.newHazelcastClient(ClusterConfigs.client(clusterName, addresses, connectMillis));
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("no Hazelcast member of cluster '" + clusterName + "' answered at "
                    + String.join(",", addresses.stream().map(HostPort::toString).toList()) + " within "
                    + connectMillis / 1000.0 + " s; start members with './run-bench.sh member' or fix the address");
        }
    }

    /**
     * Checks a {@code --cluster} value: parses it and connects once; returns the number of members found.
     *
     * @throws IllegalArgumentException with one line naming the bad value (syntax or no answer)
     */
    public static int check(String value, String clusterName) {
        List<HostPort> addresses;
        try {
            addresses = HostPort.parseList(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--cluster: " + e.getMessage());
        }
        HazelcastInstance client;
        try {
            client = client(addresses, clusterName, CHECK_MILLIS);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--cluster: " + e.getMessage());
        }
        try {
            return client.getCluster().getMembers().size();
        } finally {
            client.shutdown();
        }
    }
}
