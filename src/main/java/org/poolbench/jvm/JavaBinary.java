package org.poolbench.jvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code java} binary of the JVM running this code: every child JVM the project starts (pool workers, cluster
 * members, JMH's forks, manager servers, benchmark children) is started with it, so parent and children are the same
 * JDK. Not an API.
 */
public final class JavaBinary {

    private JavaBinary() {
    }

    /**
     * This JVM's {@code java} binary: the executable this process was started from, where the OS reports it and it is
     * an executable file; otherwise {@code $java.home/bin/java}. Never null; the fallback is not checked for
     * existence (a JVM whose {@code java.home} has no {@code bin/java} cannot start children anyway, and the start
     * then fails with the path in its message).
     */
    public static Path current() {
        return choose(ProcessHandle.current().info().command(), System.getProperty("java.home"));
    }

    /** {@link #current()} as a string, for a {@link ProcessBuilder} command. */
    public static String command() {
        return current().toString();
    }

    /** The rule of {@link #current()}: {@code command} if it names an executable file, else {@code javaHome/bin/java}. */
    static Path choose(Optional<String> command, String javaHome) {
        return command.map(Path::of).filter(Files::isExecutable)
                .orElseGet(() -> Path.of(javaHome, "bin", "java"));
    }
}
