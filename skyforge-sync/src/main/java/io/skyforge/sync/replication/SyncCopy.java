package io.skyforge.sync.replication;

import io.skyforge.spi.storage.ObjectKeys;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.sync.version.Version;
import java.util.Objects;

/**
 * One physical copy of a logical bucket: the {@code providers[]} entry of a LogicalBucket
 * ({@code {"cloud": "CLOUD_A", "physical_id": "bucket-x"}}) with the cloud's store.
 *
 * @param cloud        the cloud id; stored in object metadata as the origin of writes made here
 * @param store        the cloud's object store; copies sharing one store instance replicate server-side
 * @param bucket       the physical bucket (or Azure container)
 * @param maxTransfers replication writes in flight into this copy at once
 */
public record SyncCopy(String cloud, ObjectStore store, String bucket, int maxTransfers) {

    public static final int DEFAULT_MAX_TRANSFERS = 16;

    public SyncCopy {
        Version.validateCloudId(cloud);
        Objects.requireNonNull(store, "store");
        ObjectKeys.validateBucket(bucket);
        if (maxTransfers < 1) {
            throw new IllegalArgumentException("maxTransfers must be positive: " + maxTransfers);
        }
    }

    public static SyncCopy of(String cloud, ObjectStore store, String bucket) {
        return new SyncCopy(cloud, store, bucket, DEFAULT_MAX_TRANSFERS);
    }
}
