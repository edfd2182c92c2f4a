package io.skyforge.spi.tabular;

import java.util.List;

/**
 * What a live database declares, as read by a provider: the input of schema import.
 *
 * @param engine postgresql, mariadb or mysql
 * @param schema the schema (PostgreSQL) or database (MySQL) read
 */
public record DatabaseSchema(String engine, String schema, List<DbTable> tables) {

    public DatabaseSchema {
        tables = List.copyOf(tables);
    }
}
