package org.poolbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsCsvTest {

    private static final String HEADER = String.join(",", ResultRow.COLUMNS) + "\n";

    @TempDir
    Path dir;

    static ResultRow row(String backend, Double score) {
        return new ResultRow("r1", "scaling", "job", "factorial", backend, 2, 2, 3000L, 0, 64, "avgt", score, 0.25,
                "ms/op", null, null, "ok", null, null);
    }

    @Test
    void writeThenReadGivesEqualRows() throws Exception {
        List<ResultRow> rows = List.of(
                row("thread-pool", 12.5),
                new ResultRow("r1", "io", "download", "download", "virtual-threads", null, 256, null, null, 1000,
                        "avgt", 1.0E-7, null, "ms/op", null, null, "ok", "says \"hi\", with a comma\nand a line break",
                        "fileBytes=1024;latencyMs=20"),
                new ResultRow("r1", "scaling", "job", "squares", "process-per-task", 16, 64, null, null, null, null,
                        null, null, null, null, null, "skipped", "too slow at 4x workers, by design", null),
                new ResultRow(null, null, null, null, null, null, null, Long.MAX_VALUE, null, null, null,
                        123456789.123456789, 3.0, null, 1.9999999999999998, 0.1, null, null, null));
        Path file = dir.resolve("results.csv");
        ResultsCsv.write(file, rows);
        assertEquals(rows, ResultsCsv.read(file));
        assertTrue(Files.readString(file).startsWith(String.join(",", ResultRow.COLUMNS)));
        assertTrue(Files.readString(file).contains("0.0000001"), "plain decimal, no exponent");
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("nope.csv");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> ResultsCsv.read(file));
        assertTrue(e.getMessage().contains("nope.csv") && e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void directoryIsRejected() {
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> ResultsCsv.read(dir));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    @Test
    void missingRequiredColumnIsNamedWithTheRequiredOnes() throws Exception {
        Path file = dir.resolve("results.csv");
        Files.writeString(file, HEADER.replace(",score_error,", ",error,") + "r1,scaling,job,,,,,,,,avgt,1,,ms/op,,,,,\n");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> ResultsCsv.read(file));
        assertTrue(e.getMessage().contains("missing required column 'score_error'"), e.getMessage());
        assertTrue(e.getMessage().contains("run_id, family, benchmark"), e.getMessage());
    }

    @Test
    void badNumberNamesFileLineAndColumn() throws Exception {
        Path file = dir.resolve("results.csv");
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 5; i++) {
            csv.append("r1,scaling,job,factorial,sequential,1,1,300,0,8,avgt,1.5,0.1,ms/op,,,ok,,\n");
        }
        csv.append("r1,scaling,job,factorial,sequential,1,1,300,0,8,avgt,abc,0.1,ms/op,,,ok,,\n"); // line 7
        Files.writeString(file, csv);
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> ResultsCsv.read(file));
        assertEquals(file + " line 7, column 'score': 'abc' is not a number", e.getMessage());
    }

    @Test
    void lineNumbersCountLinesInsideQuotedCells() throws Exception {
        Path file = dir.resolve("results.csv");
        Files.writeString(file, HEADER
                + "r1,scaling,job,factorial,sequential,1,1,300,0,8,avgt,1.5,0.1,ms/op,,,ok,\"two\nlines\",\n"
                + "r1,scaling,job,factorial,sequential,1.5,1,300,0,8,avgt,1.5,0.1,ms/op,,,ok,,\n");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> ResultsCsv.read(file));
        assertEquals(file + " line 4, column 'cores': '1.5' is not an integer", e.getMessage());
    }

    @Test
    void shortRecordIsReported() throws Exception {
        Path file = dir.resolve("results.csv");
        Files.writeString(file, HEADER + "r1,scaling,job\n");
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> ResultsCsv.read(file));
        assertTrue(e.getMessage().contains("line 2: 3 fields, but the header has 19"), e.getMessage());
    }

    @Test
    void optionalColumnsMayBeMissingAndUnknownOnesAreIgnoredInAnyOrder() throws Exception {
        Path file = dir.resolve("results.csv");
        Files.writeString(file, "\uFEFFextra,score," + String.join(",", ResultRow.COLUMNS.subList(0, 11))
                + ",score_error,unit,speedup,efficiency\n"
                + "zzz,2.5,r1,creation,platformThread,,,,,,,,avgt,0.5,us/op,,\n");
        ResultRow r = ResultsCsv.read(file).get(0);
        assertEquals(2.5, r.score());
        assertEquals("platformThread", r.benchmark());
        assertNull(r.status());
        assertTrue(r.measured());
    }

    @Test
    void paramsParse() {
        ResultRow r = new ResultRow(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, "latencyMs=20;fileBytes=1024");
        assertEquals("20", r.param("latencyMs"));
        assertNull(r.param("nope"));
    }
}
