package org.poolbench.analysis;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.poolbench.results.ResultRow;

/** The order in which legends and tables list backends, and the name a row's series goes by. */
public final class BackendOrder {

    /** Every known backend, in the order legends and tables list them. */
    public static final List<String> NAMES = List.of("sequential", "thread-pool", "fork-join", "virtual-threads",
            "thread-per-task", "process-pool", "process-pool-shm", "process-per-task", "cluster", "py-sequential", "py-thread-pool",
            "py-process-pool", "py-process-pool[spawn]", "py-process-pool[forkserver]", "py-process-pool-executor",
            "py-process-per-task");

    /** Series names ({@code backend} or {@code backend, variant}) by backend order, then by name. */
    public static final Comparator<String> SERIES = Comparator.comparingInt((String b) -> order(b.split(",")[0]))
            .thenComparing(Comparator.naturalOrder());

    private BackendOrder() {
    }

    /** Position of {@code backend} in {@link #NAMES} (unknown ones last). */
    public static int order(String backend) {
        int i = NAMES.indexOf(backend);
        return i < 0 ? NAMES.size() : i;
    }

    /**
     * The name a row's series goes by in charts and tables: its backend, plus its chunk size where {@code rows} hold
     * the same backend at several chunk sizes (CPython's {@code Pool.map} with its own chunks and with chunksize 1).
     */
    public static String seriesName(ResultRow r, List<ResultRow> rows) {
        long chunkSizes = rows.stream().filter(o -> Objects.equals(o.backend(), r.backend()))
                .map(ResultRow::chunksize).distinct().count();
        if (chunkSizes < 2 || r.chunksize() == null) {
            return r.backend();
        }
        return r.backend() + ", chunksize " + (r.chunksize() == 0 ? "auto" : r.chunksize());
    }
}
