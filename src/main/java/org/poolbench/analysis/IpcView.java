package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.poolbench.results.ResultRow;

/**
 * Messages between threads and between processes: round-trip latency and one-way throughput against message size,
 * 8 B to 1 MiB, log–log, per transport; a plain memory copy as the reference for throughput; and many producers
 * sending one consumer ({@code manyProducers}): messages per second against the number of producers, one Queue
 * against a Pipe per producer.
 *
 * @param latency    per (backend, transport): x = message bytes, y = µs per round trip
 * @param throughput per (backend, transport): x = message bytes, y = MB/s
 * @param producers  per (backend, transport): x = producers k, y = messages per second (empty if not measured)
 */
public record IpcView(List<Series> latency, List<Series> throughput, List<Series> producers, String caption,
        String lesson, Table table) implements View {

    public static final String LATENCY_FIGURE = "ipc-latency";
    public static final String THROUGHPUT_FIGURE = "ipc-throughput";
    public static final String PRODUCERS_FIGURE = "ipc-producers";
    static final String MANY_PRODUCERS = "manyProducers";

    @Override
    public String title() {
        return "Messages: queues, pipes, shared memory, managers";
    }

    @Override
    public List<String> figures() {
        return producers.isEmpty() ? List.of(LATENCY_FIGURE, THROUGHPUT_FIGURE)
                : List.of(LATENCY_FIGURE, THROUGHPUT_FIGURE, PRODUCERS_FIGURE);
    }

    private static String name(ResultRow r) {
        return r.backend() + ": " + Objects.toString(r.param("transport"), "copy");
    }

    private static Double bytes(ResultRow r) {
        return Rows.parse(r.param("messageBytes"));
    }

    private static List<Series> series(List<ResultRow> rows, boolean megabytesPerSecond) {
        Map<String, TreeMap<Double, ResultRow>> byName = new TreeMap<>();
        rows.forEach(r -> byName.computeIfAbsent(name(r), n -> new TreeMap<>()).putIfAbsent(bytes(r), r));
        List<Series> out = new ArrayList<>();
        byName.forEach((n, points) -> out.add(new Series(n, points.firstEntry().getValue().backend(),
                points.entrySet().stream().map(e -> {
                    double us = Rows.micros(e.getValue());
                    double y = megabytesPerSecond ? e.getKey() / us : us; // bytes per µs = MB/s
                    return new Point(e.getKey(), y, Rows.scaledError(y, e.getValue()));
                }).toList())));
        return out;
    }

    /** Messages per second against producers k, per (backend, transport). */
    private static List<Series> producerSeries(List<ResultRow> rows) {
        Map<String, TreeMap<Integer, ResultRow>> byName = new TreeMap<>();
        rows.forEach(r -> byName.computeIfAbsent(name(r), n -> new TreeMap<>()).putIfAbsent(r.workers(), r));
        List<Series> out = new ArrayList<>();
        byName.forEach((n, points) -> out.add(new Series(n, points.firstEntry().getValue().backend(),
                points.entrySet().stream().map(e -> {
                    double y = 1e6 / Rows.micros(e.getValue());
                    return new Point(e.getKey(), y, Rows.scaledError(y, e.getValue()));
                }).toList())));
        return out;
    }

    /** The ipc family's view, if its rows give one. */
    public static List<View> views(FamilyRows in) {
        return Viewer.some(of(in.own(), in.env(), in.skipped()));
    }

    static IpcView of(List<ResultRow> family, Map<String, String> env, long skipped) {
        List<ResultRow> usable = family.stream().filter(r -> bytes(r) != null && Rows.micros(r) != null).toList();
        List<ResultRow> roundTrips = usable.stream().filter(r -> r.benchmark().endsWith("RoundTrip")).toList();
        List<ResultRow> streams = usable.stream().filter(r -> r.benchmark().endsWith("Stream")
                || "memoryCopy".equals(r.benchmark())).toList();
        List<ResultRow> many = usable.stream().filter(r -> MANY_PRODUCERS.equals(r.benchmark())
                && r.workers() != null).toList();
        if (roundTrips.isEmpty() && streams.isEmpty() && many.isEmpty()) {
            return null;
        }
        List<String> lessons = new ArrayList<>();
        Optional<ResultRow> sync = at(roundTrips, "threads", "synchronous-queue", 8);
        Optional<ResultRow> fastest = roundTrips.stream().filter(r -> "processes".equals(r.backend())
                && Objects.equals(bytes(r), 8.0)).min(Comparator.comparing(Rows::micros));
        if (sync.isPresent() && fastest.isPresent()) {
            lessons.add("8-byte round trip: between threads (SynchronousQueue) " + Format.duration(Rows.micros(sync.get()))
                    + ", between processes at best " + Format.duration(Rows.micros(fastest.get())) + " ("
                    + fastest.get().param("transport") + ", " + Format.times(Rows.micros(fastest.get())
                    / Rows.micros(sync.get())) + ")");
        }
        Optional<ResultRow> manager = at(roundTrips, "processes", "manager", 8);
        Optional<ResultRow> ring = at(roundTrips, "processes", "ring", 8);
        if (manager.isPresent() && ring.isPresent()) {
            lessons.add("a Manager round trip costs " + Format.times(Rows.micros(manager.get()) / Rows.micros(ring.get()))
                    + " the shared-memory ring's");
        }
        Optional<ResultRow> ringStream = at(streams, "processes", "ring", 1_048_576);
        Optional<ResultRow> copy = streams.stream().filter(r -> "memoryCopy".equals(r.benchmark())
                && Objects.equals(bytes(r), 1_048_576.0)).findFirst();
        if (ringStream.isPresent() && copy.isPresent()) {
            lessons.add("1 MiB messages through the ring move at " + Format.number(1_048_576 / Rows.micros(ringStream.get()))
                    + " MB/s, a memory copy at " + Format.number(1_048_576 / Rows.micros(copy.get())) + " MB/s");
        }
        for (String backend : List.of("processes", "py-processes")) {
            String queue = backend.equals("processes") ? "ring" : "queue";
            many.stream().filter(r -> backend.equals(r.backend()) && queue.equals(r.param("transport")))
                    .max(Comparator.comparing(ResultRow::workers)).ifPresent(q -> many.stream()
                            .filter(r -> backend.equals(r.backend()) && "pipes".equals(r.param("transport"))
                                    && q.workers().equals(r.workers()) && Objects.equals(bytes(r), bytes(q)))
                            .findFirst().ifPresent(p -> lessons.add(q.workers() + " producers to one consumer ("
                                    + backend + "): one " + queue + " " + Format.number(1e6 / Rows.micros(q))
                                    + " msg/s, a pipe each " + Format.number(1e6 / Rows.micros(p)) + " msg/s")));
        }
        List<List<String>> lines = usable.stream()
                .sorted(Comparator.comparing(IpcView::name).thenComparing(r -> r.benchmark())
                        .thenComparing(IpcView::bytes)
                        .thenComparing(r -> r.workers() == null ? 0 : r.workers()))
                .map(r -> List.of(name(r), MANY_PRODUCERS.equals(r.benchmark()) ? r.benchmark() + " (k = "
                                + r.workers() + ")" : r.benchmark(), Format.number(bytes(r)),
                        r.benchmark().endsWith("RoundTrip") ? Format.duration(Rows.micros(r))
                                : MANY_PRODUCERS.equals(r.benchmark()) ? Format.number(1e6 / Rows.micros(r)) + " msg/s"
                                : Format.number(bytes(r) / Rows.micros(r)) + " MB/s")).toList();
        String caption = Caption.of(env, usable, "Threads hand over a reference; processes copy every byte."
                + " Error bars: 99.9 % CI.", skipped);
        return new IpcView(series(roundTrips, false), series(streams, true), producerSeries(many), caption,
                lessons.isEmpty() ? "" : String.join("; ", lessons) + ".",
                new Table(List.of("transport", "benchmark", "bytes", "round trip or throughput"), lines));
    }

    private static Optional<ResultRow> at(List<ResultRow> rows, String backend, String transport, double size) {
        return rows.stream().filter(r -> backend.equals(r.backend()) && transport.equals(r.param("transport"))
                && Objects.equals(bytes(r), size)).findFirst();
    }
}
