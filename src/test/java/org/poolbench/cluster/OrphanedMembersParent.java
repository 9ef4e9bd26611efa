package org.poolbench.cluster;

/** A parent JVM for {@link MemberLifetimeTest}: starts one local member, prints its pid, then waits to be killed. */
public final class OrphanedMembersParent {
    private OrphanedMembersParent() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalCluster cluster = LocalCluster.start(1, 1);
        System.out.println("MEMBERS " + cluster.pids().get(0));
        System.out.flush();
        Thread.sleep(120_000);
    }
}
