package io.skyforge.core.model;

import io.skyforge.core.validation.Required;
import java.util.List;

/** One logical bucket mapped onto physical buckets/containers on several clouds. */
public record LogicalBucketSpec(
        @Required List<BucketProvider> providers,
        String primary,
        Boolean create,
        Residency residency,
        Replication replication) {

    public LogicalBucketSpec {
        providers = providers == null ? null : List.copyOf(providers);
    }
}
