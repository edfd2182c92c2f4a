package io.skyforge.control.bucket;

import io.skyforge.control.cloud.CloudRegistry;
import io.skyforge.core.model.BucketProvider;
import io.skyforge.core.model.LogicalBucketSpec;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ObjectStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Chooses which physical copy of a logical bucket serves a request, from the clouds' last probes:
 * writes go to {@code spec.primary} when it is healthy, else to the healthy copy with the lowest
 * probe latency; reads try healthy copies in the same order, then the unhealthy ones as a last resort
 * (a probe can be a few seconds stale). Copies outside the bucket's residency never serve.
 *
 * <p>Latencies are compared in classes (under 100 ms, 100-200 ms, 200-400 ms, ...) with ties going to
 * the copy listed first: probe jitter between two similar clouds must not flip the preferred copy
 * every few seconds, or writes (and the listings that follow them) would scatter across copies
 * until the sync engine catches up.
 */
public final class CopySelector {

    private final CloudRegistry registry;

    public CopySelector(CloudRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** One physical copy. */
    public record Copy(String cloud, String physicalBucket, ObjectStore store, boolean healthy, long latencyNanos, int index) {

        /** 0 below 100 ms, then one class per doubling. */
        int latencyClass() {
            long ms = latencyNanos / 1_000_000;
            return ms < 100 ? 0 : 64 - Long.numberOfLeadingZeros(ms / 100);
        }
    }

    private static final Comparator<Copy> PREFERENCE = Comparator.comparing((Copy c) -> !c.healthy())
            .thenComparingInt(Copy::latencyClass).thenComparingInt(Copy::index);

    /** Healthy copies in write preference order; fails with {@code SF-UNAVAILABLE} naming why when there is none. */
    public List<Copy> forWrite(String ref, LogicalBucketSpec spec) {
        List<Copy> healthy = new ArrayList<>(candidates(spec).stream().filter(Copy::healthy).toList());
        healthy.sort(PREFERENCE);
        if (spec.primary() != null) {
            healthy.stream().filter(c -> c.cloud().equals(spec.primary())).findFirst().ifPresent(p -> {
                healthy.remove(p);
                healthy.add(0, p);
            });
        }
        if (healthy.isEmpty()) {
            throw none(ref, spec);
        }
        return healthy;
    }

    /**
     * Every usable copy in read preference order: the write order (a healthy primary first, so a client
     * reads what it just wrote while replication catches up), then the unhealthy copies.
     */
    public List<Copy> forRead(String ref, LogicalBucketSpec spec) {
        List<Copy> all = new ArrayList<>(candidates(spec));
        all.sort(PREFERENCE);
        if (all.isEmpty()) {
            throw none(ref, spec);
        }
        if (spec.primary() != null) {
            all.stream().filter(c -> c.healthy() && c.cloud().equals(spec.primary())).findFirst().ifPresent(p -> {
                all.remove(p);
                all.add(0, p);
            });
        }
        return all;
    }

    private List<Copy> candidates(LogicalBucketSpec spec) {
        List<String> allowed = spec.residency() == null ? List.of() : spec.residency().allowed();
        List<Copy> out = new ArrayList<>();
        for (int i = 0; i < spec.providers().size(); i++) {
            BucketProvider p = spec.providers().get(i);
            int index = i;
            registry.state(p.cloud()).ifPresent(s -> {
                if (s.store() != null && ResidencyCheck.allowed(allowed, s.jurisdiction())) {
                    out.add(new Copy(p.cloud(), p.physicalId(), s.store(), s.healthy(), s.latencyNanos(), index));
                }
            });
        }
        return out;
    }

    private SkyforgeException none(String ref, LogicalBucketSpec spec) {
        List<String> why = new ArrayList<>();
        for (BucketProvider p : spec.providers()) {
            why.add(registry.state(p.cloud()).map(s -> p.cloud() + (s.store() == null ? " cannot be used ("
                    + s.configError().code().code() + ")"
                    : s.healthy() ? " is outside the residency policy"
                    : s.health() == null ? " is not probed yet" : " is down (" + s.health().error().code() + ")"))
                    .orElse(p.cloud() + " does not exist"));
        }
        return new SkyforgeException(ErrorCode.UNAVAILABLE, ref + " has no healthy copy: " + String.join(", ", why));
    }
}
