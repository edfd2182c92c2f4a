package io.skyforge.spi.storage;

import java.util.Map;
import java.util.Objects;

/**
 * How to write an object.
 *
 * @param contentType   MIME type; null means {@code application/octet-stream}
 * @param userMetadata  user metadata, validated by {@link ObjectKeys#validateMetadata}
 * @param contentLength the exact length when known, else {@link #UNKNOWN_LENGTH}; a stream that ends
 *                      before or runs past a declared length fails the put and leaves nothing behind
 * @param precondition  condition on the key's current state
 */
public record PutOptions(String contentType, Map<String, String> userMetadata, long contentLength, Precondition precondition) {

    public static final long UNKNOWN_LENGTH = -1;
    public static final PutOptions DEFAULT = new PutOptions(null, Map.of(), UNKNOWN_LENGTH, Precondition.NONE);

    public PutOptions {
        userMetadata = userMetadata == null ? Map.of() : Map.copyOf(userMetadata);
        precondition = precondition == null ? Precondition.NONE : precondition;
        if (contentLength < UNKNOWN_LENGTH) {
            throw new IllegalArgumentException("contentLength must be >= 0 or UNKNOWN_LENGTH: " + contentLength);
        }
    }

    public static PutOptions defaults() {
        return DEFAULT;
    }

    public PutOptions withContentType(String v) {
        return new PutOptions(v, userMetadata, contentLength, precondition);
    }

    public PutOptions withUserMetadata(Map<String, String> v) {
        return new PutOptions(contentType, Objects.requireNonNull(v), contentLength, precondition);
    }

    public PutOptions withContentLength(long v) {
        return new PutOptions(contentType, userMetadata, v, precondition);
    }

    public PutOptions withPrecondition(Precondition v) {
        return new PutOptions(contentType, userMetadata, contentLength, v);
    }

    public boolean lengthKnown() {
        return contentLength != UNKNOWN_LENGTH;
    }
}
