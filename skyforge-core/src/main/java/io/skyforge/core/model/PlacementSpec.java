package io.skyforge.core.model;

import io.skyforge.core.validation.OneOf;
import java.util.Map;

/** Placement policy for a job; {@code weights} apply with {@code policy: custom}. */
public record PlacementSpec(
        @OneOf({"cheapest", "fastest", "balanced", "custom"}) String policy,
        Boolean allowSplit,
        Map<String, Double> weights,
        String region) {

    public PlacementSpec {
        weights = weights == null ? null : Map.copyOf(weights);
    }
}
