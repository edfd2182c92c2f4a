package io.skyforge.spi.storage;

import io.skyforge.spi.error.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The answer of {@link ObjectStore#probe()}.
 *
 * @param up        the backend answered and accepted the credentials
 * @param latency   how long the probe took
 * @param error     why it is down (null when up): {@code UNAVAILABLE} for an unreachable endpoint,
 *                  {@code ACCESS_DENIED} for refused credentials, ...
 * @param message   a human-readable reason without secrets (empty when up)
 * @param checkedAt when the probe finished
 */
public record StoreHealth(boolean up, Duration latency, ErrorCode error, String message, Instant checkedAt) {

    public StoreHealth {
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(checkedAt, "checkedAt");
        message = message == null ? "" : message;
        if (up && error != null) {
            throw new IllegalArgumentException("a healthy store has no error");
        }
        if (!up && error == null) {
            throw new IllegalArgumentException("an unhealthy store needs an error code");
        }
    }

    public static StoreHealth up(Duration latency) {
        return new StoreHealth(true, latency, null, "", Instant.now());
    }

    public static StoreHealth down(Duration latency, ErrorCode error, String message) {
        return new StoreHealth(false, latency, error, message, Instant.now());
    }
}
