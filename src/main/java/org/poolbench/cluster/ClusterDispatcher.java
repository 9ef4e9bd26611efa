package org.poolbench.cluster;

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
import java.util.Collections;
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
import java.util.function.Function;

/**
 * Maps a function over a list on Hazelcast cluster members, chunk by chunk, the way a process pool hands out work:
 * each member holds at most as many chunks as its executor ({@link ClusterConfigs#EXECUTOR}) has threads, and the
 * next chunk goes to the member that just returned one, so a slow member gets less work. This JVM is a Hazelcast
 * client and runs no task itself.
 *
 * <p>A chunk travels as its own inputs (not the whole list) with the function and comes back as its results, both
 * Java-serialized, so their classes must pass the members' allow-list ({@link ClusterConfigs}). A list of
 * {@code Long}s (no nulls) travels as one {@code long[]}, as the process pool's lists of numbers travel as bare
 * arrays, since serializing each boxed number as an object costs more than squaring it.
 *
 * <p>Members lost: a member that leaves (crash, kill, lost network; the client notices a closed connection at once
 * and a silent member within its heartbeat timeout, 10 s with {@link ClusterConfigs#client}) fails nothing by
 * itself. The chunks it held run again on the members that remain; a result is never taken twice. Tasks must
 * therefore be pure functions. With no member left, {@link #map} fails; see there for its other failures.
 *
 * <p>Where members come from: {@link #local} starts member JVMs on this machine ({@link LocalCluster}) and
 * {@link #close} stops them; {@link #remote} connects to running members and leaves them running; {@link #over}
 * uses a client the caller keeps. The members used are fixed at creation: the first {@code members} of the
 * cluster's member list; one that joins later gets no work from this dispatcher.
 *
 * <p>Thread safety: {@link #map} and {@link #call} may be called from several threads at once. Each map counts free
 * executor threads for itself, so maps running together may give a member more chunks than it has threads; its
 * executor queues the excess. Neither may be called during or after {@link #close}.
 */
public final class ClusterDispatcher implements AutoCloseable {

    private final HazelcastInstance client;
    private final boolean ownsClient;
    private final LocalCluster local;
    private final IExecutorService executor;
    /** Executor threads per member used, in the cluster's member order. */
    private final Map<Member, Integer> slots;
    private final int threads;

    private ClusterDispatcher(HazelcastInstance client, boolean ownsClient, LocalCluster local, int members) {
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
        this.threads = slots.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Starts {@code members} member JVMs of {@code coresPerMember} cores each on this machine and connects to them;
     * {@link #close} stops them.
     *
     * @throws IllegalStateException if a member does not start (the message says why) or does not report its
     *         executor's size within 30 s; nothing is left running then
     */
    public static ClusterDispatcher local(int members, int coresPerMember) {
        ClusterConfigs.quietLogging();
        LocalCluster cluster = LocalCluster.start(members, coresPerMember);
        HazelcastInstance client = null;
        try {
            client = cluster.connectClient();
            return new ClusterDispatcher(client, true, cluster, members);
        } catch (RuntimeException e) {
            if (client != null) {
                client.shutdown();
            }
            cluster.close();
            throw e;
        }
    }

    /**
     * Connects to running members and uses the first {@code members} of them (0 = all); {@link #close} disconnects
     * and leaves them running.
     *
     * @throws IllegalArgumentException if none answers within {@code connectMillis} (the message names the
     *         addresses), or the cluster has fewer members than asked
     * @throws IllegalStateException as {@link #over}
     */
    public static ClusterDispatcher remote(List<HostPort> addresses, String clusterName, int members,
            long connectMillis) {
        HazelcastInstance client = ClusterConnect.client(addresses, clusterName, connectMillis);
        try {
            return new ClusterDispatcher(client, true, null, members);
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /**
     * Uses the first {@code members} members (0 = all) of {@code client}'s cluster, asking each for its executor's
     * size; the caller keeps the client, and {@link #close} leaves it connected.
     *
     * @throws IllegalArgumentException if the cluster has fewer members than asked
     * @throws IllegalStateException if a member does not report its executor's size within 30 s
     */
    public static ClusterDispatcher over(HazelcastInstance client, int members) {
        return new ClusterDispatcher(client, false, null, members);
    }

    /** The members used. */
    public int members() {
        return slots.size();
    }

    /** The executor threads of the members used, summed: how many tasks may run at once. */
    public int threads() {
        return threads;
    }

    /** The members this dispatcher started, or null when it uses members that were already running. */
    public LocalCluster localCluster() {
        return local;
    }

    /** The client this dispatcher submits through. */
    public HazelcastInstance client() {
        return client;
    }

    /**
     * Applies {@code task} to every input on the members, in chunks of {@code chunkSize} consecutive inputs, and
     * waits for the results. A lambda or method reference passed here is compiled as serializable; what it
     * captures must be serializable too.
     *
     * <p>On failure, the map throws as soon as it learns of it; chunks already sent still run on their members and
     * their results are dropped.
     *
     * @param <F> the task's type: a {@code Function} that is also {@code Serializable}
     * @return the results in input order, in a new list (an empty immutable one, without contacting a member, for no
     *         inputs)
     * @throws IllegalArgumentException if {@code chunkSize < 1}
     * @throws DispatchException if a task threw: {@code "task i (input x) failed: e"}, the cause the task's
     *         exception as the client rebuilt it; if every member used was lost: {@code "every cluster member was
     *         lost (the last: address)"}, the cause the last loss; if the calling thread was interrupted while
     *         waiting: {@code "interrupted while waiting for results"}, with its interrupt status set; and for any
     *         other failure to send or answer a chunk (a class the allow-list refuses, a client shut down):
     *         {@code "a task failed: " + it}, the cause it
     */
    public <T, R, F extends Function<T, R> & Serializable> List<R> map(F task, List<T> inputs, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
        }
        if (inputs.isEmpty()) {
            return List.of();
        }
        return new Dispatch<T, R>(task, inputs, chunkSize).run();
    }

    /**
     * Sends one task to the first member used and waits for its result: the cluster's round trip.
     *
     * @throws ExecutionException if the task threw or could not run (its member lost); it is not sent again
     */
    public <R> R call(Callable<R> task) throws ExecutionException, InterruptedException {
        return executor.submitToMember(task, slots.keySet().iterator().next()).get();
    }

    /**
     * Disconnects the client if this dispatcher connected it ({@link #local}, {@link #remote}) and stops the members
     * if it started them ({@link #local}).
     */
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
        private final Function<T, R> fn;
        private final List<T> inputs;
        private final int size;
        private final List<List<R>> results;
        private final Deque<Integer> pending = new ArrayDeque<>();
        private final Map<Member, Integer> free;
        private int remaining;
        private Throwable failure;

        /** {@code fn} is serializable: {@link #map} takes only such functions. */
        Dispatch(Function<T, R> fn, List<T> inputs, int size) {
            this.fn = fn;
            this.inputs = inputs;
            this.size = size;
            int chunks = (inputs.size() + size - 1) / size;
            this.results = new ArrayList<>(Collections.nCopies(chunks, null));
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
                    throw new DispatchException("interrupted while waiting for results", e);
                }
                if (failure != null) {
                    throw failure instanceof DispatchException de
                            ? new DispatchException(de.getMessage(), de.getCause() == null ? de : de.getCause())
                            : new DispatchException("a task failed: " + failure, failure);
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
                        failure = new DispatchException("every cluster member was lost (the last: "
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
     * serialization, its inputs packed by {@link Packing}.
     */
    static final class Chunk<T, R> implements Callable<Results<R>>, Serializable {
        private static final long serialVersionUID = 1L;
        /** Serializable: only {@link #map}'s tasks get here. */
        private final Function<T, R> fn;
        private transient List<T> inputs;
        private final int first;

        Chunk(Function<T, R> fn, List<T> inputs, int first) {
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
                    throw new DispatchException("task " + (first + i) + " (input " + inputs.get(i) + ") failed: "
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
