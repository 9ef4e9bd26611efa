package org.poolbench.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The training run {@link MemberAotCache} records: what a member JVM does in a benchmark, once, so the classes it
 * loads and links (about 5 900, a quarter of them Hazelcast's lambdas) are in the AOT cache. In one JVM: a member
 * that is master at once, a second member joining it through the first (as {@link LocalCluster} starts them), a
 * client, and one task on each member through the executor {@link ClusterConfigs#EXECUTOR}. Exits 0 when every
 * task answered right, 1 otherwise, and halts after {@link #MAX_SECONDS} whatever happens (its parent may be gone:
 * it does not watch its standard input, which the parent closes at once).
 */
final class MemberTraining {

    private MemberTraining() {
    }

    /** The training never outlives this, even if the JVM that started it is gone or Hazelcast hangs. */
    static final long MAX_SECONDS = 90;

    public static void main(String[] args) {
        Thread.ofPlatform().daemon().name("poolbench-training-watchdog").start(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(MAX_SECONDS));
                Runtime.getRuntime().halt(1); // no cache is written for a run that did not finish
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ClusterConfigs.quietLogging();
        String name = "poolbench-training-" + ProcessHandle.current().pid();
        HostPort first = HostPort.loopback(LocalCluster.freePort());
        HostPort second = HostPort.loopback(LocalCluster.freePort());
        HazelcastInstance a = null;
        HazelcastInstance b = null;
        HazelcastInstance client = null;
        int status = 1;
        try {
            a = org.poolbench.cluster.Member.start(
                    new org.poolbench.cluster.Member.Options(name, first, List.of(first), 1, false, first));
            b = org.poolbench.cluster.Member.start(
                    new org.poolbench.cluster.Member.Options(name, second, List.of(first, second), 1, false, first));
            client = HazelcastClient.newHazelcastClient(ClusterConfigs.client(name, List.of(first, second), 30_000));
            var executor = client.getExecutorService(ClusterConfigs.EXECUTOR);
            boolean right = true;
            long x = 3;
            for (Member m : client.getCluster().getMembers()) {
                long r = executor.submitToMember(new Square(x), m).get(30, TimeUnit.SECONDS);
                right &= r == x * x;
                x++;
            }
            status = right && client.getCluster().getMembers().size() == 2 ? 0 : 1;
        } catch (Exception e) {
            System.err.println("poolbench member training: " + e);
        } finally {
            if (client != null) {
                client.shutdown();
            }
            if (b != null) {
                b.getLifecycleService().terminate();
            }
            if (a != null) {
                a.getLifecycleService().terminate();
            }
        }
        System.exit(status);
    }

    /** A task as small as the benchmark's first task. */
    record Square(long x) implements Callable<Long>, Serializable {
        @Override
        public Long call() {
            return x * x;
        }
    }
}
