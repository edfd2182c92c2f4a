package io.skyforge.datagen.writer;

import java.util.Locale;

/** SQL dialects of the INSERT writer: identifier quoting and string escaping differ. */
public enum SqlDialect {
    POSTGRESQL,
    MYSQL;

    public static SqlDialect parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "postgresql", "postgres", "pg" -> POSTGRESQL;
            case "mysql", "mariadb" -> MYSQL;
            default -> throw new IllegalArgumentException("unknown SQL dialect '" + s + "'; one of postgresql, mysql");
        };
    }

    public String quote(String identifier) {
        return this == MYSQL ? "`" + identifier.replace("`", "``") + "`" : "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
