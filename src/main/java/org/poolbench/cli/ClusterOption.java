package org.poolbench.cli;

import java.util.ArrayList;
import java.util.List;
import org.poolbench.backend.ClusterBackend;
import org.poolbench.cluster.ClusterConnect;

/**
 * {@code run --cluster host:port,...}: points the cluster backend at running members instead of starting local ones.
 *
 * <p>The value is checked before anything is written: a bad form or an address where no member answers within
 * {@link ClusterConnect#CHECK_MILLIS} is a {@link UsageError} (one line, exit 2). The addresses reach the benchmark
 * JVMs as system properties ({@link ClusterBackend#ADDRESSES_PROPERTY}) through JMH's {@code -jvmArgsAppend}, and
 * the number of members found becomes the top of the cluster family's member counts ({@link #MEMBERS_PROPERTY}).
 */
final class ClusterOption {

    /** System property of the CLI JVM: how many members {@code --cluster} found (read by {@link Plan}). */
    static final String MEMBERS_PROPERTY = "poolbench.cluster.members";

    private ClusterOption() {
    }

    /** The JMH arguments with the cluster's properties added; {@code jmhArgs} unchanged when {@code cluster} is null. */
    static List<String> apply(String cluster, String clusterName, List<String> jmhArgs) {
        if (cluster == null) {
            return jmhArgs;
        }
        int members;
        try {
            members = ClusterConnect.check(cluster, clusterName);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        System.setProperty(MEMBERS_PROPERTY, String.valueOf(members));
        List<String> out = new ArrayList<>(jmhArgs);
        out.addAll(List.of("-jvmArgsAppend", "-D" + ClusterBackend.ADDRESSES_PROPERTY + "=" + cluster.strip()
                + " -D" + ClusterBackend.NAME_PROPERTY + "=" + clusterName));
        return out;
    }
}
