package io.skyforge.provider.azure;

import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStores;
import io.skyforge.testkit.storage.AzuriteServer;
import io.skyforge.testkit.storage.ObjectStoreCompatibilityKit;
import io.skyforge.testkit.storage.RequiredServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The compatibility kit against Azurite, started by the test as a child process on a free loopback port. */
class AzureBlobObjectStoreIT extends ObjectStoreCompatibilityKit {

    static AzuriteServer azurite;

    @BeforeAll
    static void startAzurite() {
        azurite = RequiredServices.start("Azurite", AzuriteServer::start);
    }

    @AfterAll
    static void stopAzurite() {
        if (azurite != null) {
            azurite.close();
        }
    }

    @Override
    protected ObjectStore openStore() {
        return ObjectStores.open(AzureTestConfigs.azurite(azurite).build());
    }
}
