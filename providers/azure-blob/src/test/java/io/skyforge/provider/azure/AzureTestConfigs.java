package io.skyforge.provider.azure;

import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.testkit.storage.AzuriteServer;

final class AzureTestConfigs {

    private AzureTestConfigs() {
    }

    /** 4 MiB blocks, 3 in flight: the 64 MiB kit test then stages 16 blocks with little heap. */
    static ObjectStoreConfig.Builder azurite(AzuriteServer azurite) {
        return ObjectStoreConfig.builder("azure-blob").name("azurite")
                .endpoint(azurite.endpoint().toString())
                .accountName(AzuriteServer.ACCOUNT_NAME)
                .accountKey(AzuriteServer.ACCOUNT_KEY)
                .option("block_size", "4MiB")
                .option("concurrency", "3");
    }
}
