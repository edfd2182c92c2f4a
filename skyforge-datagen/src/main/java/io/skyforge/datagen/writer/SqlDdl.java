package io.skyforge.datagen.writer;

import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.spec.ColumnType;
import java.util.ArrayList;
import java.util.List;

/** {@code CREATE TABLE} statements matching what the SQL writer inserts. */
public final class SqlDdl {

    private SqlDdl() {
    }

    public static String createTable(CompiledTable table, SqlDialect dialect) {
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(dialect.quote(table.name())).append(" (\n");
        List<String> lines = new ArrayList<>();
        for (int c : table.visibleColumns()) {
            String name = table.columnName(c);
            lines.add("  " + dialect.quote(name) + " " + type(table.type(c), dialect)
                    + (table.primaryKey().contains(name) ? " NOT NULL" : ""));
        }
        if (!table.primaryKey().isEmpty()) {
            lines.add("  PRIMARY KEY (" + String.join(", ", table.primaryKey().stream().map(dialect::quote).toList()) + ")");
        }
        return sb.append(String.join(",\n", lines)).append("\n);\n").toString();
    }

    static String type(ColumnType t, SqlDialect d) {
        boolean my = d == SqlDialect.MYSQL;
        return switch (t.kind()) {
            case BOOLEAN -> "BOOLEAN";
            case INT -> "INT";
            case BIGINT -> "BIGINT";
            case DECIMAL -> "DECIMAL(" + t.precision() + "," + t.scale() + ")";
            case DOUBLE -> my ? "DOUBLE" : "DOUBLE PRECISION";
            case VARCHAR -> t.length() > 0 ? "VARCHAR(" + t.length() + ")" : my ? "TEXT" : "VARCHAR";
            case TEXT -> "TEXT";
            case DATE -> "DATE";
            case TIME -> my ? "TIME(6)" : "TIME";
            case TIMESTAMP -> my ? "DATETIME(6)" : "TIMESTAMP";
            case UUID -> my ? "CHAR(36)" : "UUID";
            case JSON -> my ? "JSON" : "JSONB";
        };
    }
}
