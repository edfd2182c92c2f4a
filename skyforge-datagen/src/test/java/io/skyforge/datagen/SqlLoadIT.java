package io.skyforge.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.SqlDdl;
import io.skyforge.datagen.writer.SqlDialect;
import io.skyforge.datagen.writer.WriterOptions;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The SQL writer's output executes on the real PostgreSQL and MariaDB servers and reads back as
 * the engine's values: quoting and escaping (quotes, backslashes, line breaks, CJK, emoji), decimals,
 * dates, timestamps, booleans and NULLs, in statements split across parts.
 */
class SqlLoadIT {

    @Test
    void shouldLoadIntoPostgresql() throws Exception {
        load(SqlDialect.POSTGRESQL, "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres",
                db -> "jdbc:postgresql://127.0.0.1:5432/" + db + "?user=postgres", "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0");
    }

    @Test
    void shouldLoadIntoMariadb() throws Exception {
        load(SqlDialect.MYSQL, "jdbc:mariadb://127.0.0.1:3306/?user=root",
                db -> "jdbc:mariadb://127.0.0.1:3306/" + db + "?user=root&allowMultiQueries=true",
                "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }

    interface Url {
        String of(String db);
    }

    private void load(SqlDialect dialect, String adminUrl, Url dbUrl, String createDb) throws Exception {
        String db = "skyforge_datagen_it_" + ProcessHandle.current().pid();
        Connection admin;
        try {
            admin = DriverManager.getConnection(adminUrl);
        } catch (SQLException e) {
            if (Boolean.getBoolean("skyforge.skipServices")) {
                Assumptions.abort("skipped: " + dialect + " not reachable");
            }
            fail(dialect + " is not reachable at " + adminUrl + " (" + e.getMessage() + "); start the local server "
                    + "(PostgreSQL on 127.0.0.1:5432 with trust auth, MariaDB on 127.0.0.1:3306 root without password), "
                    + "or pass -Dskyforge.skipServices=true on a laptop");
            return;
        }
        try (admin; Statement a = admin.createStatement()) {
            a.execute("DROP DATABASE IF EXISTS " + db);
            a.execute(createDb.formatted(db));
            try {
                check(dialect, dbUrl.of(db));
            } finally {
                a.execute("DROP DATABASE IF EXISTS " + db);
            }
        }
    }

    private void check(SqlDialect dialect, String url) throws Exception {
        CompiledDataset ds = Specs.compile(FormatRoundTripTest.TRICKY);
        CompiledTable t = ds.table("tricky");
        List<List<String>> want = Gen.cells(ds, "tricky");
        WriterOptions o = WriterOptions.of(Format.SQL).withDialect(dialect).withSqlBatch(250);
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(SqlDdl.createTable(t, dialect));
            // three parts with boundaries off the batch grid, each a script of its own
            long[] cuts = {0, 1111, 2000, t.rows()};
            for (int i = 0; i + 1 < cuts.length; i++) {
                String script = new String(Gen.bytes(ds, "tricky", cuts[i], cuts[i + 1], o, 2, 300), StandardCharsets.UTF_8);
                if (dialect == SqlDialect.POSTGRESQL) {
                    st.execute(script);
                } else {
                    for (String stmt : script.split(";\n(?=INSERT INTO )")) {
                        st.execute(stmt.endsWith(";\n") ? stmt.substring(0, stmt.length() - 2) : stmt);
                    }
                }
            }
            String q = dialect.quote("tricky");
            try (ResultSet rs = st.executeQuery("SELECT " + String.join(", ", List.of("id", "text", "amount", "small", "flag", "n", "day", "at", "uid", "who")
                    .stream().map(dialect::quote).toList()) + " FROM " + q + " ORDER BY " + dialect.quote("id"))) {
                int i = 0;
                while (rs.next()) {
                    List<String> w = want.get(i++);
                    assertThat(rs.getLong(1)).isEqualTo(Long.parseLong(w.get(0)));
                    assertThat(rs.getString(2)).as("row %d text", i).isEqualTo(w.get(1));
                    BigDecimal amount = rs.getBigDecimal(3);
                    assertThat(amount == null ? null : amount.toPlainString()).isEqualTo(w.get(2));
                    assertThat(rs.getBigDecimal(4).toPlainString()).isEqualTo(w.get(3));
                    boolean flag = rs.getBoolean(5);
                    assertThat(rs.wasNull() ? null : Boolean.toString(flag)).isEqualTo(w.get(5));
                    assertThat(Integer.toString(rs.getInt(6))).isEqualTo(w.get(6));
                    assertThat(rs.getObject(7, LocalDate.class)).isEqualTo(LocalDate.parse(w.get(7)));
                    assertThat(rs.getObject(8, LocalDateTime.class)).isEqualTo(LocalDateTime.parse(w.get(8).replace(' ', 'T')));
                    assertThat(rs.getString(9)).isEqualTo(w.get(10));
                    assertThat(rs.getString(10)).isEqualTo(w.get(12));
                }
                assertThat(i).isEqualTo(t.rows());
            }
        }
    }
}
