package org.poolbench.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.poolbench.results.CsvFormatException;
import org.poolbench.results.IterationsCsv;
import org.poolbench.results.NoiseCsv;

/**
 * How far the machine's own speed moved during one or more runs: the spread of the machine probe's readings in their
 * {@code noise.csv}, taken before and after each JMH invocation while no benchmark ran ({@code bench.MachineProbe}).
 *
 * <p>The spread is the readings' 95th percentile over their 5th, minus one, so a single odd reading does not set it.
 * The probe has two measures, which drift differently. The arithmetic's drift is how much the cores themselves
 * moved, which every workload feels, and the same code run twice differs by at least that much: {@code compare}
 * takes the larger of it and {@link Comparison#DEFAULT_THRESHOLD} as its noise threshold unless told otherwise. The
 * copy's drift shows memory bandwidth shared with other guests; it moves in phases of seconds to minutes, often by
 * half or more. Its spread over a run is reported for the reader, not used as a threshold, since a point measured in
 * a calm minute is not slowed by a busy one elsewhere in the run; instead {@link #copyRatios} gives, point by point,
 * how far the copy moved between two runs around the invocation that measured it, and {@code compare} allows a point
 * to move that far without calling it a change (docs/METHODOLOGY.md, "Comparing two runs").
 *
 * @param measure  which of the probe's measures
 * @param low      the readings' 5th percentile, ms
 * @param high     their 95th percentile, ms
 * @param readings how many readings there were
 */
public record MachineDrift(Measure measure, double low, double high, int readings) {

    /** iterations.csv's metric of a machine reading taken after each iteration (the CPython program's). */
    public static final String PROBE_METRIC = "machine.factorial";

    /** Fewer readings than this give no drift: a spread of three numbers says little. */
    public static final int MIN_READINGS = 6;

    /** The probe's two measures, with their noise.csv column prefix and the words a reader sees. */
    public enum Measure {
        SPIN("spin", "a fixed arithmetic loop"), COPY("copy", "a 64 MiB copy");

        private final String column;
        private final String words;

        Measure(String column, String words) {
            this.column = column;
            this.words = words;
        }
    }

    /** The drift of these readings (ms), or {@code null} if there are fewer than {@link #MIN_READINGS}. */
    public static MachineDrift of(Measure measure, List<Double> millis) {
        double[] ms = millis.stream().mapToDouble(Double::doubleValue).filter(v -> v > 0 && Double.isFinite(v))
                .toArray();
        if (ms.length < MIN_READINGS) {
            return null;
        }
        Percentile p = new Percentile().withEstimationType(EstimationType.R_7);
        return new MachineDrift(measure, p.evaluate(ms, 5), p.evaluate(ms, 95), ms.length);
    }

    /**
     * One measure's drift over all readings of these {@code noise.csv} files, or {@code null} if they have too few
     * (absent files, or runs made before the probe, count as none).
     */
    public static MachineDrift of(Measure measure, Path... noiseCsvs) throws IOException {
        List<Double> all = new ArrayList<>();
        for (Path file : noiseCsvs) {
            all.addAll(readings(file, measure));
        }
        return of(measure, all);
    }

    /** One measure's readings in a run's {@code noise.csv}; none if the file is absent or older than the probe. */
    static List<Double> readings(Path noiseCsv, Measure measure) throws IOException {
        List<Double> out = new ArrayList<>();
        if (!Files.isRegularFile(noiseCsv)) {
            return out;
        }
        for (Map<String, String> row : NoiseCsv.read(noiseCsv)) {
            out.addAll(aroundInvocation(noiseCsv, row, measure));
        }
        return out;
    }

    /** One noise.csv row's readings of {@code measure}, before and after its invocation (none if not taken). */
    private static List<Double> aroundInvocation(Path noiseCsv, Map<String, String> row, Measure measure)
            throws CsvFormatException {
        List<Double> out = new ArrayList<>(2);
        for (String when : List.of("_ms_before", "_ms_after")) {
            String column = measure.column + when;
            String cell = row.get(column);
            if (cell != null && !cell.isEmpty()) {
                try {
                    out.add(Double.valueOf(cell));
                } catch (NumberFormatException e) {
                    throw new CsvFormatException(noiseCsv + ", invocation " + row.get("invocation") + ", column '"
                            + column + "': '" + cell + "' is not a number of milliseconds");
                }
            }
        }
        return out;
    }

    /**
     * How much longer the copy took in run B than in run A around the invocation that measured each point: B's mean
     * copy reading (before and after its invocation) over A's, keyed by {@link IterationsCsv.Iteration#pointKey()}.
     * Below 1, B's machine moved memory faster. Points whose invocation either run did not record, or whose
     * invocation has no copy readings, are absent; runs made before either was recorded give an empty map.
     */
    public static Map<List<Object>, Double> copyRatios(List<IterationsCsv.Iteration> iterationsA, Path noiseA,
                                                       List<IterationsCsv.Iteration> iterationsB, Path noiseB)
            throws IOException {
        Map<Integer, Double> copyA = meanByInvocation(noiseA, Measure.COPY);
        Map<Integer, Double> copyB = meanByInvocation(noiseB, Measure.COPY);
        Map<List<Object>, Integer> invocationA = invocations(iterationsA);
        Map<List<Object>, Double> out = new LinkedHashMap<>();
        invocations(iterationsB).forEach((point, invB) -> {
            Integer invA = invocationA.get(point);
            Double a = invA == null ? null : copyA.get(invA);
            Double b = copyB.get(invB);
            if (a != null && b != null && a > 0 && b > 0) {
                out.put(point, b / a);
            }
        });
        return out;
    }

    /**
     * B's mean machine reading over A's per point: the readings a run took after each of the point's iterations
     * (metric {@link #PROBE_METRIC}, the CPython program's: the slowest of the iteration's CPUs computing a fixed
     * factorial), keyed by {@link IterationsCsv.Iteration#pointKey()}. Points without readings in either run are
     * absent; runs made before the readings give an empty map.
     */
    public static Map<List<Object>, Double> probeRatios(List<IterationsCsv.Iteration> iterationsA,
                                                        List<IterationsCsv.Iteration> iterationsB) {
        Map<List<Object>, double[]> a = IterationsCsv.valuesByPoint(iterationsA, PROBE_METRIC);
        Map<List<Object>, Double> out = new LinkedHashMap<>();
        IterationsCsv.valuesByPoint(iterationsB, PROBE_METRIC).forEach((point, b) -> {
            double[] readingsA = a.get(point);
            if (readingsA != null && readingsA.length > 0 && b.length > 0) {
                double meanA = Arrays.stream(readingsA).average().orElseThrow();
                double meanB = Arrays.stream(b).average().orElseThrow();
                if (meanA > 0 && meanB > 0) {
                    out.put(point, meanB / meanA);
                }
            }
        });
        return out;
    }

    /** Each point's invocation, from its iterations; points without one are absent. */
    private static Map<List<Object>, Integer> invocations(List<IterationsCsv.Iteration> iterations) {
        Map<List<Object>, Integer> out = new HashMap<>();
        for (IterationsCsv.Iteration it : iterations) {
            if (it.invocation() != null) {
                out.putIfAbsent(it.pointKey(), it.invocation());
            }
        }
        return out;
    }

    /** Per invocation of a noise.csv, the mean of its readings of {@code measure}; empty if the file is absent. */
    static Map<Integer, Double> meanByInvocation(Path noiseCsv, Measure measure) throws IOException {
        Map<Integer, Double> out = new HashMap<>();
        if (!Files.isRegularFile(noiseCsv)) {
            return out;
        }
        for (Map<String, String> row : NoiseCsv.read(noiseCsv)) {
            List<Double> ms = aroundInvocation(noiseCsv, row, measure);
            if (ms.isEmpty()) {
                continue;
            }
            try {
                out.put(Integer.valueOf(row.get("invocation")),
                        ms.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
            } catch (NumberFormatException e) {
                throw new CsvFormatException(noiseCsv + ", column 'invocation': '" + row.get("invocation")
                        + "' is not an invocation number");
            }
        }
        return out;
    }

    /** The spread as a fraction: 0.2 means the slow readings took 20 % longer than the fast ones. */
    public double spread() {
        return high / low - 1;
    }

    /** One phrase, e.g. "machine drift 12 % (a 64 MiB copy took 9.1–10.2 ms, 5th–95th percentile of 58 readings)". */
    public String describe() {
        return String.format(Locale.ROOT, "machine drift %s (%s took %.1f–%.1f ms, 5th–95th percentile of %d"
                + " readings)", Format.percent(spread()), measure.words, low, high, readings);
    }
}
