package org.poolbench.analysis;

import java.util.List;
import java.util.Objects;
import org.poolbench.results.ResultRow;

/** A family without a figure of its own (overhead, for one): its rows as a table. */
public record TableView(String family, Table table) implements View {

    @Override
    public String title() {
        return "Family: " + family;
    }

    @Override
    public List<String> figures() {
        return List.of();
    }

    @Override
    public String lesson() {
        return "";
    }

    static TableView of(String family, List<ResultRow> rows) {
        return new TableView(family, new Table(List.of("benchmark", "backend", "workers", "mode", "score", "unit"),
                rows.stream().map(r -> List.of(Objects.toString(r.benchmark(), ""), Objects.toString(r.backend(), ""),
                        Objects.toString(r.workers(), ""), Objects.toString(r.mode(), ""),
                        Format.number(r.score()) + (r.scoreError() == null ? "" : " ± " + Format.number(r.scoreError())),
                        Objects.toString(r.unit(), ""))).toList()));
    }
}
