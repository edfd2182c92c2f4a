package io.skyforge.spi.tabular;

import java.util.List;

/**
 * One part to load: rows of {@code table.columns()} as CSV produced by {@code rows}.
 *
 * @param loadId identifies the whole load in the journal (the dataset's spec hash)
 * @param columns the columns the CSV carries, in order (others take their database default)
 */
public record PartLoad(String loadId, TableDef table, List<String> columns, int part, int parts, long expectedRows, RowSource rows) {

    public PartLoad {
        columns = List.copyOf(columns);
        if (part < 0 || part >= parts) {
            throw new IllegalArgumentException("part " + part + " of " + parts);
        }
    }
}
