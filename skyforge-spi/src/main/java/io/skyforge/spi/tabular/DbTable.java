package io.skyforge.spi.tabular;

import java.util.List;

/**
 * @param estimatedRows the engine's statistics (PostgreSQL reltuples, MySQL table_rows); -1 when unknown
 * @param checks CHECK constraints as the engine prints them
 */
public record DbTable(String name, List<DbColumn> columns, List<String> primaryKey, List<List<String>> uniques,
                      List<ForeignKeyDef> foreignKeys, List<DbCheck> checks, long estimatedRows) {

    public DbTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        uniques = uniques.stream().map(List::copyOf).toList();
        foreignKeys = List.copyOf(foreignKeys);
        checks = List.copyOf(checks);
    }
}
