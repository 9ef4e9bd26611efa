package org.poolbench.results;

import java.io.IOException;

/** A CSV file that cannot be used; the message names the file and, where it applies, the line and column. */
public class CsvFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public CsvFormatException(String message) {
        super(message);
    }

    public CsvFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
