package io.skyforge.core.model;

import io.skyforge.core.validation.Range;
import java.util.List;

/** Prices used by placement; {@code schedule} overrides {@code cpuHour} in the given hours. */
public record PricingSpec(
        @Range(min = 0) Double cpuHour,
        @Range(min = 0) Double storageGbMonth,
        @Range(min = 0) Double egressGb,
        String currency,
        List<PriceWindow> schedule) {

    public PricingSpec {
        schedule = schedule == null ? List.of() : List.copyOf(schedule);
    }
}
