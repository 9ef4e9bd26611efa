package org.poolbench.results;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVPrinter;

/**
 * {@code results.csv}: the tidy table every chart, report and comparison is drawn from.
 *
 * <p>Columns are {@link ResultRow#COLUMNS}. Numbers are written in plain decimal notation (never {@code 1.0E-4}) and
 * read back exactly, so {@code read(write(rows)) equals rows}.
 */
public final class ResultsCsv {

    private ResultsCsv() {
    }

    /** Writes {@code rows} to {@code file} (UTF-8, header first), replacing the file. */
    public static void write(Path file, List<ResultRow> rows) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter printer = new CSVPrinter(out, Csv.WRITE)) {
            printer.printRecord(ResultRow.COLUMNS);
            for (ResultRow row : rows) {
                List<String> cells = new ArrayList<>(ResultRow.COLUMNS.size());
                for (Object cell : row.cells()) {
                    cells.add(format(cell));
                }
                printer.printRecord(cells);
            }
        }
    }

    /**
     * Reads {@code file}. The sixteen DESIGN columns ({@code run_id} … {@code efficiency}) are required, in any order;
     * {@code status, note, params} are optional and unknown columns are ignored. Empty cells become {@code null}.
     *
     * @throws CsvFormatException if the file is missing or unreadable, a required column is missing, or a cell is not
     *                            a number where one is expected; the message names file, line and column
     */
    public static List<ResultRow> read(Path file) throws IOException {
        List<ResultRow> rows = new ArrayList<>();
        for (Csv.Line line : Csv.read(file, ResultRow.COLUMNS.subList(0, ResultRow.REQUIRED))) {
            Cells c = new Cells(file, line);
            rows.add(ResultRow.builder().runId(c.text("run_id")).family(c.text("family"))
                    .benchmark(c.text("benchmark")).workload(c.text("workload")).backend(c.text("backend"))
                    .cores(c.integer("cores")).workers(c.integer("workers")).taskSize(c.longInteger("task_size"))
                    .chunksize(c.integer("chunksize")).tasks(c.integer("tasks")).mode(c.text("mode"))
                    .score(c.number("score")).scoreError(c.number("score_error")).unit(c.text("unit"))
                    .speedup(c.number("speedup")).efficiency(c.number("efficiency")).status(c.text("status"))
                    .note(c.text("note")).params(c.text("params")).build());
        }
        return rows;
    }

    static String format(Object cell) {
        if (cell == null) {
            return "";
        }
        if (cell instanceof Double d) {
            return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : d.toString();
        }
        return cell.toString();
    }

    /** Typed access to one record's cells, with errors that say where. */
    private record Cells(Path file, Csv.Line line) {

        String text(String column) {
            String v = line.cells().get(column);
            return v == null || v.isEmpty() ? null : v;
        }

        Double number(String column) throws CsvFormatException {
            String v = text(column);
            if (v == null) {
                return null;
            }
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw bad(column, v, "a number");
            }
        }

        Integer integer(String column) throws CsvFormatException {
            String v = text(column);
            try {
                return v == null ? null : Integer.valueOf(v);
            } catch (NumberFormatException e) {
                throw bad(column, v, "an integer");
            }
        }

        Long longInteger(String column) throws CsvFormatException {
            String v = text(column);
            try {
                return v == null ? null : Long.valueOf(v);
            } catch (NumberFormatException e) {
                throw bad(column, v, "an integer");
            }
        }

        private CsvFormatException bad(String column, String value, String what) {
            return new CsvFormatException(file + " line " + line.number() + ", column '" + column + "': '" + value
                    + "' is not " + what);
        }
    }
}
