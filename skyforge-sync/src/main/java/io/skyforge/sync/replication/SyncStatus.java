package io.skyforge.sync.replication;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@code skyforge sync status BUCKET} shows.
 *
 * @param paused       a safety guard stopped replication; {@link LogicalBucketReplicator#resume()} or
 *                     {@link LogicalBucketReplicator#resync()} restarts it
 * @param pausedReason why, or empty
 * @param queuedKeys   keys waiting to be compared across copies
 */
public record SyncStatus(String bucket, boolean paused, String pausedReason, int queuedKeys, List<Copy> copies) {

    public SyncStatus {
        copies = List.copyOf(copies);
        pausedReason = pausedReason == null ? "" : pausedReason;
    }

    public boolean inSync() {
        return !paused && queuedKeys == 0 && copies.stream().allMatch(Copy::inSync);
    }

    /**
     * One copy.
     *
     * @param lag             age of the oldest write not yet on this copy (zero when none)
     * @param pendingObjects  keys waiting to be written to or deleted from this copy
     * @param pendingBytes    bytes those writes will move
     * @param lastError       {@code SF-...: message} of the last failure on this copy, or empty
     * @param fullResync      this copy missed tombstones that were collected without it and will be
     *                        checked object by object when it returns
     */
    public record Copy(String cloud, String bucket, boolean reachable, boolean inSync, Duration lag,
                       long pendingObjects, long pendingBytes, String lastError, Instant lastErrorAt,
                       Instant lastScan, boolean fullResync) {
        public Copy {
            lastError = lastError == null ? "" : lastError;
        }
    }
}
