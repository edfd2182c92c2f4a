package io.skyforge.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.schema.mapping.SchemaMapper;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.tabular.ConnectionConfig;
import io.skyforge.spi.tabular.TabularProviders;
import io.skyforge.spi.tabular.TabularTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresRoundTripIT extends DatabaseRoundTripIT {

    @Override
    String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&connectTimeout=5";
    }

    @Override
    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres";
    }

    @Override
    String ddlSuffix() {
        return "postgresql";
    }

    @Override
    String q(String ident) {
        return "\"" + ident + "\"";
    }

    @Override
    void createDatabase(Statement admin, String name) throws SQLException {
        admin.execute("CREATE DATABASE " + name);
    }

    @Override
    void dropDatabase(Statement admin, String name) throws SQLException {
        admin.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    @Override
    String howToStart() {
        return "PostgreSQL is not reachable on 127.0.0.1:5432 as postgres: start it (e.g. `service postgresql start`)"
                + " or pass -Dskyforge.skipServices=true on a laptop";
    }

    @Test
    void shouldNameEveryUngeneratableColumnUnlessLenient() throws Exception {
        withDatabase(url -> {
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE doc (id serial PRIMARY KEY, body bytea NOT NULL, span interval)");
            }
            try (TabularTarget t = TabularProviders.forUrl(url).open(ConnectionConfig.of(url))) {
                var schema = t.readSchema(null, List.of());
                assertThatThrownBy(() -> SchemaMapper.map(schema, SchemaMapper.Options.defaults("doc")))
                        .isInstanceOfSatisfying(SkyforgeException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
                            assertThat(e.violations()).extracting(v -> v.path()).containsExactly("doc.body", "doc.span");
                        });
                var lenient = SchemaMapper.map(schema, new SchemaMapper.Options("doc", false, 10, true, 1));
                assertThat(lenient.toString()).contains("left out").contains("generated as short text");
            }
        });
    }
}
