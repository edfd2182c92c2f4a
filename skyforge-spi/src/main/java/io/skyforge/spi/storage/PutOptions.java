package io.skyforge.spi.storage;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to write an object.
 *
 * @param contentType   MIME type; null means {@code application/octet-stream}
 * @param userMetadata  user metadata, validated by {@link ObjectKeys#validateMetadata}
 * @param contentLength the exact length when known, else {@link #UNKNOWN_LENGTH}; a stream that ends
 *                      before or runs past a declared length fails the put and leaves nothing behind
 * @param precondition  condition on the key's current state
 * @param sha256        the content's SHA-256 (lowercase hex) when the caller already knows it, else null. The store
 *                      records it as the object's hash instead of hashing the bytes again, and may then send a
 *                      body of known length straight through without holding it. The caller vouches for it:
 *                      pass it only for bytes it checks itself or has the backend check ({@code contentMd5})
 * @param contentMd5    the content's MD5 (lowercase hex) when known, else null: the backend refuses the write
 *                      ({@code SF-INCOMPLETE-BODY}, nothing stored) when the bytes it received differ. Only for
 *                      stores with {@link ObjectStoreCapabilities#contentMd5Check()}; others fail with
 *                      {@code SF-UNSUPPORTED}
 */
public record PutOptions(String contentType, Map<String, String> userMetadata, long contentLength, Precondition precondition,
                         String sha256, String contentMd5) {

    public static final long UNKNOWN_LENGTH = -1;
    public static final PutOptions DEFAULT = new PutOptions(null, Map.of(), UNKNOWN_LENGTH, Precondition.NONE);

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");

    public PutOptions {
        userMetadata = userMetadata == null ? Map.of() : Map.copyOf(userMetadata);
        precondition = precondition == null ? Precondition.NONE : precondition;
        if (contentLength < UNKNOWN_LENGTH) {
            throw new IllegalArgumentException("contentLength must be >= 0 or UNKNOWN_LENGTH: " + contentLength);
        }
        if (sha256 != null && !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits: " + sha256);
        }
        if (contentMd5 != null && !MD5_HEX.matcher(contentMd5).matches()) {
            throw new IllegalArgumentException("contentMd5 must be 32 lowercase hex digits: " + contentMd5);
        }
    }

    public PutOptions(String contentType, Map<String, String> userMetadata, long contentLength, Precondition precondition) {
        this(contentType, userMetadata, contentLength, precondition, null, null);
    }

    public static PutOptions defaults() {
        return DEFAULT;
    }

    public PutOptions withContentType(String v) {
        return new PutOptions(v, userMetadata, contentLength, precondition, sha256, contentMd5);
    }

    public PutOptions withUserMetadata(Map<String, String> v) {
        return new PutOptions(contentType, Objects.requireNonNull(v), contentLength, precondition, sha256, contentMd5);
    }

    public PutOptions withContentLength(long v) {
        return new PutOptions(contentType, userMetadata, v, precondition, sha256, contentMd5);
    }

    public PutOptions withPrecondition(Precondition v) {
        return new PutOptions(contentType, userMetadata, contentLength, v, sha256, contentMd5);
    }

    public PutOptions withSha256(String v) {
        return new PutOptions(contentType, userMetadata, contentLength, precondition, v, contentMd5);
    }

    public PutOptions withContentMd5(String v) {
        return new PutOptions(contentType, userMetadata, contentLength, precondition, sha256, v);
    }

    public boolean lengthKnown() {
        return contentLength != UNKNOWN_LENGTH;
    }
}
