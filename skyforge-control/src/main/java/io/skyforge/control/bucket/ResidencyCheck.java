package io.skyforge.control.bucket;

import io.skyforge.control.cloud.CloudRegistry;
import io.skyforge.control.store.ResourceStore;
import io.skyforge.core.model.BucketProvider;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.LogicalBucketSpec;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Data residency at apply time: a {@code LogicalBucket} whose {@code spec.residency.allowed} lists
 * jurisdictions may only map to clouds whose {@code jurisdiction} label is in the list. A cloud that
 * does not exist yet is accepted (its jurisdiction is unknown; the bucket controller then reports
 * that copy not Ready, and refuses it with {@code ResidencyViolation} if it appears with a
 * jurisdiction outside the list), so resources can be applied in any order.
 */
public final class ResidencyCheck {

    private final Function<String, Optional<Resource>> clouds;

    public ResidencyCheck(ResourceStore store) {
        this(name -> store.get(Kinds.CLOUD, null, name));
    }

    public ResidencyCheck(Function<String, Optional<Resource>> clouds) {
        this.clouds = Objects.requireNonNull(clouds, "clouds");
    }

    /** Fails with {@code SF-RESIDENCY} (every offending provider listed) when the bucket breaks its residency. */
    public void verify(Resource bucket) {
        if (!Kinds.LOGICAL_BUCKET.kind().equals(bucket.kind())) {
            return;
        }
        LogicalBucketSpec spec = Kinds.spec(bucket, LogicalBucketSpec.class);
        if (spec.residency() == null || spec.residency().allowed().isEmpty() || spec.providers() == null) {
            return;
        }
        List<String> allowed = spec.residency().allowed();
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < spec.providers().size(); i++) {
            BucketProvider p = spec.providers().get(i);
            Optional<Resource> cloud = clouds.apply(p.cloud());
            if (cloud.isEmpty()) {
                continue;
            }
            String jurisdiction = cloud.get().metadata().labels().get(CloudRegistry.JURISDICTION_LABEL);
            if (!allowed(allowed, jurisdiction)) {
                violations.add(Violation.at("spec.providers[" + i + "].cloud", describe(p.cloud(), jurisdiction, allowed)));
            }
        }
        if (!violations.isEmpty()) {
            throw new SkyforgeException(ErrorCode.RESIDENCY, bucket.ref() + " breaks its residency policy: "
                    + String.join("; ", violations.stream().map(Violation::message).toList()), violations);
        }
    }

    public static boolean allowed(List<String> allowed, String jurisdiction) {
        return allowed.isEmpty() || jurisdiction != null && allowed.contains(jurisdiction);
    }

    static String describe(String cloud, String jurisdiction, List<String> allowed) {
        return "Cloud " + cloud + (jurisdiction == null ? " has no '" + CloudRegistry.JURISDICTION_LABEL + "' label"
                : " is in jurisdiction '" + jurisdiction + "'") + ", but spec.residency.allowed is " + allowed;
    }
}
