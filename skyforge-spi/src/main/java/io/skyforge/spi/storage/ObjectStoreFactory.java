package io.skyforge.spi.storage;

import io.skyforge.spi.error.Violation;
import java.util.List;

/**
 * Creates {@link ObjectStore}s of one provider type. Implementations are registered in
 * {@code META-INF/services/io.skyforge.spi.storage.ObjectStoreFactory} and found by {@link ObjectStores}.
 */
public interface ObjectStoreFactory {

    /** The {@code type} a Cloud spec names: {@code s3}, {@code azure-blob}, {@code filesystem}. */
    String type();

    /**
     * Every problem with the config, all at once, without touching the network. Paths are the
     * camelCase field names of the Cloud spec ({@code endpoint}, {@code accessKey}, {@code options.partSize}).
     */
    List<Violation> validate(ObjectStoreConfig config);

    /**
     * Builds a store; fails with {@code SF-VALIDATION} carrying every violation when the config is
     * invalid. Does not contact the backend: use {@link ObjectStore#probe()} for that.
     */
    ObjectStore create(ObjectStoreConfig config);
}
