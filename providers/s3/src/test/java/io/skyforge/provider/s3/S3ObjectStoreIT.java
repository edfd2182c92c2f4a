package io.skyforge.provider.s3;

import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStores;
import io.skyforge.testkit.storage.ObjectStoreCompatibilityKit;
import io.skyforge.testkit.storage.RequiredServices;
import io.skyforge.testkit.storage.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The compatibility kit against S3Proxy, started in this JVM on a free loopback port. */
class S3ObjectStoreIT extends ObjectStoreCompatibilityKit {

    static S3ProxyServer server;

    @BeforeAll
    static void startServer() {
        server = RequiredServices.start("S3Proxy", S3ProxyServer::startTemporary);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected ObjectStore openStore() {
        return ObjectStores.open(S3TestConfigs.s3proxy(server).build());
    }
}
