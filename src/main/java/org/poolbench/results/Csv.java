package org.poolbench.results;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/** Reads a CSV file with a header into records that know their line number; errors name file, line and column. */
final class Csv {

    /** RFC 4180 with CRLF line ends as commons-csv's DEFAULT; the header is written explicitly. */
    static final CSVFormat WRITE = CSVFormat.DEFAULT.builder().get();

    private static final CSVFormat READ = CSVFormat.DEFAULT.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
            .setIgnoreSurroundingSpaces(true)
            .get();

    /** One data record: its cells by column name and the line it starts on (1-based, the header is line 1). */
    record Line(long number, Map<String, String> cells) {
    }

    private Csv() {
    }

    /**
     * Every data record of {@code file}.
     *
     * @throws CsvFormatException if the file is missing, unreadable, not UTF-8, lacks a column in {@code required},
     *                            or has a malformed record
     */
    static List<Line> read(Path file, List<String> required) throws IOException {
        if (!Files.exists(file)) {
            throw new CsvFormatException(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new CsvFormatException(file + ": is a directory, not a CSV file");
        }
        if (!Files.isReadable(file)) {
            throw new CsvFormatException(file + ": not readable (permission denied)");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new CsvFormatException(file + ": not a UTF-8 text file", e);
        } catch (IOException e) {
            throw new CsvFormatException(file + ": cannot be read: " + e.getMessage(), e);
        }
        if (text.startsWith("\uFEFF")) { // spreadsheet programs write a byte-order mark
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new CsvFormatException(file + ": empty file; expected a header line with the columns "
                    + String.join(", ", required));
        }
        try (Reader reader = new java.io.StringReader(text); CSVParser parser = CSVParser.parse(reader, READ)) {
            List<String> header = parser.getHeaderNames();
            for (String column : required) {
                if (!header.contains(column)) {
                    throw new CsvFormatException(file + ": missing required column '" + column
                            + "'; required columns: " + String.join(", ", required));
                }
            }
            List<Line> lines = new ArrayList<>();
            Iterator<CSVRecord> records = parser.iterator();
            while (true) {
                // The parser reads a record only on hasNext(), so the count of lines read so far is where it starts.
                long start = parser.getCurrentLineNumber() + 1;
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw new CsvFormatException(file + " line " + start + ": malformed CSV: "
                            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
                }
                if (record.size() != header.size()) {
                    throw new CsvFormatException(file + " line " + start + ": " + record.size()
                            + " fields, but the header has " + header.size());
                }
                Map<String, String> cells = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    cells.put(header.get(i), record.get(i));
                }
                lines.add(new Line(start, cells));
            }
            return lines;
        } catch (IllegalArgumentException e) { // duplicate or empty header names
            throw new CsvFormatException(file + " line 1: bad header: " + e.getMessage(), e);
        }
    }
}
