package org.poolbench.workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/** The workloads by the names users see, with their default job sizes. */
public final class Workloads {

    /** The names, in the order charts and tables list them. */
    public static final List<String> NAMES = List.of("factorial", "squares", "download");

    private Workloads() {
    }

    /** {@code name} if it names a workload; an {@link IllegalArgumentException} naming the valid choices otherwise. */
    public static String check(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException(
                    "unknown workload '" + name + "'; valid workloads: " + String.join(", ", NAMES));
        }
        return name;
    }

    /**
     * A job of workload {@code name}.
     *
     * @param tasks number of tasks, or 0 for the workload's default (12 factorials, 10^6 squares, 32 files)
     * @param server the download server; used only by {@code download}
     */
    @SuppressWarnings("unchecked")
    public static Workload<Object, Object> create(String name, int tasks, DownloadServer server) {
        if (tasks < 0) {
            throw new IllegalArgumentException("tasks must be >= 0 (0 = default), got " + tasks);
        }
        Workload<?, ?> w = switch (check(name)) {
            case "factorial" -> new Factorial(Factorial.DEFAULT_SIZES, tasks == 0 ? Factorial.DEFAULT_TASKS : tasks);
            case "squares" -> new Squares(tasks == 0 ? Squares.DEFAULT_COUNT : tasks);
            case "download" -> Download.from(server, tasks == 0 ? Download.DEFAULT_FILES : tasks);
            default -> throw new AssertionError(name);
        };
        return (Workload<Object, Object>) w;
    }

    /** A download server with the given knobs, or null when {@code name} is not {@code download}. */
    public static DownloadServer serverFor(String name, int latencyMs, int fileBytes) {
        if (!"download".equals(name)) {
            return null;
        }
        try {
            return DownloadServer.start(Duration.ofMillis(latencyMs), fileBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the download server on 127.0.0.1", e);
        }
    }
}
