package io.skyforge.control.placement;

import io.skyforge.core.validation.Suggest;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Weights of the four score terms. They sum to 1 (the presets by construction, custom weights through
 * {@link #normalised}) so a score is always in [0, 1] and scores of different policies read the same way.
 */
public record Weights(double cost, double load, double locality, double region) {

    public static final List<String> TERMS = List.of("cost", "load", "locality", "region");

    public Weights {
        double sum = cost + load + locality + region;
        if (!(cost >= 0 && load >= 0 && locality >= 0 && region >= 0) || !(sum > 0) || Double.isInfinite(sum)) {
            throw new SkyforgeException(ErrorCode.VALIDATION,
                    "placement weights must be finite, not negative, and not all zero: cost=" + cost + ", load=" + load
                            + ", locality=" + locality + ", region=" + region);
        }
    }

    /** Weights scaled to sum to 1; the record itself does not rescale, so a JSON round trip is exact. */
    public static Weights normalised(double cost, double load, double locality, double region) {
        Weights raw = new Weights(cost, load, locality, region);
        double sum = raw.cost + raw.load + raw.locality + raw.region;
        return new Weights(cost / sum, load / sum, locality / sum, region / sum);
    }

    /**
     * The weights a policy uses. {@code custom} takes the user's map (terms left out weigh 0); the
     * presets refuse a map, since silently ignoring weights the user wrote would mislead them.
     * Every problem is reported at once.
     */
    public static Weights resolve(Policy policy, Map<String, Double> userWeights) {
        boolean given = userWeights != null && !userWeights.isEmpty();
        if (policy != Policy.CUSTOM) {
            if (given) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "spec.placement.weights apply only with policy: custom"
                        + " (policy is " + policy.label() + ")");
            }
            return policy.preset();
        }
        if (!given) {
            throw new SkyforgeException(ErrorCode.VALIDATION,
                    "policy: custom needs spec.placement.weights with some of " + String.join(", ", TERMS));
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Double> e : new TreeMap<>(userWeights).entrySet()) {
            if (!TERMS.contains(e.getKey())) {
                problems.add("unknown weight '" + e.getKey() + "'" + Suggest.didYouMean(e.getKey(), TERMS));
            } else if (e.getValue() == null || !(e.getValue() >= 0) || e.getValue().isInfinite()) {
                problems.add("weight '" + e.getKey() + "' must be a finite number >= 0, was " + e.getValue());
            }
        }
        if (!problems.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "spec.placement.weights: " + String.join("; ", problems)
                    + "; known weights: " + String.join(", ", TERMS));
        }
        return normalised(userWeights.getOrDefault("cost", 0.0), userWeights.getOrDefault("load", 0.0),
                userWeights.getOrDefault("locality", 0.0), userWeights.getOrDefault("region", 0.0));
    }
}
