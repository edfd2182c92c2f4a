package io.skyforge.control.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * One write through the data API, as the sync engine consumes it.
 *
 * @param position       gap-free, commit-ordered sequence number (0 before {@link WriteJournal#append})
 * @param namespace      the logical bucket's namespace
 * @param bucket         the logical bucket's name
 * @param key            the object key
 * @param operation      what happened to the key
 * @param etag           the origin copy's ETag after the write; null for a delete
 * @param size           bytes written; 0 for a delete
 * @param sha256         lowercase hex SHA-256 of the content; null for a delete
 * @param originCloud    the cloud that took the write
 * @param physicalBucket the bucket/container on that cloud
 * @param recordedAt     when the write finished
 * @param hlc            the sync engine's version of the write (its hybrid logical clock timestamp, origin
 *                       {@code originCloud}), or null when the bucket is not replicated
 */
public record JournalEntry(
        long position,
        String namespace,
        String bucket,
        String key,
        Operation operation,
        String etag,
        long size,
        String sha256,
        String originCloud,
        String physicalBucket,
        Instant recordedAt,
        String hlc) {

    /** PUT: the key now holds new content on the origin copy. DELETE: the key is gone (a tombstone for replicas). */
    public enum Operation { PUT, DELETE }

    public JournalEntry {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(originCloud, "originCloud");
        Objects.requireNonNull(physicalBucket, "physicalBucket");
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
    }

    public static JournalEntry put(String namespace, String bucket, String key, String etag, long size, String sha256,
                                   String originCloud, String physicalBucket, Instant at) {
        return new JournalEntry(0, namespace, bucket, key, Operation.PUT, etag, size, sha256, originCloud, physicalBucket, at,
                null);
    }

    public static JournalEntry delete(String namespace, String bucket, String key, String originCloud,
                                      String physicalBucket, Instant at) {
        return new JournalEntry(0, namespace, bucket, key, Operation.DELETE, null, 0, null, originCloud, physicalBucket, at,
                null);
    }

    /** The same entry carrying the sync engine's version of the write. */
    public JournalEntry withHlc(String v) {
        return new JournalEntry(position, namespace, bucket, key, operation, etag, size, sha256, originCloud, physicalBucket,
                recordedAt, v);
    }

    JournalEntry withPosition(long p) {
        return new JournalEntry(p, namespace, bucket, key, operation, etag, size, sha256, originCloud, physicalBucket,
                recordedAt, hlc);
    }
}
