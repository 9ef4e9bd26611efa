package org.poolbench.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.poolbench.jvm.JavaBinary;

/**
 * Member JVMs on this machine, started from this JVM's own {@code java} binary and class path
 * ({@code org.poolbench.cluster.Member}), on 127.0.0.1 only, each on a free port.
 *
 * <p>Start-up: the members of a new cluster start in parallel: the first is master at once, the others join only
 * through it (Hazelcast's "required member", TCP-IP, no multicast), so they neither wait for nor race it for
 * mastership. Members added to a running cluster join its first member. Each member maps an AOT cache of a member's
 * classes ({@link MemberAotCache}) when the class path allows one; it is made once, by the first cluster.
 * Each member gets {@code coresPerMember} CPUs of this process's affinity mask to itself, pinned with
 * {@code taskset}, when the mask has enough CPUs and taskset is installed; otherwise members share the CPUs unpinned.
 * A member's executor has as many threads as it has cores ({@code coresPerMember}).
 *
 * <p>Lifetime: every member ends with this object. {@link #close()} closes the members' standard input (they
 * terminate on EOF) and kills any that has not exited within 5 s; a shutdown hook does the same on Ctrl-C or
 * {@code System.exit}, and a member whose parent is killed outright sees EOF and exits too. Each cluster has a name
 * of its own ({@code poolbench-<pid>-<n>-<random>}), so two clusters on one machine never merge; members get it in
 * their environment ({@value Member#CLUSTER_NAME_VARIABLE}), which only their user can read, not on the command line
 * every user sees. The name is no password (Hazelcast's open-source edition authenticates nothing): what keeps other
 * users' code out is the members' deserialization allow-list ({@link ClusterConfigs}), and docs/CLUSTER.md says what
 * it does not cover.
 *
 * <p>Thread safety: the methods are synchronized; {@link #close()} is idempotent.
 */
public final class LocalCluster implements AutoCloseable {

    /** JVM flags of a member: as the pool's workers (serial GC, no perf data, JVM logging off stdout), plus the
     * module openings Hazelcast asks for on JDK 9+ (without them it warns and runs some paths slower). */
    static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    /** How long one member may take from spawn to READY before the start counts as failed. */
    static final long START_TIMEOUT_SECONDS = 60;

    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    private final String name;
    private final int coresPerMember;
    private final List<Integer> cpus;
    private final boolean pin;
    private final Optional<Path> aotCache;
    private final List<Started> members = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread hook;
    private boolean closed;

    /** One running member JVM. */
    private record Started(Process process, HostPort address, Path log, String cpuList) {
    }

    private LocalCluster(int coresPerMember) {
        this.name = "poolbench-" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet() + "-"
                + Long.toHexString(new java.security.SecureRandom().nextLong());
        this.coresPerMember = coresPerMember;
        this.cpus = allowedCpus();
        this.pin = onPath("taskset");
        this.aotCache = prepare();
        this.hook = new Thread(this::killAll, "poolbench-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts {@code members} member JVMs of {@code coresPerMember} cores each and returns once all have joined.
     *
     * @throws IllegalStateException if a member does not start (its stderr's tail is in the message); the members
     *         already started are stopped
     */
    public static LocalCluster start(int members, int coresPerMember) {
        if (members <= 0 || coresPerMember <= 0) {
            throw new IllegalArgumentException("members and coresPerMember must be positive, got " + members + ", "
                    + coresPerMember);
        }
        LocalCluster cluster = new LocalCluster(coresPerMember);
        try {
            cluster.addMembers(members);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** An empty cluster, to which {@link #addMembers} adds the first member. */
    public static LocalCluster empty(int coresPerMember) {
        if (coresPerMember <= 0) {
            throw new IllegalArgumentException("coresPerMember must be positive, got " + coresPerMember);
        }
        return new LocalCluster(coresPerMember);
    }

    /**
     * Makes the member AOT cache for this JVM's java binary and class path if it is not there yet (about 10 s, once;
     * nothing where the class path is not plain jars). Every cluster does this when it is created; benchmarks call
     * it in their setup so no measured start includes it. Returns the cache, if there is one.
     */
    public static Optional<Path> prepare() {
        return MemberAotCache.forClassPath(JavaBinary.command(), System.getProperty("java.class.path"));
    }

    /** True when this cluster's members start with the AOT cache. */
    public boolean usesAotCache() {
        return aotCache.isPresent();
    }

    /** The cluster's name (clients need it). */
    public String name() {
        return name;
    }

    /** The addresses of the running members, in start order. */
    public synchronized List<HostPort> addresses() {
        return members.stream().filter(m -> m.process.isAlive()).map(Started::address).toList();
    }

    /** The pids of the running members, in start order. */
    public synchronized List<Long> pids() {
        return members.stream().filter(m -> m.process.isAlive()).map(m -> m.process.pid()).toList();
    }

    /** Threads in each member's executor. */
    public int coresPerMember() {
        return coresPerMember;
    }

    /**
     * Starts {@code n} more members, in parallel, joining the first; on an empty cluster the first is started with
     * them, as the master the others join through. Returns once every new member has printed READY.
     */
    public synchronized void addMembers(int n) {
        if (closed) {
            throw new IllegalStateException("cluster " + name + " is closed");
        }
        if (n <= 0) {
            return;
        }
        List<Started> starting = new ArrayList<>();
        if (members.isEmpty()) {
            HostPort first = HostPort.loopback(freePort());
            starting.add(spawn(first, List.of(first), first));
            for (int i = 1; i < n; i++) {
                HostPort self = HostPort.loopback(freePort());
                starting.add(spawn(self, List.of(first, self), first));
            }
        } else {
            for (int i = 0; i < n; i++) {
                HostPort self = HostPort.loopback(freePort());
                starting.add(spawn(self, List.of(members.get(0).address, self), null));
            }
        }
        awaitReady(starting);
    }

    /** A client connected to every running member; the caller shuts it down. */
    public HazelcastInstance connectClient() {
        ClusterConfigs.quietLogging(); // the client's INFO chatter would land in JMH's iteration lines
        return HazelcastClient.newHazelcastClient(ClusterConfigs.client(name, addresses(), 30_000));
    }

    /** Kills member {@code index} (start order) with SIGKILL, as a crash would, and waits for it to be gone. */
    public synchronized void kill(int index) throws InterruptedException {
        Process p = members.get(index).process;
        p.destroyForcibly();
        p.waitFor();
    }

    /** Stops the most recently started member that is still running (closes its stdin), and waits for its exit. */
    public synchronized void stopLast() throws InterruptedException {
        for (int i = members.size() - 1; i >= 0; i--) {
            Started m = members.get(i);
            if (m.process.isAlive()) {
                stop(m);
                members.remove(i);
                return;
            }
        }
    }

    /** Stops every member (EOF, then SIGKILL after 5 s) and waits for them; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = false;
        for (Started m : members) {
            closeStdin(m);
        }
        for (Started m : members) {
            try {
                stop(m);
            } catch (InterruptedException e) {
                interrupted = true;
                m.process.destroyForcibly();
            }
        }
        members.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway and finds nothing left
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop(Started m) throws InterruptedException {
        closeStdin(m);
        if (!m.process.waitFor(5, TimeUnit.SECONDS)) {
            m.process.destroyForcibly();
            m.process.waitFor();
        }
        try {
            Files.deleteIfExists(m.log);
        } catch (IOException e) {
            // a temporary file left behind is harmless
        }
    }

    private static void closeStdin(Started m) {
        try {
            m.process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
    }

    private void killAll() {
        for (Started m : members) { // no lock: the thread holding it may be the one stopped
            m.process.destroyForcibly();
            try {
                Files.deleteIfExists(m.log); // a SIGTERM'd run leaves no member log behind in the temp directory
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }

    /** Spawns a member on {@code self} joining {@code join}, only through {@code required} when it is not null. */
    private Started spawn(HostPort self, List<HostPort> join, HostPort required) {
        int index = members.size();
        List<String> cmd = new ArrayList<>();
        String cpuList = cpuListFor(index);
        if (cpuList != null) {
            cmd.addAll(List.of("taskset", "-c", cpuList));
        }
        cmd.add(JavaBinary.command());
        cmd.addAll(FLAGS);
        aotCache.ifPresent(c -> cmd.add("-XX:AOTCache=" + c));
        String allow = System.getProperty(ClusterConfigs.ALLOW_PROPERTY);
        if (allow != null) {
            cmd.add("-D" + ClusterConfigs.ALLOW_PROPERTY + "=" + allow);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Member.class.getName(),
                "--bind", self.host(), "--port", String.valueOf(self.port()),
                "--join", String.join(",", join.stream().map(HostPort::toString).toList()),
                "--pool-size", String.valueOf(coresPerMember), "--exit-on-eof"));
        if (required != null) {
            cmd.addAll(List.of("--required-member", required.toString()));
        }
        try {
            Path log = Files.createTempFile("poolbench-member-", ".log");
            ProcessBuilder b = new ProcessBuilder(cmd).redirectError(log.toFile());
            b.environment().put(Member.CLUSTER_NAME_VARIABLE, name);
            Process p = b.start();
            Started m = new Started(p, self, log, cpuList);
            members.add(m);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a member JVM " + cmd + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(List<Started> starting) {
        List<CompletableFuture<String>> lines = starting.stream().map(m -> CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader r = new BufferedReader(
                        new InputStreamReader(m.process.getInputStream(), StandardCharsets.UTF_8));
                String line = r.readLine();
                return line == null ? "" : line;
            } catch (IOException e) {
                return "";
            }
        }, r -> Thread.ofPlatform().daemon().start(r))).toList();
        for (int i = 0; i < starting.size(); i++) {
            Started m = starting.get(i);
            String line;
            try {
                line = lines.get(i).get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                line = "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while member " + m.address + " started", e);
            }
            if (!line.startsWith("READY")) {
                m.process.destroyForcibly();
                throw new IllegalStateException("member " + m.address + " (pid " + m.process.pid() + ") did not start"
                        + " within " + START_TIMEOUT_SECONDS + " s; its stderr ends: " + tail(m.log));
            }
        }
    }

    /** The CPUs of member {@code index} when pinning is possible, as a taskset list; null otherwise. */
    private String cpuListFor(int index) {
        if (!pin || cpus.size() < (long) (index + 1) * coresPerMember) {
            return null;
        }
        List<Integer> mine = cpus.subList(index * coresPerMember, (index + 1) * coresPerMember);
        return String.join(",", mine.stream().map(String::valueOf).toList());
    }

    /** True when member {@code index} (start order) runs pinned to CPUs of its own. */
    public synchronized boolean pinned(int index) {
        return members.get(index).cpuList != null;
    }

    /** What member {@code index} has written to its stderr so far (its log; deleted when the cluster closes). */
    synchronized String log(int index) throws IOException {
        return Files.readString(members.get(index).log);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** This process's CPUs (its affinity mask), from /proc/self/status; 0..n-1 where that cannot be read. */
    static List<Integer> allowedCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    TreeSet<Integer> out = new TreeSet<>();
                    for (String part : line.substring(line.indexOf(':') + 1).strip().split(",")) {
                        int dash = part.indexOf('-');
                        int from = Integer.parseInt(dash < 0 ? part.strip() : part.substring(0, dash).strip());
                        int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).strip());
                        for (int c = from; c <= to; c++) {
                            out.add(c);
                        }
                    }
                    return List.copyOf(out);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            all.add(i);
        }
        return all;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
