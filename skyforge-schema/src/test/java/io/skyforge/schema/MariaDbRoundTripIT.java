package io.skyforge.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.schema.load.DatasetLoader;
import io.skyforge.schema.load.LoadOptions;
import io.skyforge.schema.mapping.SchemaMapper;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.tabular.ConnectionConfig;
import io.skyforge.spi.tabular.TabularProviders;
import io.skyforge.spi.tabular.TabularTarget;
import java.util.List;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class MariaDbRoundTripIT extends DatabaseRoundTripIT {

    @Override
    String adminUrl() {
        return "jdbc:mariadb://127.0.0.1:3306/?user=root&connectTimeout=5000";
    }

    @Override
    String url(String database) {
        return "jdbc:mariadb://127.0.0.1:3306/" + database + "?user=root";
    }

    @Override
    String ddlSuffix() {
        return "mariadb";
    }

    @Override
    String q(String ident) {
        return "`" + ident + "`";
    }

    @Override
    void createDatabase(Statement admin, String name) throws SQLException {
        admin.execute("CREATE DATABASE " + name);
    }

    @Override
    void dropDatabase(Statement admin, String name) throws SQLException {
        admin.execute("DROP DATABASE IF EXISTS " + name);
    }

    @Override
    String howToStart() {
        return "MariaDB is not reachable on 127.0.0.1:3306 as root: start it (e.g. `service mariadb start`)"
                + " or pass -Dskyforge.skipServices=true on a laptop";
    }

    @Test
    void shouldRejectAWrongPasswordWithoutPrintingIt() {
        String url = url("mysql");
        ConnectionConfig config = new ConnectionConfig(url, "root", "s3cret-Pa55", 10, 1);
        assertThatThrownBy(() -> TabularProviders.forUrl(url).open(config))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
                    assertThat(e.getMessage()).doesNotContain("s3cret-Pa55");
                });
    }

    /** The same database through a jdbc:mysql:// URL, which MySQL Connector/J serves (MariaDB speaks its protocol). */
    static String mysqlUrl(String mariadbUrl) {
        return "jdbc:mysql:" + mariadbUrl.substring("jdbc:mariadb:".length());
    }

    @Test
    void shouldImportAndLoadASchemaThroughAJdbcMysqlUrlWithMySqlConnectorJ() throws Exception {
        withDatabase(url -> {
            applyDdl(url, schemaFile("clinic", ddlSuffix()));
            String mysql = mysqlUrl(url);
            assertThat(java.sql.DriverManager.getDriver(mysql).getClass().getName()).startsWith("com.mysql.cj.");
            for (String variant : List.of(mysql, mysql + "&allowLoadLocalInfile=false")) {
                try (TabularTarget target = TabularProviders.forUrl(variant).open(ConnectionConfig.of(variant))) {
                    assertThat(target.engine()).isEqualTo("mariadb");
                    CompiledDataset compiled = compile(SchemaMapper.map(target.readSchema(null, List.of()),
                            new SchemaMapper.Options("clinic", false, 700, false, 3)));
                    DatasetLoader.load(compiled, target, new LoadOptions(false, false, true, 2, 2, List.of()), n -> { });
                    for (var t : compiled.tables()) {
                        assertThat(target.rowCount(t.name())).as(variant + ": " + t.name()).isEqualTo(t.rows());
                    }
                    assertThat(count(url, "SELECT COUNT(*) FROM visit v JOIN slot s USING (doctor_id, slot_no)")).isEqualTo(700);
                }
            }
        });
    }

    @Test
    void shouldBreakAForeignKeyCycleThroughMySqlConnectorJToo() throws Exception {
        withDatabase(url -> assertCycleLoadsNullFirst(url, mysqlUrl(url)));
    }

    @Test
    void shouldLoadThroughBatchedInsertsWhenLocalInfileIsNotAllowed() throws Exception {
        withDatabase(url -> {
            applyDdl(url, schemaFile("clinic", ddlSuffix()));
            String noInfile = url + "&allowLocalInfile=false";
            try (TabularTarget target = TabularProviders.forUrl(noInfile).open(ConnectionConfig.of(noInfile))) {
                CompiledDataset compiled = compile(SchemaMapper.map(target.readSchema(null, List.of()),
                        new SchemaMapper.Options("clinic", false, 700, false, 3)));
                DatasetLoader.load(compiled, target, new LoadOptions(false, false, false, 2, 2, List.of()), n -> { });
                for (var t : compiled.tables()) {
                    assertThat(target.rowCount(t.name())).as(t.name()).isEqualTo(t.rows());
                }
                assertThat(count(url, "SELECT COUNT(*) FROM visit v JOIN slot s USING (doctor_id, slot_no)")).isEqualTo(700);
            }
        });
    }
}
