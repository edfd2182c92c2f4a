package io.skyforge.core.model;

import io.skyforge.core.validation.OneOf;
import io.skyforge.core.validation.Range;

/** How the copies of a logical bucket are kept consistent (the sync engine's settings). */
public record Replication(
        @OneOf({"active-active", "primary-backup", "none"}) String mode,
        Boolean keepLosers,
        @Range(min = 1, max = 3600) Integer scanIntervalSeconds,
        @Range(min = 0, max = 1) Double massDeleteThreshold) {
}
