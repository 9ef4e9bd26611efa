package org.poolbench.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.poolbench.results.NoiseCsv;

/**
 * How far the machine's own speed moved during one or more runs: the spread of the machine probe's readings in their
 * {@code noise.csv}, taken before and after each JMH invocation while no benchmark ran ({@code bench.MachineProbe}).
 *
 * <p>The spread is the readings' 95th percentile over their 5th, minus one, so a single odd reading does not set it.
 * The probe has two measures, which drift differently. The arithmetic's drift is how much the cores themselves
 * moved, which every workload feels, and the same code run twice differs by at least that much: {@code compare}
 * takes the larger of it and {@link Comparison#DEFAULT_THRESHOLD} as its noise threshold unless told otherwise. The
 * copy's drift shows memory bandwidth shared with other guests; it moves in phases of seconds, often by half or
 * more, and is reported for the reader, not used as a threshold: an instant of contention says little about a
 * benchmark averaged over a minute (docs/METHODOLOGY.md, "Comparing two runs").
 *
 * @param measure  which of the probe's measures
 * @param low      the readings' 5th percentile, ms
 * @param high     their 95th percentile, ms
 * @param readings how many readings there were
 */
public record MachineDrift(Measure measure, double low, double high, int readings) {

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
            for (String when : List.of("_ms_before", "_ms_after")) {
                String cell = row.get(measure.column + when);
                if (cell != null && !cell.isEmpty()) {
                    out.add(Double.valueOf(cell));
                }
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
