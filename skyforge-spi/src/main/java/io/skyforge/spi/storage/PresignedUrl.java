package io.skyforge.spi.storage;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A URL granting one operation on one object until {@code expiresAt}.
 *
 * @param headers headers the client must send with the request for it to be accepted
 *                (Azure wants {@code x-ms-blob-type: BlockBlob} on a PUT)
 */
public record PresignedUrl(URI url, Method method, Instant expiresAt, Map<String, String> headers) {

    public enum Method { GET, PUT }

    public PresignedUrl {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(expiresAt, "expiresAt");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The URL carries a signature: never log it whole. */
    @Override
    public String toString() {
        return "PresignedUrl[" + method + " " + url.getScheme() + "://" + url.getAuthority() + url.getRawPath()
                + " until " + expiresAt + "]";
    }
}
