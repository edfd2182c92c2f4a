package io.skyforge.server;

import org.junit.jupiter.api.AfterAll;

/** The REST API on the machine's PostgreSQL, in a database of its own. */
class PostgresServerApiIT extends AbstractServerApiIT {

    private String database;

    @Override
    String dbUrl() {
        database = TestDatabases.createPostgres("skyforge_api");
        return TestDatabases.url(database);
    }

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            TestDatabases.dropPostgres(database);
        }
    }
}
