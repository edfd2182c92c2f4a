package io.skyforge.spi.storage;

import java.util.Objects;

/**
 * A condition on the current state of the key that a write must meet, checked atomically with the
 * write where {@link ObjectStoreCapabilities} says so; otherwise the write fails with {@code SF-UNSUPPORTED}
 * rather than ignoring it.
 */
public record Precondition(Kind kind, String etag) {

    public enum Kind {
        /** Write unconditionally. */
        NONE,
        /** {@code If-None-Match: *}: write only when the key does not exist. */
        IF_ABSENT,
        /** {@code If-Match: etag}: write only when the current object has this ETag. */
        IF_MATCH
    }

    public static final Precondition NONE = new Precondition(Kind.NONE, null);
    public static final Precondition IF_ABSENT = new Precondition(Kind.IF_ABSENT, null);

    public Precondition {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.IF_MATCH) {
            Objects.requireNonNull(etag, "etag");
            etag = ETags.unquote(etag);
            if (etag.isEmpty()) {
                throw new IllegalArgumentException("If-Match needs a non-empty ETag");
            }
        } else if (etag != null) {
            throw new IllegalArgumentException(kind + " takes no ETag");
        }
    }

    public static Precondition ifMatch(String etag) {
        return new Precondition(Kind.IF_MATCH, etag);
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }
}
