package io.skyforge.control.job;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a failed partition waits before its next attempt: {@code initial × 2^(attempt−1)}, at
 * most {@code max}, as Kubernetes Jobs back off. Without a wait, a partition failing for a passing
 * reason (a throttled store, a cloud restarting) would use up its {@code backoffLimit} in a second.
 */
public record RetryBackoff(Duration initial, Duration max) {

    /** Retries of a failed partition when the job does not say ({@code spec.backoffLimit}). */
    public static final int DEFAULT_BACKOFF_LIMIT = 3;

    public static final RetryBackoff DEFAULT = new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    public RetryBackoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retry backoff needs 0 <= initial <= max, got " + initial + " and " + max);
        }
    }

    /** The wait after the {@code failedAttempt}-th attempt (1-based) failed. */
    public Duration delay(int failedAttempt) {
        int doublings = Math.max(0, Math.min(failedAttempt - 1, 30));
        Duration d = initial.multipliedBy(1L << doublings);
        return d.compareTo(max) > 0 || d.isNegative() ? max : d;
    }

    /** Attempts a partition gets in all: the first one plus {@code spec.backoffLimit} retries. */
    public static int maxAttempts(Integer backoffLimit) {
        return 1 + (backoffLimit == null ? DEFAULT_BACKOFF_LIMIT : backoffLimit);
    }
}
