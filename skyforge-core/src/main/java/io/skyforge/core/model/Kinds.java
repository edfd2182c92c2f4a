package io.skyforge.core.model;

import io.skyforge.core.codec.Json;
import io.skyforge.core.validation.Suggest;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/** The registry of resource kinds (DESIGN.md §3). */
public final class Kinds {

    public static final String DEFAULT_NAMESPACE = "default";

    public static final ResourceKind CLOUD = new ResourceKind(
            "core.mcp", "v1", "Cloud", "clouds", "cloud", List.of("cl"), false, CloudSpec.class);
    public static final ResourceKind LOGICAL_BUCKET = new ResourceKind(
            "storage.mcp", "v1", "LogicalBucket", "logicalbuckets", "logicalbucket", List.of("lb", "buckets", "bucket"),
            true, LogicalBucketSpec.class);
    public static final ResourceKind LOGICAL_CLUSTER = new ResourceKind(
            "compute.mcp", "v1", "LogicalCluster", "logicalclusters", "logicalcluster", List.of("lc"), true,
            LogicalClusterSpec.class);
    public static final ResourceKind DATASET = new ResourceKind(
            "data.mcp", "v1", "Dataset", "datasets", "dataset", List.of("ds"), true, DatasetSpec.class);
    public static final ResourceKind DATA_JOB = new ResourceKind(
            "batch.mcp", "v1", "DataJob", "datajobs", "datajob", List.of("dj", "jobs", "job"), true,
            DataJobSpec.class);

    public static final List<ResourceKind> ALL = List.of(CLOUD, LOGICAL_BUCKET, LOGICAL_CLUSTER, DATASET, DATA_JOB);

    private Kinds() {
    }

    public static Optional<ResourceKind> byKind(String kind) {
        return ALL.stream().filter(k -> k.kind().equals(kind)).findFirst();
    }

    public static Optional<ResourceKind> byPlural(String group, String version, String plural) {
        return ALL.stream()
                .filter(k -> k.group().equals(group) && k.version().equals(version) && k.plural().equals(plural))
                .findFirst();
    }

    /** Resolves what a user typed for a kind, or fails with a "did you mean". */
    public static ResourceKind resolve(String word) {
        return ALL.stream().filter(k -> k.matches(word)).findFirst().orElseThrow(() -> {
            List<String> names = ALL.stream().flatMap(k -> java.util.stream.Stream.of(k.plural(), k.kind())).toList();
            return new SkyforgeException(ErrorCode.UNKNOWN_KIND,
                    "unknown resource kind '" + word + "'" + Suggest.didYouMean(word, names)
                            + "; known kinds: " + String.join(", ", ALL.stream().map(ResourceKind::plural).toList()));
        });
    }

    public static ResourceKind of(Resource r) {
        return byKind(r.kind()).orElseThrow(() ->
                new SkyforgeException(ErrorCode.UNKNOWN_KIND, "unknown kind " + r.kind()));
    }

    /** Binds a resource's spec to its typed record; the spec must already be valid. */
    public static <T extends Record> T spec(Resource r, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(r.spec(), type);
        } catch (JacksonException e) {
            throw new SkyforgeException(ErrorCode.VALIDATION, r.ref() + ": spec does not bind: " + e.getOriginalMessage(), e);
        }
    }
}
