package io.skyforge.control.placement;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One source of a residency rule: the jurisdictions (a Cloud's {@code jurisdiction} label) where the
 * job's data may be processed. Every constraint of a request applies, so the allowed set is their
 * intersection. An empty list allows nothing (fail closed), which is what a PII dataset whose bucket
 * copies carry no jurisdiction must get.
 *
 * @param source where the rule comes from, for the explanation, e.g.
 *               {@code Dataset team-a/shop label residency.skyforge.io/allowed=cn,eu}
 */
public record ResidencyConstraint(String source, List<String> allowed) {

    public ResidencyConstraint {
        Objects.requireNonNull(source, "source");
        allowed = allowed.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .distinct().sorted().toList();
    }

    public boolean allows(String jurisdiction) {
        return jurisdiction != null && allowed.contains(jurisdiction.toLowerCase(Locale.ROOT));
    }
}
