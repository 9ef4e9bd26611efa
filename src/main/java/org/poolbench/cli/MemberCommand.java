package org.poolbench.cli;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.poolbench.cluster.ClusterConfigs;
import org.poolbench.cluster.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code member}: one Hazelcast cluster member on this host, for {@code run --cluster} from another; runs until
 * Ctrl-C. See docs/CLUSTER.md.
 */
@Command(name = "member", mixinStandardHelpOptions = true,
        description = "Start one cluster member here (for 'run --cluster' elsewhere); Ctrl-C stops it.")
final class MemberCommand implements Callable<Integer> {

    @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "The one address to listen on (default: ${DEFAULT-VALUE}; use this host's LAN address).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + ClusterConfigs.DEFAULT_PORT,
            description = "The one port to listen on (default: ${DEFAULT-VALUE}).")
    String port;

    @Option(names = "--join", paramLabel = "LIST",
            description = "host:port of the members to join, e.g. 10.0.0.1:5701,10.0.0.2:5701 (default: only itself).")
    String join;

    @Option(names = "--pool-size", paramLabel = "N",
            description = "Executor threads (default: this host's available processors).")
    String poolSize;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = ClusterConfigs.DEFAULT_CLUSTER_NAME,
            description = "Cluster name; runs must use the same (default: ${DEFAULT-VALUE}).")
    String clusterName;

    @Override
    public Integer call() throws InterruptedException {
        List<String> args = new ArrayList<>(List.of("--bind", bind, "--port", port, "--cluster-name", clusterName));
        if (join != null) {
            args.addAll(List.of("--join", join));
        }
        if (poolSize != null) {
            args.addAll(List.of("--pool-size", poolSize));
        }
        Member.Options options;
        try {
            options = Member.Options.parse(args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        HazelcastInstance member = Member.start(options);
        CountDownLatch ended = new CountDownLatch(1);
        member.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                ended.countDown();
            }
        });
        System.out.println("member " + options.self() + " of cluster '" + options.clusterName() + "' is up with "
                + options.poolSize() + " executor threads; " + member.getCluster().getMembers().size()
                + " member(s) in the cluster. Ctrl-C stops it.");
        if (member.getLifecycleService().isRunning()) {
            ended.await();
        }
        return 0;
    }
}
