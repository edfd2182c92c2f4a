package io.skyforge.core.model;

import io.skyforge.core.validation.OneOf;
import io.skyforge.core.validation.Range;
import io.skyforge.core.validation.Required;

/** A cloud's compute backend: where partition tasks run and how many at once. */
public record ComputeSpec(
        @Required @OneOf({"local", "worker", "kubernetes"}) String type,
        @Range(min = 0, max = 100000) Integer slots,
        String namespace,
        String image,
        String context,
        String masterUrl) {
}
