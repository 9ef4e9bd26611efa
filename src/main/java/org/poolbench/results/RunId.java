package org.poolbench.results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Names runs: a UTC timestamp such as {@code 20261122-031500}, so that runs sort by time. */
public final class RunId {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private RunId() {
    }

    /**
     * A run id whose directory does not exist under {@code resultsRoot}: the current UTC time, with {@code -2},
     * {@code -3}, … appended when runs start within the same second. The directory is not created; callers create it
     * with {@link Files#createDirectory}, which fails rather than reuse a directory another process made meanwhile.
     */
    public static String next(Path resultsRoot) {
        return next(resultsRoot, Clock.systemUTC());
    }

    static String next(Path resultsRoot, Clock clock) {
        String base = FORMAT.format(clock.instant());
        String id = base;
        for (int n = 2; Files.exists(resultsRoot.resolve(id)); n++) {
            id = base + "-" + n;
        }
        return id;
    }
}
