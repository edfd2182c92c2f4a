package io.skyforge.datagen.engine;

import java.util.Map;

/**
 * Run-time overrides of a spec: a scale factor, a seed, explicit row counts per table. Part of the
 * output's identity, so they are recorded in the manifest.
 */
public record GenerateOptions(Double scale, Long seed, Map<String, Long> rows) {

    public GenerateOptions {
        rows = Map.copyOf(rows == null ? Map.of() : rows);
        if (scale != null && !(scale > 0 && Double.isFinite(scale))) {
            throw new IllegalArgumentException("scale must be a positive number, got " + scale);
        }
        for (Map.Entry<String, Long> e : rows.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("row count of " + e.getKey() + " must not be negative");
            }
        }
    }

    public static GenerateOptions defaults() {
        return new GenerateOptions(null, null, Map.of());
    }
}
