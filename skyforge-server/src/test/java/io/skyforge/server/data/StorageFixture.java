package io.skyforge.server.data;

import io.skyforge.server.ServerSettings;
import io.skyforge.server.SkyforgeServer;
import io.skyforge.testkit.storage.AzuriteServer;
import io.skyforge.testkit.storage.RequiredServices;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Two S3Proxy endpoints (CLOUD_A in jurisdiction eu, CLOUD_B in cn), one Azurite (AZURE, eu) and a
 * filesystem cloud (LOCAL, eu), declared as {@code storage_providers} with their secrets as
 * {@code ${VAR}} references resolved from the data dir's secret files, and a server on top.
 */
final class StorageFixture implements AutoCloseable {

    final Path dir;
    final S3ProxyServer s3a;
    final S3ProxyServer s3b;
    final AzuriteServer azurite;
    final SkyforgeServer server;
    final DataHttp http;

    StorageFixture(String extraConfig) {
        try {
            dir = Files.createTempDirectory("skyforge-storage-it");
            Path dataDir = dir.resolve("data");
            Files.createDirectories(dataDir.resolve("secrets"));
            Files.writeString(dataDir.resolve("secrets/S3_SECRET"), S3ProxyServer.SECRET_KEY);
            Files.writeString(dataDir.resolve("secrets/AZURE_KEY"), AzuriteServer.ACCOUNT_KEY);
            s3a = S3ProxyServer.start(dir.resolve("s3a"));
            s3b = S3ProxyServer.start(dir.resolve("s3b"));
            azurite = RequiredServices.start("Azurite", AzuriteServer::start);
            Path config = dir.resolve("skyforge.yaml");
            Files.writeString(config, "storage_providers:\n"
                    + s3("CLOUD_A", s3a, "eu") + s3("CLOUD_B", s3b, "cn")
                    + "  - name: AZURE\n    type: azure-blob\n    endpoint: " + azurite.endpoint() + "\n"
                    + "    account_name: " + AzuriteServer.ACCOUNT_NAME + "\n    account_key: ${AZURE_KEY}\n"
                    + "    labels: {jurisdiction: eu}\n"
                    + "  - name: LOCAL\n    type: filesystem\n    root: " + dir.resolve("fs") + "\n"
                    + "    labels: {jurisdiction: eu}\n"
                    + extraConfig);
            System.setProperty("skyforge.cloud.probe-interval", "500ms");
            System.setProperty("skyforge.bucket.resync-interval", "500ms");
            server = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dataDir, null, config));
            http = new DataHttp(server.url(), Files.readString(server.adminTokenFile()).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String s3(String name, S3ProxyServer s, String jurisdiction) {
        return "  - name: " + name + "\n    type: s3\n    endpoint: " + s.endpoint() + "\n    region: " + S3ProxyServer.REGION
                + "\n    access_key: " + S3ProxyServer.ACCESS_KEY + "\n    secret_key: ${S3_SECRET}\n"
                + "    labels: {jurisdiction: " + jurisdiction + "}\n";
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try {
                s3a.close();
                s3b.close();
            } finally {
                azurite.close();
                System.clearProperty("skyforge.cloud.probe-interval");
                System.clearProperty("skyforge.bucket.resync-interval");
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a leftover temp dir is harmless
                }
            }
        }
    }
}
