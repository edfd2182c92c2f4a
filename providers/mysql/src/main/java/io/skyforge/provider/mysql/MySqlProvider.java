package io.skyforge.provider.mysql;

import io.skyforge.spi.tabular.ConnectionConfig;
import io.skyforge.spi.tabular.TabularProvider;
import io.skyforge.spi.tabular.TabularTarget;

/**
 * MySQL and MariaDB through MariaDB Connector/J (which speaks to both): schema from
 * information_schema, loading through {@code LOAD DATA LOCAL INFILE} fed from memory.
 */
public final class MySqlProvider implements TabularProvider {

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public boolean accepts(String jdbcUrl) {
        return jdbcUrl != null && (jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.startsWith("jdbc:mariadb:"));
    }

    @Override
    public TabularTarget open(ConnectionConfig config) {
        return new MySqlTarget(config);
    }
}
