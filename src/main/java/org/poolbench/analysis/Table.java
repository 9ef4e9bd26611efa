package org.poolbench.analysis;

import java.util.List;

/** The table behind a view: a header and rows of already formatted cells. */
public record Table(List<String> header, List<List<String>> rows) {

    public Table {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
    }
}
