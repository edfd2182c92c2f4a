package io.skyforge.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.schema.load.DatasetLoader;
import io.skyforge.schema.load.LoadOptions;
import io.skyforge.schema.load.LoadResult;
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
    void shouldLoadACycleClosedByANotNullDeferrableKeyInOneTransactionCheckedAtCommit() throws Exception {
        withDatabase(url -> {
            // every team needs a captain (NOT NULL), so only deferring the check lets teams go first
            createLeague(url, "NOT NULL", "DEFERRABLE INITIALLY IMMEDIATE", "NULL", "");
            CompiledDataset league = cycle(0, 0.1);
            try (TabularTarget target = TabularProviders.forUrl(url).open(ConnectionConfig.of(url))) {
                LoadResult r = DatasetLoader.load(league, target, new LoadOptions(false, false, false, 3, 2, List.of()), n -> { });
                assertThat(r.loaded()).containsEntry("teams", 300L).containsEntry("players", 3000L);
                assertThat(loadedCaptains(url)).isEqualTo(generatedCaptains(league)).doesNotContainValue(null);
                assertThat(count(url, "SELECT COUNT(*) FROM teams t JOIN players p ON p.player_id = t.captain_id")).isEqualTo(300);
                // the six parts of both tables were one transaction: now() is the same in every journal row
                assertThat(count(url, "SELECT COUNT(DISTINCT loaded_at) FROM skyforge_load_journal")).isEqualTo(1);
                assertThat(count(url, "SELECT COUNT(*) FROM skyforge_load_journal")).isEqualTo(6);
            }
        });
    }

    @Test
    void shouldCreateForeignKeysDeferrableSoACycleOfCreatedTablesLoads() throws Exception {
        withDatabase(url -> {
            CompiledDataset league = cycle(0.1, 0);
            try (TabularTarget target = TabularProviders.forUrl(url).open(ConnectionConfig.of(url))) {
                DatasetLoader.load(league, target, new LoadOptions(true, false, false, 2, 2, List.of()), n -> { });
                assertThat(loadedCaptains(url)).isEqualTo(generatedCaptains(league));
                assertThat(count(url, "SELECT COUNT(*) FROM information_schema.table_constraints"
                        + " WHERE constraint_type = 'FOREIGN KEY' AND is_deferrable = 'YES'")).isEqualTo(2);
            }
        });
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
