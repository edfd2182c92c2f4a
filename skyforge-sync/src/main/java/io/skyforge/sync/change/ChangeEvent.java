package io.skyforge.sync.change;

import io.skyforge.spi.storage.ObjectKeys;
import java.time.Instant;
import java.util.Objects;

/**
 * Something changed for {@code key} on the copy in {@code cloud}: a write or delete through the data
 * API, a job output, anything a journal records. The replicator re-reads that copy's state, so an event
 * only needs to say where to look; a duplicate or stale event costs a HEAD, never a wrong write.
 *
 * @param etag   the ETag written, when known (lets the replicator skip stale events cheaply); may be null
 * @param size   bytes written, or -1 when unknown
 * @param sha256 content hash when known; may be null
 * @param at     when the change was made
 */
public record ChangeEvent(String key, String cloud, String etag, long size, String sha256, Instant at) {

    public ChangeEvent {
        ObjectKeys.validateKey(key);
        Objects.requireNonNull(cloud, "cloud");
        at = at == null ? Instant.now() : at;
    }

    public static ChangeEvent of(String key, String cloud) {
        return new ChangeEvent(key, cloud, null, -1, null, Instant.now());
    }
}
