package io.skyforge.provider.s3;

import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStores;

/**
 * The compatibility kit again with {@code unsignedPayload}: bodies are then read only once, so puts whose
 * SHA-256 is known go up streamed from the caller's stream instead of through part buffers.
 */
class S3UnsignedPayloadObjectStoreIT extends S3ObjectStoreIT {

    @Override
    protected ObjectStore openStore() {
        return ObjectStores.open(S3TestConfigs.s3proxy(server).option("unsignedPayload", "true").build());
    }
}
