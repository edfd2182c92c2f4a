package io.skyforge.spi.tabular;

/**
 * Entry point of a database provider, found with {@link java.util.ServiceLoader}: one per engine
 * family (PostgreSQL; MySQL and MariaDB). {@link TabularProviders} picks the one that accepts a URL.
 */
public interface TabularProvider {

    /** A short name for messages, e.g. {@code postgresql}. */
    String name();

    /** Whether this provider handles the JDBC URL (by its scheme, e.g. {@code jdbc:postgresql:}). */
    boolean accepts(String jdbcUrl);

    /**
     * Connects (bounded by {@link ConnectionConfig#connectTimeoutSeconds()}) and checks the credentials.
     *
     * @throws io.skyforge.spi.error.SkyforgeException UNAVAILABLE when unreachable, UNAUTHORIZED on bad credentials
     */
    TabularTarget open(ConnectionConfig config);
}
