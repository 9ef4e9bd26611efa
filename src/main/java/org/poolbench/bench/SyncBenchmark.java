package org.poolbench.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.poolbench.bench.Contenders.Update;
import org.poolbench.ipc.SharedLongArray;
import org.poolbench.pool.ProcessPool;

/*
 * The race, counted: k contenders (workers = 1..4) each add 1 to one shared counter `increments` times at once.
 *
 * threads: k platform threads of this JVM share a counter and add to it with
 *   none            a read and a write (opaque VarHandle accesses: both reach memory, neither is atomic with the
 *                   other): the material's `balance.value = balance.value + 1`, in Java. Loses updates from k = 2 on.
 *   synchronized    the same read and write inside `synchronized (counter)`.
 *   reentrant-lock  inside ReentrantLock.lock()/unlock().
 *   atomic-long     AtomicLong.incrementAndGet (lock xadd).
 *   long-adder      LongAdder.increment: one cell per contending thread, summed at the end; no contended line.
 * processes: k worker JVMs (k one-worker ProcessPools, so each contender surely has a process of its own) map one
 *   SharedLongArray (a file in /dev/shm) and add to its slot 0 with
 *   shm-none        the racy read and write (CPython's Value without get_lock()),
 *   shm-atomic      VarHandle getAndAdd on the mapped memory (lock xadd, across processes),
 *   shm-lock        the racy read and write inside the segment's SharedLock (a CAS lock word; CPython's
 *                   `with value.get_lock():`).
 * All contenders wait at a start gate, so they really overlap.
 *
 * Results (avgt, ns): the primary score is the time of one round (k x increments adds); the secondary metric
 * `increment` (@AuxCounters OPERATIONS) is the time per add: round time / (k x increments). `lostUpdates` and
 * `updates` (@AuxCounters EVENTS, summed over the measured iterations) count what the racy variants lost; their
 * ratio is the fraction lost. `plainSeen` (EVENTS) is how many of those updates this JVM saw in a plain static
 * field (Contenders.plain) to which every contender also adds its n once per round, outside the timed adds: all of
 * them for threads, none for processes, whose workers add to their own copies ("processes share nothing unless
 * told to"; the shared counter beside it is what telling them looks like). JmhJson turns each secondary metric into a row of its own with benchmark
 * `<method>:<metric>` (e.g. `threads:increment`), so results.csv carries them all.
 *
 * What to expect on x86: with one contender everything is cheap (a few ns; the locks uncontended). From k = 2 the
 * racy variants lose a large share of the updates (tens of percent) and are not even fast: the counter's cache line
 * bounces between cores. Atomics cost one contended lock xadd (tens of ns); locks cost more, and the cross-process
 * CAS lock the most, especially when k exceeds the cores and a holder is descheduled. LongAdder stays nearly flat.
 * Threads and processes behave alike for the same instruction: shared memory is shared memory.
 *
 * Every round checks its count: exactly k x increments for every variant with a lock or an atomic (a broken lock
 * cannot look fast), and between 1 and k x increments for the racy ones.
 *
 * Run only this:
 *   mvn -B -q package -DskipTests
 *   java -jar target/benchmarks.jar SyncBenchmark -f 1 -wi 1 -i 5 -p workers=1,2,4
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SyncBenchmark {

    /** The time per add: one "operation" per add, so JMH reports round time / adds. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class PerIncrement {
        public long increment;

        @Setup(Level.Iteration)
        public void reset() {
            increment = 0;
        }
    }

    /** Updates made and lost, summed over each iteration (JMH sums EVENTS counters). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Lost {
        public long lostUpdates;
        public long updates;
        /** Of the {@code updates} the contenders also added to a plain static field, how many this JVM saw. */
        public long plainSeen;

        @Setup(Level.Iteration)
        public void reset() {
            lostUpdates = 0;
            updates = 0;
            plainSeen = 0;
        }
    }

    /** The threads' counter; the racy variant goes through opaque accesses so the JIT cannot keep it in a register. */
    static final class Counter {
        long value;
        static final VarHandle VALUE;

        static {
            try {
                VALUE = MethodHandles.lookup().findVarHandle(Counter.class, "value", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Threads {
        @Param({"threads"})
        public String backend;
        /** k, the number of contenders. */
        @Param({"1", "2", "3", "4"})
        public int workers;
        /** Adds per contender per round. */
        @Param({"1000000"})
        public int increments;
        @Param({"none", "synchronized", "reentrant-lock", "atomic-long", "long-adder"})
        public String primitive;

        ExecutorService threads;
        final Counter counter = new Counter();
        final ReentrantLock lock = new ReentrantLock();
        final AtomicLong atomic = new AtomicLong();
        final LongAdder adder = new LongAdder();

        @Setup(Level.Trial)
        public void setUp() {
            if (!List.of("none", "synchronized", "reentrant-lock", "atomic-long", "long-adder").contains(primitive)) {
                throw new IllegalArgumentException("unknown primitive '" + primitive + "'");
            }
            threads = Executors.newFixedThreadPool(workers);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            threads.shutdownNow();
        }

        void add(int n) {
            switch (primitive) {
                case "none" -> {
                    for (int i = 0; i < n; i++) {
                        long v = (long) Counter.VALUE.getOpaque(counter);
                        Counter.VALUE.setOpaque(counter, v + 1);
                    }
                }
                case "synchronized" -> {
                    for (int i = 0; i < n; i++) {
                        synchronized (counter) {
                            counter.value++;
                        }
                    }
                }
                case "reentrant-lock" -> {
                    for (int i = 0; i < n; i++) {
                        lock.lock();
                        try {
                            counter.value++;
                        } finally {
                            lock.unlock();
                        }
                    }
                }
                case "atomic-long" -> {
                    for (int i = 0; i < n; i++) {
                        atomic.incrementAndGet();
                    }
                }
                default -> {
                    for (int i = 0; i < n; i++) {
                        adder.increment();
                    }
                }
            }
        }

        long total() {
            return switch (primitive) {
                case "atomic-long" -> atomic.get();
                case "long-adder" -> adder.sum();
                default -> {
                    synchronized (counter) {
                        yield counter.value;
                    }
                }
            };
        }

        void reset() {
            synchronized (counter) {
                counter.value = 0;
            }
            atomic.set(0);
            adder.reset();
        }
    }

    @Benchmark
    public long threads(Threads s, PerIncrement per, Lost lost) throws Exception {
        s.reset();
        long plainBefore = Contenders.plain();
        CountDownLatch gate = new CountDownLatch(s.workers);
        List<Future<?>> running = new ArrayList<>(s.workers);
        for (int i = 0; i < s.workers; i++) {
            running.add(s.threads.submit(() -> {
                gate.countDown();
                gate.await();
                s.add(s.increments);
                Contenders.addPlain(s.increments);
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        lost.plainSeen += Contenders.plain() - plainBefore;
        return count(s.total(), s.workers, s.increments, s.primitive.equals("none"), per, lost);
    }

    @State(Scope.Benchmark)
    public static class Processes {
        @Param({"processes"})
        public String backend;
        @Param({"1", "2", "3", "4"})
        public int workers;
        @Param({"1000000"})
        public int increments;
        @Param({"shm-none", "shm-atomic", "shm-lock"})
        public String primitive;

        Update update;
        final List<ProcessPool> pools = new ArrayList<>();
        SharedLongArray counter;

        @Setup(Level.Trial)
        public void setUp() {
            update = switch (primitive) {
                case "shm-none" -> Update.RACY;
                case "shm-atomic" -> Update.ATOMIC;
                case "shm-lock" -> Update.LOCKED;
                default -> throw new IllegalArgumentException("unknown primitive '" + primitive
                        + "'; valid: shm-none, shm-atomic, shm-lock");
            };
            counter = SharedLongArray.create(2);
            for (int i = 0; i < workers; i++) {
                pools.add(ProcessPool.builder().workers(1).build());
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pools.forEach(ProcessPool::close);
            counter.close();
        }
    }

    @Benchmark
    public long processes(Processes s, PerIncrement per, Lost lost) throws Exception {
        s.counter.set(Contenders.COUNTER, 0);
        s.counter.set(Contenders.GATE, 0);
        long plainBefore = Contenders.plain(); // the workers add to their own copies: this stays put
        String spec = Contenders.spec(s.counter.name(), s.update, s.increments, s.workers);
        List<CompletableFuture<Long>> running = new ArrayList<>(s.workers);
        for (ProcessPool p : s.pools) {
            running.add(p.applyAsync(Contenders::contend, spec));
        }
        for (CompletableFuture<Long> f : running) {
            if (f.get() != s.increments) {
                throw new IllegalStateException("a contender made " + f.get() + " adds, not " + s.increments);
            }
        }
        lost.plainSeen += Contenders.plain() - plainBefore;
        return count(s.counter.get(Contenders.COUNTER), s.workers, s.increments, s.update == Update.RACY, per, lost);
    }

    /** Checks a round's count and records it; returns it. */
    private static long count(long total, int k, int n, boolean racy, PerIncrement per, Lost lost) {
        long expected = (long) k * n;
        if (racy ? total < 1 || total > expected : total != expected) {
            throw new IllegalStateException("counter is " + total + " after " + k + " x " + n + " adds"
                    + (racy ? "" : " under a lock or atomic: updates were lost"));
        }
        per.increment += expected;
        lost.updates += expected;
        lost.lostUpdates += expected - total;
        return total;
    }
}
