package io.skyforge.spi.storage;

import java.time.Instant;
import java.util.Objects;

/** One entry of a listing; listings carry no user metadata (use {@link ObjectStore#head} for that). */
public record ObjectSummary(String key, long size, String etag, Instant lastModified) {

    public ObjectSummary {
        Objects.requireNonNull(key, "key");
        etag = etag == null ? "" : ETags.unquote(etag);
    }
}
