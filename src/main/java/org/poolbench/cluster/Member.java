package org.poolbench.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * One cluster member JVM: {@code java -cp benchmarks.jar org.poolbench.cluster.Member --bind HOST --port PORT
 * [--join HOST:PORT,...] [--required-member HOST:PORT] [--pool-size N] [--cluster-name NAME] [--exit-on-eof]}.
 *
 * <p>The cluster name comes from {@code --cluster-name}, else the environment variable
 * {@value #CLUSTER_NAME_VARIABLE} (what {@link LocalCluster} uses: another user's {@code ps} shows the command line,
 * not the environment), else {@value ClusterConfigs#DEFAULT_CLUSTER_NAME}. It only keeps clusters apart; it is no
 * password. The member deserializes only what {@link ClusterConfigs} allows.
 *
 * <p>Starts a Hazelcast member on exactly {@code HOST:PORT} (see {@link ClusterConfigs#member}), with the executor
 * {@link ClusterConfigs#EXECUTOR} of {@code N} threads (default: this JVM's available processors), and prints one
 * line {@code READY HOST:PORT} on standard output once it has joined. With {@code --required-member} it joins only
 * through that member (or is the master at once, if that is itself; see {@link ClusterConfigs#member(String,
 * HostPort, List, int, HostPort)}): how {@link LocalCluster} starts its members in parallel. With {@code --exit-on-eof} (how
 * {@link LocalCluster} starts it) the member ends when its standard input closes, so it never outlives the JVM that
 * started it, even one killed with SIGKILL. Without it, it runs until it is stopped (Ctrl-C ends it cleanly).
 *
 * <p>A bad argument prints one line naming it and exits with status 2.
 */
public final class Member {

    /** The environment variable a member takes its cluster name from when there is no {@code --cluster-name}. */
    public static final String CLUSTER_NAME_VARIABLE = "POOLBENCH_CLUSTER_NAME";

    private Member() {
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("poolbench member: " + e.getMessage());
            System.exit(2);
            return;
        }
        HazelcastInstance hz;
        try {
            hz = start(o);
        } catch (RuntimeException e) {
            System.err.println("poolbench member: cannot start on " + o.self + ": " + e);
            System.exit(1);
            return;
        }
        System.out.println("READY " + o.self + " pool-size=" + o.poolSize);
        System.out.flush();
        if (o.exitOnEof) {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // nothing is sent; the parent only closes the pipe (or dies)
                }
            } catch (IOException e) {
                // a broken pipe is an end too
            }
            hz.getLifecycleService().terminate();
            System.exit(0);
        }
    }

    /** Starts the member {@code o} describes, with quiet logging; returns once it has joined its cluster. */
    public static HazelcastInstance start(Options o) {
        ClusterConfigs.quietLogging();
        return Hazelcast.newHazelcastInstance(
                ClusterConfigs.member(o.clusterName, o.self, o.join, o.poolSize, o.requiredMember));
    }

    /** The member's command line, parsed and checked. */
    public record Options(String clusterName, HostPort self, List<HostPort> join, int poolSize, boolean exitOnEof,
            HostPort requiredMember) {

        static final String USAGE = "valid options: --bind HOST, --port PORT, --join HOST:PORT,..., "
                + "--required-member HOST:PORT, --pool-size N, --cluster-name NAME, --exit-on-eof";

        /** Options without a required member. */
        public Options(String clusterName, HostPort self, List<HostPort> join, int poolSize, boolean exitOnEof) {
            this(clusterName, self, join, poolSize, exitOnEof, null);
        }

        public static Options parse(String... args) {
            String bind = "127.0.0.1";
            int port = ClusterConfigs.DEFAULT_PORT;
            String join = null;
            String required = null;
            int poolSize = Runtime.getRuntime().availableProcessors();
            String name = System.getenv().getOrDefault(CLUSTER_NAME_VARIABLE, ClusterConfigs.DEFAULT_CLUSTER_NAME);
            boolean exitOnEof = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--exit-on-eof")) {
                    exitOnEof = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown or incomplete argument '" + a + "'; " + USAGE);
                }
                String v = args[++i];
                switch (a) {
                    case "--bind" -> bind = v;
                    case "--port" -> port = positive(a, v);
                    case "--join" -> join = v;
                    case "--required-member" -> required = v;
                    case "--pool-size" -> poolSize = positive(a, v);
                    case "--cluster-name" -> name = v;
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "'; " + USAGE);
                }
            }
            HostPort self = new HostPort(bind, port);
            List<HostPort> members = join == null ? List.of(self) : HostPort.parseList(join);
            HostPort requiredMember = null;
            if (required != null) {
                List<HostPort> one = HostPort.parseList(required);
                if (one.size() != 1) {
                    throw new IllegalArgumentException("--required-member: '" + required + "' is not one HOST:PORT");
                }
                requiredMember = one.get(0);
            }
            return new Options(name, self, members, poolSize, exitOnEof, requiredMember);
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new IllegalArgumentException(option + ": '" + value + "' is not a positive integer");
        }
    }
}
