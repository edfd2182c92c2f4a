package io.skyforge.sync.replication;

import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import io.skyforge.testkit.storage.AzuriteServer;
import io.skyforge.testkit.storage.RequiredServices;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Three real clouds on loopback for one test class: two S3Proxy endpoints in this JVM, Azurite as a
 * child process, and a directory; plus a fourth store, a second S3 client on the first endpoint. Every
 * store is wrapped in a {@link FaultyStore} so tests can cut it off and count its writes.
 */
final class Clouds implements AutoCloseable {

    final S3ProxyServer s3a;
    final S3ProxyServer s3b;
    final AzuriteServer azurite;
    final Path fsRoot;
    final FaultyStore a;
    final FaultyStore b;
    final FaultyStore az;
    final FaultyStore fs;

    private Clouds(S3ProxyServer s3a, S3ProxyServer s3b, AzuriteServer azurite, Path fsRoot) {
        this.s3a = s3a;
        this.s3b = s3b;
        this.azurite = azurite;
        this.fsRoot = fsRoot;
        this.a = new FaultyStore("CLOUD_A", ObjectStores.open(s3(s3a, "CLOUD_A")));
        this.b = new FaultyStore("CLOUD_B", ObjectStores.open(s3(s3b, "CLOUD_B")));
        this.az = new FaultyStore("CLOUD_AZ", ObjectStores.open(ObjectStoreConfig.builder("azure-blob").name("CLOUD_AZ")
                .endpoint(azurite.endpoint().toString())
                .accountName(AzuriteServer.ACCOUNT_NAME)
                .accountKey(AzuriteServer.ACCOUNT_KEY)
                .option("block_size", "4MiB")
                .option("concurrency", "2")
                .build()));
        this.fs = new FaultyStore("CLOUD_FS", ObjectStores.open(ObjectStoreConfig.builder("filesystem").name("CLOUD_FS")
                .root(fsRoot.toString()).build()));
    }

    static ObjectStoreConfig s3(S3ProxyServer server, String name) {
        return ObjectStoreConfig.builder("s3").name(name)
                .endpoint(server.endpoint().toString())
                .region(S3ProxyServer.REGION)
                .accessKey(S3ProxyServer.ACCESS_KEY)
                .secretKey(S3ProxyServer.SECRET_KEY)
                .pathStyle(true)
                .option("part_size", "5MiB")
                .option("concurrency", "2")
                // S3Proxy 2.6 ignores If-None-Match/If-Match on PUT; claiming them would be a lie.
                .option("conditional_writes", "false")
                .build();
    }

    static Clouds start() {
        S3ProxyServer s3a = S3ProxyServer.startTemporary();
        S3ProxyServer s3b = S3ProxyServer.startTemporary();
        AzuriteServer azurite = RequiredServices.start("Azurite (the Azure Blob emulator)", AzuriteServer::start);
        try {
            return new Clouds(s3a, s3b, azurite, Files.createTempDirectory("skyforge-sync-fs-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<FaultyStore> all() {
        return List.of(a, b, az, fs);
    }

    /** Fresh buckets named {@code name} on A, B and the Azure and filesystem clouds, faults cleared. */
    void freshBuckets(String name) {
        for (FaultyStore s : all()) {
            s.down = false;
            s.emptyListings = false;
            s.createBucket(name);
            s.resetCounts();
        }
    }

    /** The three copies the issue asks for: S3 (A), Azure, filesystem; B is the second S3 endpoint. */
    List<SyncCopy> threeCopies(String bucket) {
        List<SyncCopy> list = new ArrayList<>();
        list.add(SyncCopy.of("CLOUD_A", a, bucket));
        list.add(SyncCopy.of("CLOUD_AZ", az, bucket));
        list.add(SyncCopy.of("CLOUD_FS", fs, bucket));
        return list;
    }

    @Override
    public void close() {
        for (FaultyStore s : all()) {
            s.close();
        }
        s3a.close();
        s3b.close();
        azurite.close();
    }
}
