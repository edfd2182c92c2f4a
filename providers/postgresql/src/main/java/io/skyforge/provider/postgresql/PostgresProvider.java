package io.skyforge.provider.postgresql;

import io.skyforge.spi.tabular.ConnectionConfig;
import io.skyforge.spi.tabular.TabularProvider;
import io.skyforge.spi.tabular.TabularTarget;

/** PostgreSQL: schema from pg_catalog, loading through {@code COPY ... FROM STDIN}. */
public final class PostgresProvider implements TabularProvider {

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean accepts(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
    }

    @Override
    public TabularTarget open(ConnectionConfig config) {
        return new PostgresTarget(config);
    }
}
