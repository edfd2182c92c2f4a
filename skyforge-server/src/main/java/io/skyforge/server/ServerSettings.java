package io.skyforge.server;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to start the control plane.
 *
 * @param port       0 picks a free port (tests)
 * @param address    interface to bind; loopback unless the operator opens it up
 * @param dataDir    holds the embedded database, the admin token and the secret key
 * @param dbUrl      null for the embedded H2 in the data dir, else a {@code jdbc:postgresql://} URL
 * @param configFile null, or a YAML file whose {@code storage_providers:} and {@code resources:} are applied at start
 */
public record ServerSettings(int port, String address, Path dataDir, String dbUrl, Path configFile) {

    public ServerSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        address = address == null ? "127.0.0.1" : address;
    }

    public static Path defaultDataDir() {
        return Path.of(System.getProperty("user.home"), ".skyforge");
    }
}
