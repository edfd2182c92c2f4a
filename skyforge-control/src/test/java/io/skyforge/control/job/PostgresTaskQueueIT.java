package io.skyforge.control.job;

import io.skyforge.control.store.JdbcResourceStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

class PostgresTaskQueueIT extends TaskQueueContract {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private String database;

    private static Connection maintenance() {
        try {
            return DriverManager.getConnection(SERVER + "postgres?user=postgres");
        } catch (SQLException e) {
            Assumptions.assumeFalse(Boolean.getBoolean("skyforge.skipServices"), "PostgreSQL not reachable");
            return Assertions.fail("PostgreSQL not reachable on 127.0.0.1:5432 — start it with: "
                    + "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (" + e.getMessage() + ")");
        }
    }

    @Override
    protected JdbcResourceStore openStore() throws SQLException {
        database = "skyforge_tasks_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = maintenance(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        return JdbcResourceStore.open(SERVER + database + "?user=postgres");
    }

    @Override
    protected void dropStore() throws SQLException {
        try (Connection c = maintenance(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}
