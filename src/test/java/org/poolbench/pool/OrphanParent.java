package org.poolbench.pool;

import java.time.Duration;

/**
 * A parent JVM for {@code ProcessPoolFaultTest}: starts a pool of two, prints its worker pids, keeps one worker busy
 * in a long task (over the transport named by its argument, else pipes), and waits to be killed. Not a test itself.
 */
final class OrphanParent {
    private OrphanParent() {
    }

    public static void main(String[] args) throws Exception {
        ProcessPool.Transport transport = args.length > 0 ? ProcessPool.Transport.valueOf(args[0])
                : ProcessPool.Transport.PIPE;
        ProcessPool pool = ProcessPool.builder().workers(2).transport(transport).build();
        pool.applyAsync(PoolTesting::sleep, 60_000L);
        System.out.println("PIDS " + pool.workerPids().stream().map(String::valueOf)
                .reduce((a, b) -> a + " " + b).orElseThrow());
        System.out.flush();
        Thread.sleep(Duration.ofSeconds(60)); // bounded: the test kills us long before
        pool.terminate();
    }
}
