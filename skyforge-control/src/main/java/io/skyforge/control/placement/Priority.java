package io.skyforge.control.placement;

import io.skyforge.core.validation.Suggest;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.List;
import java.util.Locale;

/** {@code spec.priority}: {@code batch} jobs may wait for a cheaper price window, {@code critical} never waits. */
public enum Priority {
    CRITICAL,
    BATCH;

    /** Absent means critical: a job never waits unless its author said it may. */
    public static Priority parse(String value) {
        if (value == null || value.isBlank()) {
            return CRITICAL;
        }
        for (Priority p : values()) {
            if (p.name().equalsIgnoreCase(value.trim())) {
                return p;
            }
        }
        throw new SkyforgeException(ErrorCode.VALIDATION, "unknown priority '" + value + "'"
                + Suggest.didYouMean(value, List.of("critical", "batch")) + "; expected critical or batch");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
