package io.skyforge.server;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Creates and drops a PostgreSQL database of its own for a test, on the machine's server. */
final class TestDatabases {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final String PARAMS = "?user=postgres";

    private TestDatabases() {
    }

    static String createPostgres(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = maintenance(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    static String url(String database) {
        return SERVER + database + PARAMS;
    }

    static void dropPostgres(String database) {
        try (Connection c = maintenance(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection maintenance() throws SQLException {
        try {
            return DriverManager.getConnection(SERVER + "postgres" + PARAMS);
        } catch (SQLException e) {
            assumeFalse(Boolean.getBoolean("skyforge.skipServices"),
                    "PostgreSQL not reachable; skipped because -Dskyforge.skipServices=true");
            return fail("PostgreSQL not reachable on 127.0.0.1:5432 — start it with: "
                    + "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (" + e.getMessage() + ")");
        }
    }
}
