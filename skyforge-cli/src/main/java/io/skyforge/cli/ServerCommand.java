package io.skyforge.cli;

import io.skyforge.server.ServerSettings;
import io.skyforge.server.SkyforgeServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "server", description = "Run the control plane (REST API, store, controllers).")
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--config", description = "YAML with storage_providers: and resources: to apply at start")
    Path config;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (0 picks a free one; default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--address", defaultValue = "127.0.0.1", description = "interface to bind (default ${DEFAULT-VALUE})")
    String address;

    @Option(names = "--data-dir", description = "embedded database, admin token and secret key (default ~/.skyforge)")
    Path dataDir;

    @Option(names = "--db", description = "JDBC URL of a PostgreSQL database instead of the embedded H2")
    String db;

    @Override
    public Integer call() throws InterruptedException {
        Path dir = dataDir != null ? dataDir.toAbsolutePath() : ServerSettings.defaultDataDir();
        SkyforgeServer server = SkyforgeServer.start(new ServerSettings(port, address, dir, db, config));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "skyforge-shutdown"));
        System.out.println("Skyforge server listening on " + server.url());
        System.out.println("  admin token: " + server.adminTokenFile());
        System.out.println("  data dir:    " + dir + (db != null ? " (store: " + db.replaceAll("password=[^&]*", "password=***") + ")" : ""));
        System.out.flush();
        stopped.await();
        return Main.OK;
    }
}
