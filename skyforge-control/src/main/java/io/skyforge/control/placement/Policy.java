package io.skyforge.control.placement;

import io.skyforge.core.validation.Suggest;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.Arrays;
import java.util.Locale;

/** {@code spec.placement.policy}: a preset of score weights, or {@code custom} with the user's own. */
public enum Policy {
    // Presets keep a small weight on every term so that, e.g., two equally cheap clouds are still told
    // apart by load and locality instead of by name.
    CHEAPEST(new Weights(0.70, 0.10, 0.10, 0.10)),
    FASTEST(new Weights(0.10, 0.60, 0.20, 0.10)),
    BALANCED(new Weights(0.40, 0.30, 0.20, 0.10)),
    CUSTOM(null);

    private final Weights preset;

    Policy(Weights preset) {
        this.preset = preset;
    }

    /** Absent means {@code balanced}. */
    public static Policy parse(String value) {
        if (value == null || value.isBlank()) {
            return BALANCED;
        }
        for (Policy p : values()) {
            if (p.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new SkyforgeException(ErrorCode.VALIDATION, "unknown placement policy '" + value + "'"
                + Suggest.didYouMean(value, Arrays.stream(values()).map(Policy::label).toList())
                + "; expected cheapest, fastest, balanced or custom");
    }

    /** The preset weights; null for {@link #CUSTOM}. */
    public Weights preset() {
        return preset;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
