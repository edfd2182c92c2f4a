package io.skyforge.spi.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a store knows about one object: enough for a write journal entry and for comparing replicas.
 *
 * @param key          the object key
 * @param size         size in bytes
 * @param etag         the backend's entity tag, without quotes; use it for {@link Precondition#ifMatch}
 * @param lastModified the backend's modification time, or null when it did not report one (an S3 PUT
 *                     answer carries none; {@link ObjectStore#head} always has it)
 * @param contentType  MIME type, {@code application/octet-stream} when none was given
 * @param userMetadata user metadata (see {@link ObjectKeys#validateMetadata})
 * @param sha256       lowercase hex SHA-256 of the content, or null when the backend does not keep it
 *                     for this object (see {@link ObjectStoreCapabilities#sha256OnHead()})
 * @param contentMd5   lowercase hex MD5 of the content when the backend vouches for it (an S3 ETag of a
 *                     single-request upload that is not KMS- or customer-key-encrypted), else null; a copy
 *                     can hand it to {@link PutOptions#contentMd5} so the target's server checks the bytes
 */
public record ObjectInfo(
        String key,
        long size,
        String etag,
        Instant lastModified,
        String contentType,
        Map<String, String> userMetadata,
        String sha256,
        String contentMd5) {

    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    public ObjectInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(etag, "etag");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        contentType = contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
        userMetadata = userMetadata == null ? Map.of() : Map.copyOf(userMetadata);
        etag = ETags.unquote(etag);
    }

    public ObjectInfo(String key, long size, String etag, Instant lastModified, String contentType,
                      Map<String, String> userMetadata, String sha256) {
        this(key, size, etag, lastModified, contentType, userMetadata, sha256, null);
    }

    public Optional<String> sha256Hex() {
        return Optional.ofNullable(sha256);
    }

    public Optional<Instant> lastModifiedTime() {
        return Optional.ofNullable(lastModified);
    }

    public ObjectSummary summary() {
        return new ObjectSummary(key, size, etag, lastModified);
    }
}
