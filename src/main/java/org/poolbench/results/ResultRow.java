package org.poolbench.results;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code results.csv}: one measured (or deliberately skipped) point. See {@code docs/ARCHITECTURE.md} for
 * what each column means per family.
 *
 * <p>{@code null} means an empty cell (the column does not apply). Blank strings are normalised to {@code null}, so
 * a row written by {@link ResultsCsv#write} reads back {@link #equals equal}.
 *
 * @param params every JMH {@code @Param} without a column of its own, as {@code key=value;key=value}
 */
public record ResultRow(String runId, String family, String benchmark, String workload, String backend,
                        Integer cores, Integer workers, Long taskSize, Integer chunksize, Integer tasks, String mode,
                        Double score, Double scoreError, String unit, Double speedup, Double efficiency,
                        String status, String note, String params) {

    /** The CSV columns, in file order; the first sixteen are required by {@link ResultsCsv#read}. */
    public static final List<String> COLUMNS = List.of(
            "run_id", "family", "benchmark", "workload", "backend", "cores", "workers", "task_size", "chunksize",
            "tasks", "mode", "score", "score_error", "unit", "speedup", "efficiency", "status", "note", "params");

    /** The number of required columns at the front of {@link #COLUMNS}. */
    static final int REQUIRED = 16;

    /** {@code status} of a measured point. */
    public static final String OK = "ok";
    /** {@code status} of a point left out by design; {@code note} says why. */
    public static final String SKIPPED = "skipped";

    public ResultRow {
        runId = blankToNull(runId);
        family = blankToNull(family);
        benchmark = blankToNull(benchmark);
        workload = blankToNull(workload);
        backend = blankToNull(backend);
        mode = blankToNull(mode);
        unit = blankToNull(unit);
        status = blankToNull(status);
        note = blankToNull(note);
        params = blankToNull(params);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** True unless the row is marked skipped or has no score: only such rows are drawn and compared. */
    public boolean measured() {
        return score != null && !SKIPPED.equals(status);
    }

    /** The {@code params} cell as an ordered map (empty if there are none). */
    public Map<String, String> paramMap() {
        if (params == null) {
            return Collections.emptyMap();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : params.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            } else if (!pair.isBlank()) {
                map.put(pair.trim(), "");
            }
        }
        return map;
    }

    /** The value of {@code key} in {@code params}, or {@code null}. */
    public String param(String key) {
        return paramMap().get(key);
    }

    /** {@code params} written from a map as {@code key=value;key=value} (null when empty). */
    public static String formatParams(Map<String, String> map) {
        if (map.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        map.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ";").append(k).append('=').append(v));
        return sb.toString();
    }

    /** This row with speedup and efficiency replaced. */
    public ResultRow withSpeedup(Double newSpeedup, Double newEfficiency) {
        return toBuilder().speedup(newSpeedup).efficiency(newEfficiency).build();
    }

    /** A builder for a new row; every cell starts empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this row's cells, to change some of them by name. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.runId = runId;
        b.family = family;
        b.benchmark = benchmark;
        b.workload = workload;
        b.backend = backend;
        b.cores = cores;
        b.workers = workers;
        b.taskSize = taskSize;
        b.chunksize = chunksize;
        b.tasks = tasks;
        b.mode = mode;
        b.score = score;
        b.scoreError = scoreError;
        b.unit = unit;
        b.speedup = speedup;
        b.efficiency = efficiency;
        b.status = status;
        b.note = note;
        b.params = params;
        return b;
    }

    /** Builds a row cell by cell, by column name, so no caller passes nineteen arguments by position. */
    public static final class Builder {
        private String runId;
        private String family;
        private String benchmark;
        private String workload;
        private String backend;
        private Integer cores;
        private Integer workers;
        private Long taskSize;
        private Integer chunksize;
        private Integer tasks;
        private String mode;
        private Double score;
        private Double scoreError;
        private String unit;
        private Double speedup;
        private Double efficiency;
        private String status;
        private String note;
        private String params;

        private Builder() {
        }

        public Builder runId(String v) { runId = v; return this; }
        public Builder family(String v) { family = v; return this; }
        public Builder benchmark(String v) { benchmark = v; return this; }
        public Builder workload(String v) { workload = v; return this; }
        public Builder backend(String v) { backend = v; return this; }
        public Builder cores(Integer v) { cores = v; return this; }
        public Builder workers(Integer v) { workers = v; return this; }
        public Builder taskSize(Long v) { taskSize = v; return this; }
        public Builder chunksize(Integer v) { chunksize = v; return this; }
        public Builder tasks(Integer v) { tasks = v; return this; }
        public Builder mode(String v) { mode = v; return this; }
        public Builder score(Double v) { score = v; return this; }
        public Builder scoreError(Double v) { scoreError = v; return this; }
        public Builder unit(String v) { unit = v; return this; }
        public Builder speedup(Double v) { speedup = v; return this; }
        public Builder efficiency(Double v) { efficiency = v; return this; }
        public Builder status(String v) { status = v; return this; }
        public Builder note(String v) { note = v; return this; }
        public Builder params(String v) { params = v; return this; }

        public ResultRow build() {
            return new ResultRow(runId, family, benchmark, workload, backend, cores, workers, taskSize, chunksize,
                    tasks, mode, score, scoreError, unit, speedup, efficiency, status, note, params);
        }
    }

    /**
     * What identifies a measured point across runs: every column that describes the point, none that describes the
     * measurement ({@code run_id, mode, score, score_error, unit, speedup, efficiency, status, note}).
     */
    public List<Object> pointKey() {
        return Arrays.asList(family, benchmark, workload, backend, cores, workers, taskSize, chunksize, tasks, params);
    }

    /** The cells in {@link #COLUMNS} order, {@code null} for empty. */
    List<Object> cells() {
        return Arrays.asList(runId, family, benchmark, workload, backend, cores, workers, taskSize, chunksize, tasks,
                mode, score, scoreError, unit, speedup, efficiency, status, note, params);
    }
}
