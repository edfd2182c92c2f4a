package io.skyforge.core.model;

import java.time.Instant;
import java.util.Objects;

/** A status condition as Kubernetes writes them: {@code Ready=True} with a reason and message. */
public record Condition(
        String type,
        String status,
        String reason,
        String message,
        Instant lastTransitionTime,
        Long observedGeneration) {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    public Condition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        if (!status.equals(TRUE) && !status.equals(FALSE) && !status.equals(UNKNOWN)) {
            throw new IllegalArgumentException("condition status must be True, False or Unknown: " + status);
        }
    }

    public static Condition of(String type, boolean value, String reason, String message, long generation, Instant now) {
        return new Condition(type, value ? TRUE : FALSE, reason, message, now, generation);
    }
}
