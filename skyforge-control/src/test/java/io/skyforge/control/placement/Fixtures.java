package io.skyforge.control.placement;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Small builders for candidate clouds, so each scenario reads as a table. */
final class Fixtures {

    static final Instant AFTERNOON = Instant.parse("2026-11-28T14:00:00Z");

    private Fixtures() {
    }

    /** A ready cloud with local compute and a flat price. */
    static CloudCandidate cloud(String name, String jurisdiction, double cpuHour, int slots, int running) {
        return new CloudCandidate(name, true, "HealthCheckPassed", jurisdiction, jurisdiction + "-1",
                Map.of("jurisdiction", jurisdiction), "local", slots, running,
                new PriceSchedule(cpuHour, List.of()), 0.09, "USD");
    }

    static CloudCandidate withSchedule(CloudCandidate c, PriceSchedule.Window... windows) {
        return new CloudCandidate(c.name(), c.ready(), c.readyReason(), c.jurisdiction(), c.region(), c.labels(),
                c.computeType(), c.slots(), c.running(), new PriceSchedule(c.prices().cpuHour(), List.of(windows)),
                c.egressGb(), c.currency());
    }

    static CloudCandidate withCompute(CloudCandidate c, String computeType) {
        return new CloudCandidate(c.name(), c.ready(), c.readyReason(), c.jurisdiction(), c.region(), c.labels(),
                computeType, c.slots(), c.running(), c.prices(), c.egressGb(), c.currency());
    }

    static CloudCandidate notReady(CloudCandidate c, String reason) {
        return new CloudCandidate(c.name(), false, reason, c.jurisdiction(), c.region(), c.labels(),
                c.computeType(), c.slots(), c.running(), c.prices(), c.egressGb(), c.currency());
    }

    /** A worker cloud none of whose worker processes has called lately. */
    static CloudCandidate withoutLiveWorkers(CloudCandidate c, String why) {
        return new CloudCandidate(c.name(), c.ready(), c.readyReason(), c.jurisdiction(), c.region(), c.labels(),
                "worker", c.slots(), c.running(), c.prices(), c.egressGb(), c.currency(), why);
    }

    static CloudCandidate withRegion(CloudCandidate c, String region) {
        return new CloudCandidate(c.name(), c.ready(), c.readyReason(), c.jurisdiction(), region, c.labels(),
                c.computeType(), c.slots(), c.running(), c.prices(), c.egressGb(), c.currency());
    }

    static PlacementRequest.Builder job() {
        return PlacementRequest.builder("team-a/shop-10m").partitions(10).cpuHoursPerPartition(1.0);
    }

    static long gb(double n) {
        return (long) (n * 1024 * 1024 * 1024);
    }
}
