package io.skyforge.sync.replication;

import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.sync.version.Version;

/**
 * A write through {@link BucketWriter}: what a journal entry records.
 *
 * @param info what the store answered (for a delete: the tombstone marker)
 */
public record WriteResult(String key, String cloud, Version version, ObjectInfo info) {
}
