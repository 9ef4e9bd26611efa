package org.poolbench.backend;

import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import org.poolbench.cluster.ClusterConfigs;
import org.poolbench.cluster.ClusterDispatcher;
import org.poolbench.cluster.DispatchException;
import org.poolbench.cluster.HostPort;
import org.poolbench.pool.SerializableFunction;

/**
 * {@code cluster}: tasks run on Hazelcast cluster members, handed out chunk by chunk by a {@link ClusterDispatcher},
 * which says how chunks are shared among members, how they travel, and what a lost member does to a map.
 *
 * <p>Chunking is every backend's rule ({@link Backend#effectiveChunksize}) with {@code workers} = the executor
 * threads of the members used ({@link ClusterDispatcher#threads}). A failed map throws {@link BackendException}
 * with the dispatcher's message after {@code "cluster: "} and the dispatcher's cause: when a task threw, the
 * message names the task's index and input and the cause is the task's exception.
 *
 * <p>Where members come from: {@link #local} starts member JVMs on this machine and stops them on {@link #close()};
 * {@link #remote} connects to running members (e.g. {@code ./run-bench.sh member} on other hosts) and leaves them
 * running. {@link Backends#create} with {@code cluster} does the latter when the system property
 * {@value #ADDRESSES_PROPERTY} is set, the former (one single-core member per worker) otherwise.
 *
 * <p>Thread safety: {@code map} may be called from several threads at once.
 */
public final class ClusterBackend implements Backend {

    /** System property: {@code host:port,...} of running members to use instead of starting local ones. */
    public static final String ADDRESSES_PROPERTY = "poolbench.cluster";

    /** System property: the cluster name of those members (default {@value ClusterConfigs#DEFAULT_CLUSTER_NAME}). */
    public static final String NAME_PROPERTY = "poolbench.cluster.name";

    private final ClusterDispatcher dispatcher;

    private ClusterBackend(ClusterDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** As {@link Backends#create}{@code ("cluster", members)}: remote members if the property says so, else local. */
    static ClusterBackend create(int members) {
        String addresses = System.getProperty(ADDRESSES_PROPERTY, "");
        if (!addresses.isBlank()) {
            return remote(HostPort.parseList(addresses),
                    System.getProperty(NAME_PROPERTY, ClusterConfigs.DEFAULT_CLUSTER_NAME), members, 10_000);
        }
        return local(members, 1);
    }

    /** As {@link ClusterDispatcher#local}: {@code members} member JVMs on this machine, which end with this backend. */
    public static ClusterBackend local(int members, int coresPerMember) {
        return new ClusterBackend(ClusterDispatcher.local(members, coresPerMember));
    }

    /** As {@link ClusterDispatcher#remote}: the first {@code members} (0 = all) of running members. */
    public static ClusterBackend remote(List<HostPort> addresses, String clusterName, int members,
            long connectMillis) {
        return new ClusterBackend(ClusterDispatcher.remote(addresses, clusterName, members, connectMillis));
    }

    /** As {@link ClusterDispatcher#over}: the first {@code members} (0 = all) of {@code client}'s cluster. */
    public static ClusterBackend over(HazelcastInstance client, int members) {
        return new ClusterBackend(ClusterDispatcher.over(client, members));
    }

    /** The dispatcher this backend maps through: its members, client and single round trips. */
    public ClusterDispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public String name() {
        return "cluster";
    }

    /** The executor threads of the members used: how many tasks may run at once. */
    @Override
    public int workers() {
        return dispatcher.threads();
    }

    @Override
    public <T, R> List<R> map(SerializableFunction<T, R> fn, List<T> inputs, int chunksize) {
        int size = Backend.effectiveChunksize(inputs.size(), dispatcher.threads(), chunksize);
        try {
            return dispatcher.map(fn, inputs, size);
        } catch (DispatchException e) {
            throw new BackendException("cluster: " + e.getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
