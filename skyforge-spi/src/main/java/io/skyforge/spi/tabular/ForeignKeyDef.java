package io.skyforge.spi.tabular;

import java.util.List;

public record ForeignKeyDef(String name, List<String> columns, String refTable, List<String> refColumns) {

    public ForeignKeyDef {
        columns = List.copyOf(columns);
        refColumns = List.copyOf(refColumns);
        if (columns.isEmpty() || columns.size() != refColumns.size()) {
            throw new IllegalArgumentException("a foreign key needs as many referenced columns as columns");
        }
    }
}
