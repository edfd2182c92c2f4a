package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The "done when" of issue 5 through the real command line: import, edit, generate into PostgreSQL. */
class SchemaCommandIT {

    static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&connectTimeout=5";

    @TempDir
    Path tmp;

    String db;
    String url;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void createDatabase() throws Exception {
        db = "sf_cli_" + Long.toHexString(System.nanoTime());
        url = "jdbc:postgresql://127.0.0.1:5432/" + db + "?user=postgres";
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        String ddl = Files.readString(Path.of("..", "examples", "schemas", "clinic.postgresql.sql")).replaceAll("(?m)^--.*$", "");
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            for (String s : ddl.split(";")) {
                if (!s.isBlank()) {
                    st.execute(s);
                }
            }
        }
    }

    @AfterEach
    void dropDatabase() throws Exception {
        if (db != null) {
            try (Connection c = admin(); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    private static Connection admin() {
        try {
            return DriverManager.getConnection(ADMIN);
        } catch (SQLException e) {
            Assumptions.assumeFalse(Boolean.getBoolean("skyforge.skipServices"), "PostgreSQL down, skipped");
            throw new AssertionError("PostgreSQL is not reachable on 127.0.0.1:5432 as postgres: start it (e.g. `service postgresql start`)"
                    + " or pass -Dskyforge.skipServices=true on a laptop", e);
        }
    }

    static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void shouldImportEditAndLoadTheSameDatabase() throws Exception {
        Run imported = run("schema", "import", "--jdbc", url, "--rows", "300");
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).startsWith("# Imported by `skyforge schema import`")
                .contains("kind: Dataset", "name: visit", "kind: reference", "group: visit_doctor_id_slot_no_fkey", "- no_show");
        Path spec = tmp.resolve("clinic.yaml");
        // a user edits one row count
        Files.writeString(spec, imported.out().replaceFirst("(- name: patient\\n    rows: )300", "$1400"));

        Run loaded = run("generate", spec.toString(), "--out", url, "--partitions", "3");

        assertThat(loaded.code()).as(loaded.err()).isZero();
        assertThat(loaded.out()).contains("loaded", "rows into 6 table(s)");
        assertThat(count(url, "SELECT count(*) FROM patient")).isEqualTo(400);
        assertThat(count(url, "SELECT count(*) FROM visit v JOIN slot s USING (doctor_id, slot_no)")).isEqualTo(300);
        // the next application insert gets a fresh key
        assertThat(count(url, "INSERT INTO patient (first_name, last_name, birth_date, national_id) VALUES ('a', 'b', '2000-01-01', 'ABCDEF') RETURNING patient_id"))
                .isEqualTo(401);

        Run again = run("generate", spec.toString(), "--out", url, "--seed", "9");
        assertThat(again.code()).isEqualTo(Main.USER_ERROR);
        assertThat(again.err()).contains("SF-CONFLICT", "--truncate");

        Run truncated = run("generate", spec.toString(), "--out", url, "--seed", "9", "--truncate");
        assertThat(truncated.code()).as(truncated.err()).isZero();
        assertThat(count(url, "SELECT count(*) FROM patient")).isEqualTo(400);
    }

    @Test
    void shouldImportOnlyTheNamedTablesAndNameAnUnknownOne() {
        Run r = run("schema", "import", "--jdbc", url, "--tables", "patient,department");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("name: patient", "name: department").doesNotContain("name: visit", "name: doctor");

        Run unknown = run("schema", "import", "--jdbc", url, "--tables", "patient,nosuch");
        assertThat(unknown.code()).isEqualTo(Main.USER_ERROR);
        assertThat(unknown.err()).contains("SF-NOT-FOUND", "nosuch");
    }

    @Test
    void shouldNameTheMissingPasswordVariable() {
        Run r = run("schema", "import", "--jdbc", url, "--password-env", "SKYFORGE_SURELY_UNSET_VAR");
        assertThat(r.code()).isEqualTo(Main.USER_ERROR);
        assertThat(r.err()).contains("SF-MISSING-VARIABLE", "SKYFORGE_SURELY_UNSET_VAR");
    }

    @Test
    void shouldReportAPermissionDeniedTable() throws Exception {
        String role = "sf_reader_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN");
            st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
        }
        try {
            Path spec = tmp.resolve("clinic.yaml");
            Files.writeString(spec, run("schema", "import", "--jdbc", url, "--rows", "10").out());
            Run r = run("generate", spec.toString(), "--out", url.replace("user=postgres", "user=" + role));
            assertThat(r.code()).as(r.out()).isNotZero();
            assertThat(r.err()).contains("SF-ACCESS-DENIED");
        } finally {
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute("DROP OWNED BY " + role);
                st.execute("DROP ROLE " + role);
            }
        }
    }
}
