package org.poolbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.poolbench.bench.Affinity;

/**
 * The CPUs this process may run on, and how to pin a child to the first k of them.
 *
 * <p>Pinning restricts the cores for real: the pinned JVM reports k available processors, sizes its GC and JIT
 * threads for k, and the worker JVMs it starts inherit the mask. Restricting only the worker count would leave the
 * JVM's own threads spread over every core.
 */
final class Cpus {

    private final List<Integer> allowed;
    private final boolean canPin;

    private Cpus(List<Integer> allowed, boolean canPin) {
        this.allowed = allowed;
        this.canPin = canPin;
    }

    /** The CPUs of this process, from /proc/self/status; pinning needs taskset on the PATH. */
    static Cpus detect() {
        List<Integer> cpus = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    cpus = parseList(line.substring(line.indexOf(':') + 1).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            cpus = null;
        }
        if (cpus == null || cpus.isEmpty()) {
            cpus = new ArrayList<>();
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                cpus.add(i);
            }
            return new Cpus(cpus, false);
        }
        return new Cpus(cpus, onPath("taskset"));
    }

    /** Parses a Linux CPU list such as {@code 0-3,8,10-11}. */
    static List<Integer> parseList(String list) {
        return Affinity.parseList(list);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** How many CPUs the run may use. */
    int count() {
        return allowed.size();
    }

    /** The run's CPUs as a Linux CPU list ({@code 0,1,2}): what a pinned JMH fork chooses its fastest from. */
    String list() {
        return String.join(",", allowed.stream().map(String::valueOf).toList());
    }

    /** Whether runs can be restricted to fewer cores. */
    boolean canPin() {
        return canPin;
    }

    /** The command prefix that runs a child on the first {@code k} CPUs; empty when k is all of them. */
    List<String> pinPrefix(int k) {
        if (k > allowed.size() || k <= 0) {
            throw new IllegalArgumentException("cannot pin to " + k + " of " + allowed.size() + " CPUs");
        }
        if (k == allowed.size()) {
            return List.of();
        }
        if (!canPin) {
            throw new IllegalStateException("taskset is not available: cannot restrict a run to " + k + " cores");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < k; i++) {
            sb.append(i == 0 ? "" : ",").append(allowed.get(i));
        }
        return List.of("taskset", "-c", sb.toString());
    }

    /** 1, 2, 4, … below {@code max}, then {@code max}: the core counts of a scaling curve. */
    static List<Integer> doublings(int max) {
        List<Integer> out = new ArrayList<>();
        for (int k = 1; k < max; k *= 2) {
            out.add(k);
        }
        out.add(max);
        return out;
    }
}
