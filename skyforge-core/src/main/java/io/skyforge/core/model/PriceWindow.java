package io.skyforge.core.model;

import io.skyforge.core.validation.Range;
import io.skyforge.core.validation.Required;

/** A price for the hours {@code "HH-HH"} (UTC, end exclusive, may wrap midnight: {@code "22-06"}). */
public record PriceWindow(@Required String hours, @Range(min = 0) Double cpuHour) {
}
