package io.skyforge.datagen.spec;

import java.util.List;
import java.util.Optional;

/**
 * One table of a dataset.
 *
 * @param path where it sits in the document (e.g. {@code spec.tables[1]}), for error locations
 */
public record TableSpec(String name, String path, RowsSpec rows, String locale, List<String> primaryKey, List<ColumnSpec> columns) {

    public TableSpec {
        primaryKey = List.copyOf(primaryKey);
        columns = List.copyOf(columns);
    }

    public Optional<ColumnSpec> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }
}
