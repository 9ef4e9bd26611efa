package org.poolbench.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.poolbench.results.ResultRow;

/** How numbers, times, speedups and points are written everywhere: charts, captions, report, compare. */
public final class Format {

    private Format() {
    }

    /** A number as a reader writes it: no trailing zeros, thousands grouped. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        double a = Math.abs(v);
        String s = a >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : a >= 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.3g", v);
        return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** A time given in µs, in the unit a reader would pick. */
    public static String duration(double micros) {
        if (micros >= 1e6) {
            return number(micros / 1e6) + " s";
        }
        if (micros >= 1e3) {
            return number(micros / 1e3) + " ms";
        }
        if (micros >= 1) {
            return number(micros) + " µs";
        }
        return number(micros * 1e3) + " ns";
    }

    /** A speedup or ratio: {@code 1.44×}, {@code 14.1×}. */
    public static String times(double speedup) {
        return String.format(Locale.ROOT, speedup >= 10 ? "%.1f×" : "%.2f×", speedup);
    }

    /** A percentage with no more digits than it deserves: {@code 7 %}, {@code 0.4 %}. */
    public static String percent(double fraction) {
        return number(fraction * 100) + " %";
    }

    /** A name made safe for a file name: {@code io concurrency/x} → {@code io-concurrency-x}. */
    public static String fileName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "").toLowerCase(Locale.ROOT);
    }

    /** A point in words: {@code scaling/run, factorial, thread-pool, 2 cores, 2 workers}. */
    public static String describe(ResultRow r) {
        List<String> parts = new ArrayList<>();
        parts.add(r.family() + "/" + r.benchmark());
        if (r.workload() != null) {
            parts.add(r.workload());
        }
        if (r.backend() != null) {
            parts.add(r.backend());
        }
        if (r.cores() != null) {
            parts.add(r.cores() + (r.cores() == 1 ? " core" : " cores"));
        }
        if (r.workers() != null) {
            parts.add(r.workers() + (r.workers() == 1 ? " worker" : " workers"));
        }
        if (r.taskSize() != null) {
            parts.add("task size " + r.taskSize());
        }
        if (r.chunksize() != null) {
            parts.add("chunksize " + r.chunksize());
        }
        if (r.params() != null) {
            parts.add(r.params());
        }
        return String.join(", ", parts);
    }
}
