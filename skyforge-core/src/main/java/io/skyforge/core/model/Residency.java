package io.skyforge.core.model;

import java.util.List;

/** Jurisdictions (a cloud's {@code jurisdiction} label) that may hold or process the data. */
public record Residency(List<String> allowed) {

    public Residency {
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
    }
}
