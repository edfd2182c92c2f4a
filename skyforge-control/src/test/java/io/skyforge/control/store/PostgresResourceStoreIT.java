package io.skyforge.control.store;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The store contract on the machine's PostgreSQL; each test gets its own database, created through
 * the {@code postgres} maintenance database and dropped afterwards.
 */
class PostgresResourceStoreIT extends ResourceStoreContract {

    static final String SERVER = System.getProperty("skyforge.pg.url", "jdbc:postgresql://127.0.0.1:5432/");
    static final String PARAMS = "?user=postgres";

    private String database;

    static Connection maintenance() {
        try {
            return DriverManager.getConnection(SERVER + "postgres" + PARAMS);
        } catch (SQLException e) {
            assumeFalse(Boolean.getBoolean("skyforge.skipServices"),
                    "PostgreSQL not reachable; skipped because -Dskyforge.skipServices=true");
            return fail("PostgreSQL not reachable on 127.0.0.1:5432 — start it with: "
                    + "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (" + e.getMessage() + ")");
        }
    }

    @Override
    protected String newDatabase() throws SQLException {
        String name = "skyforge_store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = maintenance(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        database = name;
        return SERVER + name + PARAMS;
    }

    @Override
    protected void dropDatabase() throws SQLException {
        if (database == null) {
            return;
        }
        try (Connection c = maintenance(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        database = null;
    }
}
