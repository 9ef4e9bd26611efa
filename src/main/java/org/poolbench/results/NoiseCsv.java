package org.poolbench.results;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVPrinter;

/**
 * {@code noise.csv}: how busy the machine was around each JMH invocation, so a reader can tell a noisy point from a
 * slow backend. One row per invocation, appended as each ends (a run that fails keeps the rows so far).
 *
 * <p>Columns: {@code invocation} (1-based, in run order), {@code family}, {@code benchmarks} (JMH's include pattern),
 * {@code params} (the invocation's description), {@code cores}, {@code start_time}, {@code end_time} (ISO-8601 UTC),
 * {@code load1_before}, {@code load1_after} (1-minute load average, {@code /proc/loadavg}), {@code busy_pct} and
 * {@code steal_pct} (share of all CPUs' time, over the whole invocation, that was not idle or iowait, and that the
 * hypervisor gave to someone else: deltas of the {@code cpu} line of {@code /proc/stat}). Busy includes the benchmark
 * itself: with k of n cores pinned, about {@code 100 × k / n} is the benchmark's own share. A value that cannot be
 * read (no {@code /proc}) is an empty cell. {@code spin_ms_before}, {@code spin_ms_after}, {@code copy_ms_before},
 * {@code copy_ms_after}: the machine's speed just before and after, while no benchmark ran ({@code bench.MachineProbe}):
 * the time one thread took for a fixed piece of arithmetic, and for copying 64 MiB. Their spread over a run is the
 * machine's drift, which {@code compare} uses as its noise threshold. Files written before these columns existed are
 * still read; their cells are then missing.
 */
public final class NoiseCsv {

    /** The columns, in file order. */
    public static final List<String> COLUMNS = List.of("invocation", "family", "benchmarks", "params", "cores",
            "start_time", "end_time", "load1_before", "load1_after", "busy_pct", "steal_pct", "spin_ms_before",
            "spin_ms_after", "copy_ms_before", "copy_ms_after");

    /** The columns a file must have: those of runs made before the spin probe. */
    static final List<String> REQUIRED = COLUMNS.subList(0, COLUMNS.indexOf("spin_ms_before"));

    private NoiseCsv() {
    }

    /**
     * What {@code /proc} says at one instant.
     *
     * @param time when it was read
     * @param load1 the 1-minute load average, or {@code null}
     * @param cpuTicks the {@code cpu} line of {@code /proc/stat} (user nice system idle iowait irq softirq steal …),
     *                 or {@code null}
     * @param spinMs the machine probe's arithmetic time, or {@code null} if none was taken
     * @param copyMs the machine probe's copy time, or {@code null}
     */
    public record Sample(Instant time, Double load1, long[] cpuTicks, Double spinMs, Double copyMs) {

        public Sample(Instant time, Double load1, long[] cpuTicks) {
            this(time, load1, cpuTicks, null, null);
        }

        /** This sample with a machine probe reading taken at the same moment. */
        public Sample withProbe(double spinMs, double copyMs) {
            return new Sample(time, load1, cpuTicks, spinMs, copyMs);
        }

        /** Reads {@code /proc/loadavg} and {@code /proc/stat} now. */
        public static Sample now() {
            return read(Path.of("/proc"));
        }

        /** Reads {@code loadavg} and {@code stat} under {@code proc} (a directory laid out like {@code /proc}). */
        static Sample read(Path proc) {
            Double load1 = null;
            long[] ticks = null;
            try {
                load1 = Double.valueOf(Files.readString(proc.resolve("loadavg")).trim().split("\\s+")[0]);
            } catch (IOException | RuntimeException e) {
                // not Linux, or unreadable: the cell stays empty
            }
            try {
                for (String line : Files.readAllLines(proc.resolve("stat"))) {
                    if (line.startsWith("cpu ")) {
                        String[] f = line.trim().split("\\s+");
                        ticks = new long[f.length - 1];
                        for (int i = 1; i < f.length; i++) {
                            ticks[i - 1] = Long.parseLong(f[i]);
                        }
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                ticks = null;
            }
            return new Sample(Instant.now(), load1, ticks);
        }
    }

    /** {busy %, steal %} of all CPUs between two samples, or {@code null} if either has no CPU times. */
    static double[] busyAndSteal(Sample before, Sample after) {
        if (before.cpuTicks() == null || after.cpuTicks() == null || before.cpuTicks().length < 4
                || after.cpuTicks().length != before.cpuTicks().length) {
            return null;
        }
        long[] a = before.cpuTicks();
        long[] b = after.cpuTicks();
        // guest and guest_nice (fields 9 and 10) are already counted in user and nice
        int counted = Math.min(a.length, 8);
        long total = 0;
        for (int i = 0; i < counted; i++) {
            total += b[i] - a[i];
        }
        if (total <= 0) {
            return null;
        }
        long idle = (b[3] - a[3]) + (counted > 4 ? b[4] - a[4] : 0);
        long steal = counted > 7 ? b[7] - a[7] : 0;
        return new double[] {100.0 * (total - idle) / total, 100.0 * steal / total};
    }

    /** Appends one invocation's row to {@code file}, writing the header first if the file is new or empty. */
    public static void append(Path file, int invocation, String family, String benchmarks, String params, int cores,
            Sample before, Sample after) throws IOException {
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        double[] cpu = busyAndSteal(before, after);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
             CSVPrinter printer = new CSVPrinter(out, Csv.WRITE)) {
            if (fresh) {
                printer.printRecord(COLUMNS);
            }
            printer.printRecord(invocation, family, benchmarks, params, cores, before.time(), after.time(),
                    number(before.load1()), number(after.load1()), cpu == null ? "" : number(cpu[0]),
                    cpu == null ? "" : number(cpu[1]), millis(before.spinMs()), millis(after.spinMs()),
                    millis(before.copyMs()), millis(after.copyMs()));
        }
    }

    private static String millis(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.3f", d);
    }

    private static String number(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.2f", d);
    }

    /**
     * Reads {@code noise.csv} back: one map of column → cell per row (empty cells as empty strings; the probe columns
     * are absent in files written before them).
     *
     * @throws CsvFormatException if the file is unreadable or a column is missing
     */
    public static List<java.util.Map<String, String>> read(Path file) throws IOException {
        return Csv.read(file, REQUIRED).stream().map(Csv.Line::cells).toList();
    }
}
