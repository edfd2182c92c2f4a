package io.skyforge.control.placement;

import java.time.Duration;

/**
 * Operator knobs of placement.
 *
 * @param maxWait   how far ahead a batch job may be deferred (schedules are daily, so 24 h sees every window)
 * @param minSaving the fraction of the cost a later start must save before a batch job waits for it;
 *                  below that, starting now is worth more than the change
 */
public record PlacementOptions(Duration maxWait, double minSaving) {

    public static final PlacementOptions DEFAULTS = new PlacementOptions(Duration.ofHours(24), 0.10);

    public PlacementOptions {
        if (maxWait == null || maxWait.isNegative() || !(minSaving >= 0 && minSaving <= 1)) {
            throw new IllegalArgumentException("maxWait >= 0 and 0 <= minSaving <= 1 required");
        }
    }
}
