package org.poolbench.backend;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.poolbench.cluster.ClusterConfigs;
import org.poolbench.cluster.ClusterConnect;
import org.poolbench.cluster.HostPort;
import org.poolbench.cluster.LocalCluster;
import org.poolbench.pool.SerializableFunction;

/**
 * {@code cluster}: tasks run on Hazelcast cluster members through their {@link IExecutorService}
 * ({@link ClusterConfigs#EXECUTOR}); this JVM is a client and runs none of them.
 *
 * <p>Chunking is every backend's rule ({@link Backend#effectiveChunksize}) with {@code workers} = the executor
 * threads of the members used. Chunks are handed out like a pool's: each member gets as many chunks as it has
 * executor threads, and the next chunk goes to the member that just finished one, so a slow member gets less work.
 * A chunk travels as its own inputs (not the whole list) and comes back as its results, Java-serialized (lists of
 * {@code Long} as one {@code long[]}).
 *
 * <p>Faults: a task that throws fails the {@code map} with a {@link BackendException} naming the task's index (the
 * cause is the remote exception); the other chunks already sent still run on the members and their results are
 * dropped. A member that leaves (crash, kill, network loss; the client notices a lost connection at once and a
 * silent member within its 10 s heartbeat timeout) re-runs only the chunks it held, on the members that remain;
 * tasks are pure functions, so running a chunk twice is harmless. With no member left, {@code map} fails.
 *
 * <p>Where members come from: {@link #local} starts member JVMs on this machine ({@link LocalCluster}) and stops
 * them on {@link #close()}; {@link #remote} connects to running members (e.g. {@code ./run-bench.sh member} on other
 * hosts) and leaves them running. {@link Backends#create} with {@code cluster} does the latter when the system
 * property {@value #ADDRESSES_PROPERTY} is set, the former (one single-core member per worker) otherwise.
 *
 * <p>Thread safety: {@code map} may be called from several threads at once.
 */
public final class ClusterBackend implements Backend {

    /** System property: {@code host:port,...} of running members to use instead of starting local ones. */
    public static final String ADDRESSES_PROPERTY = "poolbench.cluster";

    /** System property: the cluster name of those members (default {@value ClusterConfigs#DEFAULT_CLUSTER_NAME}). */
    public static final String NAME_PROPERTY = "poolbench.cluster.name";

    private final HazelcastInstance client;
    private final LocalCluster local;
    private final boolean ownsClient;
    private final IExecutorService executor;
    private final Map<Member, Integer> slots;
    private final int workers;

    private ClusterBackend(HazelcastInstance client, boolean ownsClient, LocalCluster local, int members) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.local = local;
        this.executor = client.getExecutorService(ClusterConfigs.EXECUTOR);
        List<Member> all = new ArrayList<>(client.getCluster().getMembers());
        int want = members == 0 ? all.size() : members;
        if (all.size() < want) {
            throw new IllegalArgumentException("asked for " + want + " cluster members but the cluster has "
                    + all.size());
        }
        List<Member> chosen = all.subList(0, want);
        Map<Member, Future<Integer>> sizes = executor.submitToMembers(new PoolSize(), chosen);
        this.slots = new LinkedHashMap<>();
        for (Member m : chosen) {
            try {
                slots.put(m, sizes.get(m).get(30, TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("member " + m.getAddress() + " did not report its executor: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        this.workers = slots.values().stream().mapToInt(Integer::intValue).sum();
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

    /** Starts {@code members} member JVMs of {@code coresPerMember} cores each on this machine; they end with it. */
    public static ClusterBackend local(int members, int coresPerMember) {
        ClusterConfigs.quietLogging();
        LocalCluster cluster = LocalCluster.start(members, coresPerMember);
        HazelcastInstance client = null;
        try {
            client = cluster.connectClient();
            return new ClusterBackend(client, true, cluster, members);
        } catch (RuntimeException e) {
            if (client != null) {
                client.shutdown();
            }
            cluster.close();
            throw e;
        }
    }

    /**
     * Connects to running members and uses the first {@code members} of them (0 = all).
     *
     * @throws IllegalArgumentException if none answers within {@code connectMillis} (the message names the
     *         addresses), or the cluster has fewer members than asked
     */
    public static ClusterBackend remote(List<HostPort> addresses, String clusterName, int members,
            long connectMillis) {
        HazelcastInstance client = ClusterConnect.client(addresses, clusterName, connectMillis);
        try {
            return new ClusterBackend(client, true, null, members);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** Uses the first {@code members} members (0 = all) of {@code client}'s cluster; the caller keeps the client. */
    public static ClusterBackend over(HazelcastInstance client, int members) {
        return new ClusterBackend(client, false, null, members);
    }

    @Override
    public String name() {
        return "cluster";
    }

    /** The executor threads of the members used: how many tasks may run at once. */
    @Override
    public int workers() {
        return workers;
    }

    /** The members used. */
    public int members() {
        return slots.size();
    }

    /** The local members, or null when the members were already running. */
    public LocalCluster localCluster() {
        return local;
    }

    /** The client this backend submits through. */
    public HazelcastInstance client() {
        return client;
    }

    @Override
    public <T, R> List<R> map(SerializableFunction<T, R> fn, List<T> inputs, int chunksize) {
        int n = inputs.size();
        int size = Backend.effectiveChunksize(n, workers, chunksize);
        if (n == 0) {
            return List.of();
        }
        return new Dispatch<>(fn, inputs, size).run();
    }

    /** Sends one task to the first member and waits for its result: the cluster's round trip. */
    public <R> R call(Callable<R> task) throws ExecutionException, InterruptedException {
        return executor.submitToMember(task, slots.keySet().iterator().next()).get();
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.shutdown();
        }
        if (local != null) {
            local.close();
        }
    }

    /** True when {@code t} says the member went away (as opposed to the task failing). */
    static boolean memberGone(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof MemberLeftException || c instanceof TargetDisconnectedException
                    || c instanceof TargetNotMemberException
                    || (c instanceof HazelcastInstanceNotActiveException
                    && !(c instanceof HazelcastClientNotActiveException))) {
                return true;
            }
        }
        return false;
    }

    /** One map: chunks handed to members as their executor threads free up. */
    private final class Dispatch<T, R> {
        private final SerializableFunction<T, R> fn;
        private final List<T> inputs;
        private final int size;
        private final List<List<R>> results;
        private final Deque<Integer> pending = new ArrayDeque<>();
        private final Map<Member, Integer> free;
        private int remaining;
        private Throwable failure;

        Dispatch(SerializableFunction<T, R> fn, List<T> inputs, int size) {
            this.fn = fn;
            this.inputs = inputs;
            this.size = size;
            int chunks = (inputs.size() + size - 1) / size;
            this.results = new ArrayList<>(java.util.Collections.nCopies(chunks, null));
            for (int i = 0; i < chunks; i++) {
                pending.add(i);
            }
            this.remaining = chunks;
            this.free = new LinkedHashMap<>(slots);
        }

        List<R> run() {
            send(fill());
            synchronized (this) {
                try {
                    while (remaining > 0 && failure == null) {
                        wait();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BackendException("cluster: interrupted while waiting for results", e);
                }
                if (failure != null) {
                    throw failure instanceof BackendException be
                            ? new BackendException("cluster: " + be.getMessage(), be.getCause() == null ? be
                            : be.getCause())
                            : new BackendException("cluster: a task failed: " + failure, failure);
                }
            }
            List<R> out = new ArrayList<>(inputs.size());
            results.forEach(out::addAll);
            return out;
        }

        /** Pairs (member, chunk) to send now; called with the lock held or before any chunk is out. */
        private synchronized List<Map.Entry<Member, Integer>> fill() {
            List<Map.Entry<Member, Integer>> out = new ArrayList<>();
            for (Map.Entry<Member, Integer> e : free.entrySet()) {
                while (e.getValue() > 0 && !pending.isEmpty() && failure == null) {
                    e.setValue(e.getValue() - 1);
                    out.add(Map.entry(e.getKey(), pending.poll()));
                }
            }
            return out;
        }

        private void send(List<Map.Entry<Member, Integer>> toSend) {
            for (Map.Entry<Member, Integer> e : toSend) {
                Member member = e.getKey();
                int chunk = e.getValue();
                int from = chunk * size;
                int to = Math.min(inputs.size(), from + size);
                Chunk<T, R> task = new Chunk<>(fn, inputs.subList(from, to), from);
                try {
                    executor.submitToMember(task, member, new ExecutionCallback<Results<R>>() {
                        @Override
                        public void onResponse(Results<R> response) {
                            done(member, chunk, response.values());
                        }

                        @Override
                        public void onFailure(Throwable t) {
                            failed(member, chunk, t);
                        }
                    });
                } catch (RuntimeException ex) {
                    failed(member, chunk, ex);
                }
            }
        }

        private void done(Member member, int chunk, List<R> response) {
            List<Map.Entry<Member, Integer>> next;
            synchronized (this) {
                free.computeIfPresent(member, (m, f) -> f + 1); // a late duplicate frees its thread too
                if (results.get(chunk) == null && failure == null) {
                    results.set(chunk, response);
                    remaining--;
                }
                next = fill();
                notifyAll();
            }
            send(next);
        }

        private void failed(Member member, int chunk, Throwable t) {
            Throwable cause = t;
            while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            List<Map.Entry<Member, Integer>> next = List.of();
            synchronized (this) {
                if (results.get(chunk) != null || failure != null) {
                    return;
                }
                if (memberGone(cause)) {
                    free.remove(member); // its other chunks fail the same way and come back here
                    pending.addFirst(chunk);
                    if (free.isEmpty()) {
                        failure = new BackendException("every cluster member was lost (the last: "
                                + member.getAddress() + ")", cause);
                    } else {
                        next = fill();
                    }
                } else {
                    failure = cause;
                }
                notifyAll();
            }
            send(next);
        }
    }

    /**
     * One chunk: its own inputs, and the index of the first, for error messages. Hazelcast ships it with Java
     * serialization; a list of {@code Long}s travels as one {@code long[]} (as the process pool's lists of numbers
     * travel as bare arrays), since serializing each boxed number as an object costs more than squaring it.
     */
    static final class Chunk<T, R> implements Callable<Results<R>>, Serializable {
        private static final long serialVersionUID = 1L;
        private final SerializableFunction<T, R> fn;
        private transient List<T> inputs;
        private final int first;

        Chunk(SerializableFunction<T, R> fn, List<T> inputs, int first) {
            this.fn = fn;
            this.inputs = inputs;
            this.first = first;
        }

        @Override
        public Results<R> call() {
            ArrayList<R> out = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                try {
                    out.add(fn.apply(inputs.get(i)));
                } catch (RuntimeException | Error e) {
                    throw new BackendException("task " + (first + i) + " (input " + inputs.get(i) + ") failed: "
                            + e, e);
                }
            }
            return new Results<>(out);
        }

        @java.io.Serial
        private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
            out.defaultWriteObject();
            Packing.write(out, inputs);
        }

        @java.io.Serial
        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            inputs = Packing.read(in);
        }
    }

    /** A chunk's results, packed like its inputs. */
    static final class Results<R> implements Serializable {
        private static final long serialVersionUID = 1L;
        private transient List<R> values;

        Results(List<R> values) {
            this.values = values;
        }

        List<R> values() {
            return values;
        }

        @java.io.Serial
        private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
            out.defaultWriteObject();
            Packing.write(out, values);
        }

        @java.io.Serial
        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            values = Packing.read(in);
        }
    }

    /** Lists on the wire: all {@code Long} (no nulls) as a {@code long[]}, anything else as an {@code ArrayList}. */
    static final class Packing {
        private Packing() {
        }

        static void write(java.io.ObjectOutputStream out, List<?> list) throws java.io.IOException {
            boolean longs = true;
            for (Object o : list) {
                if (!(o instanceof Long)) {
                    longs = false;
                    break;
                }
            }
            out.writeBoolean(longs);
            if (longs) {
                long[] packed = new long[list.size()];
                for (int i = 0; i < packed.length; i++) {
                    packed[i] = (Long) list.get(i);
                }
                out.writeObject(packed);
            } else {
                out.writeObject(new ArrayList<>(list));
            }
        }

        @SuppressWarnings("unchecked")
        static <E> List<E> read(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            if (in.readBoolean()) {
                long[] packed = (long[]) in.readObject();
                ArrayList<Long> out = new ArrayList<>(packed.length);
                for (long v : packed) {
                    out.add(v);
                }
                return (List<E>) out;
            }
            return (List<E>) in.readObject();
        }
    }

    /** Asks a member how many threads its poolbench executor has. */
    static final class PoolSize implements Callable<Integer>, Serializable, HazelcastInstanceAware {
        private static final long serialVersionUID = 1L;
        private transient HazelcastInstance member;

        @Override
        public void setHazelcastInstance(HazelcastInstance instance) {
            this.member = instance;
        }

        @Override
        public Integer call() {
            return member.getConfig().getExecutorConfig(ClusterConfigs.EXECUTOR).getPoolSize();
        }
    }
}
