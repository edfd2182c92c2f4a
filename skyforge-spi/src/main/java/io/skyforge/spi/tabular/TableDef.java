package io.skyforge.spi.tabular;

import java.util.List;

/**
 * A table to create or load, in portable terms.
 *
 * @param uniques unique column sets other than the primary key
 */
public record TableDef(String name, List<ColumnDef> columns, List<String> primaryKey, List<List<String>> uniques,
                       List<ForeignKeyDef> foreignKeys) {

    public TableDef {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        uniques = uniques.stream().map(List::copyOf).toList();
        foreignKeys = List.copyOf(foreignKeys);
    }

    /** Whether a foreign key of this table points at the table itself. */
    public boolean selfReferencing() {
        return foreignKeys.stream().anyMatch(f -> f.refTable().equals(name));
    }
}
