package org.poolbench.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.poolbench.ipc.SharedLock;
import org.poolbench.ipc.SharedLongArray;
import org.poolbench.pool.ProcessPool;

/**
 * The material's race: one process withdraws 1 and another deposits 1, each {@code n} times, on a balance of 100 in
 * shared memory; without a lock the final balance is anything, with one it is always 100 (CPython:
 * {@code balance = Value('i', 100)}, {@code balance.value = balance.value - 1}, then the same inside
 * {@code lock.acquire()} / {@code release()}). Ten runs of each, as in the material.
 *
 * <p>Here the balance is slot 0 of a {@link SharedLongArray}, the lock is its {@link SharedLock}, and the two
 * processes are two one-worker {@link ProcessPool}s (so that they surely run at the same time), which meet at a start
 * gate in slot 1 first. The material used 10 000 transactions; a JIT-compiled loop does those in microseconds, before
 * the other process is even scheduled, so the default here is 1 000 000 (give another number as the argument).
 *
 * <pre>java -cp target/benchmarks.jar org.poolbench.examples.BankBalance [n]</pre>
 */
public final class BankBalance {
    private BankBalance() {
    }

    /** In a worker: "name/delta/n/locked": waits for the other party at the gate, then n transactions of delta. */
    static long transact(String spec) {
        String[] f = spec.split("/");
        int delta = Integer.parseInt(f[1]);
        int n = Integer.parseInt(f[2]);
        boolean locked = Boolean.parseBoolean(f[3]);
        try (SharedLongArray account = SharedLongArray.open(f[0])) {
            account.getAndAdd(1, 1);
            while (account.get(1) < 2) {
                Thread.onSpinWait();
            }
            SharedLock lock = account.getLock();
            for (int i = 0; i < n; i++) {
                if (locked) {
                    lock.lock();
                    account.addRacy(0, delta);
                    lock.unlock();
                } else {
                    account.addRacy(0, delta);
                }
            }
            return n;
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        try (SharedLongArray account = SharedLongArray.create(2);
             ProcessPool withdrawer = ProcessPool.builder().workers(1).build();
             ProcessPool depositor = ProcessPool.builder().workers(1).build()) {
            for (boolean locked : new boolean[] {false, true}) {
                List<Long> finals = new ArrayList<>();
                for (int run = 0; run < 10; run++) {
                    account.set(0, 100);
                    account.set(1, 0);
                    CompletableFuture<Long> w = withdrawer.applyAsync(BankBalance::transact,
                            account.name() + "/-1/" + n + "/" + locked);
                    CompletableFuture<Long> d = depositor.applyAsync(BankBalance::transact,
                            account.name() + "/1/" + n + "/" + locked);
                    w.get();
                    d.get();
                    finals.add(account.get(0));
                }
                System.out.println((locked ? "with the lock:    " : "without a lock:   ") + "final balances "
                        + finals);
            }
        }
    }
}
