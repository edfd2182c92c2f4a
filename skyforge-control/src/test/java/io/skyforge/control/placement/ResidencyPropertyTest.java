package io.skyforge.control.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Residency is the one rule no weight, price or load may bend. A seeded random search over
 * thousands of snapshots and requests (each seed printed on failure, so a counterexample replays).
 */
class ResidencyPropertyTest {

    private static final List<String> JURISDICTIONS = List.of("cn", "eu", "us", "sg");
    private static final int RUNS = 3_000;

    @Test
    void shouldNeverPlaceAnyPartitionWhereResidencyForbidsWhateverTheWeightsPricesAndLoads() {
        Placer placer = new Placer();
        int placed = 0;
        int refusedPins = 0;
        for (int run = 0; run < RUNS; run++) {
            long seed = 0x5eedL * 31 + run;
            Random rnd = new Random(seed);
            List<CloudCandidate> clouds = randomClouds(rnd);
            PlacementRequest req = randomRequest(rnd, clouds);
            Instant now = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(rnd.nextInt(14 * 24 * 3600));
            PlacementDecision d;
            try {
                d = placer.place(req, clouds, now);
            } catch (SkyforgeException e) {
                assertThat(e.code()).as("seed %d: %s", seed, e.getMessage()).isEqualTo(ErrorCode.RESIDENCY);
                CloudCandidate pinned = clouds.stream().filter(c -> c.name().equals(req.pinnedCloud())).findFirst().orElseThrow();
                assertThat(allowed(req, pinned)).as("seed %d: a pin to an allowed cloud was refused", seed).isFalse();
                refusedPins++;
                continue;
            }
            Map<String, CloudCandidate> byName = new HashMap<>();
            clouds.forEach(c -> byName.put(c.name(), c));
            int covered = 0;
            for (Share s : d.assignment()) {
                CloudCandidate c = byName.get(s.cloud());
                if (!allowed(req, c)) {
                    fail("seed %d: %d partitions on %s (%s) violate %s", seed, s.count(), c.name(), c.jurisdiction(), req.residency());
                }
                assertThat(s.first()).as("seed %d: shares are contiguous", seed).isEqualTo(covered);
                covered += s.count();
            }
            for (CandidateReport r : d.candidates()) {
                if (r.eligible()) {
                    assertThat(allowed(req, byName.get(r.cloud()))).as("seed %d: %s eligible", seed, r.cloud()).isTrue();
                }
            }
            if (d.outcome() == Outcome.PLACED || d.outcome() == Outcome.WAITING) {
                assertThat(covered).as("seed %d: every partition assigned", seed).isEqualTo(req.partitions());
                placed++;
            } else {
                assertThat(d.assignment()).isEmpty();
            }
        }
        // The generator must exercise both sides, or the property says nothing.
        assertThat(placed).isGreaterThan(RUNS / 3);
        assertThat(refusedPins).isGreaterThan(10);
    }

    /** The property's own statement of the rule, independent of the filter's code. */
    private static boolean allowed(PlacementRequest req, CloudCandidate c) {
        for (ResidencyConstraint r : req.residency()) {
            if (c.jurisdiction() == null || !r.allowed().contains(c.jurisdiction())) {
                return false;
            }
        }
        return true;
    }

    private static List<CloudCandidate> randomClouds(Random rnd) {
        int n = 1 + rnd.nextInt(12);
        List<CloudCandidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String j = rnd.nextInt(8) == 0 ? null : JURISDICTIONS.get(rnd.nextInt(JURISDICTIONS.size()));
            int slots = rnd.nextInt(6) == 0 ? 0 : 1 + rnd.nextInt(32);
            int running = rnd.nextInt(slots + 3);
            List<PriceSchedule.Window> windows = new ArrayList<>();
            for (int w = rnd.nextInt(3); w > 0; w--) {
                int from = rnd.nextInt(24);
                int to = (from + 1 + rnd.nextInt(23)) % 24;
                windows.add(new PriceSchedule.Window(from, to, rnd.nextDouble() * 0.2));
            }
            String compute = List.of("local", "worker", "kubernetes").get(rnd.nextInt(3));
            out.add(new CloudCandidate("c" + i, rnd.nextInt(6) != 0, "r", j, "r" + rnd.nextInt(3), Map.of(), compute, slots,
                    running, new PriceSchedule(rnd.nextDouble() * 0.3, windows), rnd.nextDouble() * 0.2, "USD"));
        }
        return out;
    }

    private static PlacementRequest randomRequest(Random rnd, List<CloudCandidate> clouds) {
        PlacementRequest.Builder b = PlacementRequest.builder("job")
                .kind(rnd.nextInt(5) == 0 ? JobKind.CONTAINER : JobKind.GENERATE)
                .priority(rnd.nextBoolean() ? Priority.BATCH : Priority.CRITICAL)
                .allowSplit(rnd.nextBoolean())
                .partitions(1 + rnd.nextInt(200))
                .cpuHoursPerPartition(rnd.nextDouble() * 4)
                .outputBytes((long) (rnd.nextDouble() * 50e9))
                .preferredRegion(rnd.nextBoolean() ? "r" + rnd.nextInt(3) : null);
        Policy policy = Policy.values()[rnd.nextInt(Policy.values().length)];
        b.policy(policy);
        if (policy == Policy.CUSTOM) {
            Map<String, Double> w = new HashMap<>();
            for (String t : Weights.TERMS) {
                w.put(t, rnd.nextInt(4) == 0 ? 0.0 : rnd.nextDouble() * 100);
            }
            w.put("cost", w.get("cost") + 0.01);
            b.weights(w);
        }
        List<String> copies = new ArrayList<>();
        for (CloudCandidate c : clouds) {
            if (rnd.nextInt(3) == 0) {
                copies.add(c.name());
            }
        }
        b.outputCopies(copies);
        for (int k = rnd.nextInt(3); k > 0; k--) {
            List<String> allowed = new ArrayList<>();
            for (String j : JURISDICTIONS) {
                if (rnd.nextBoolean()) {
                    allowed.add(j);
                }
            }
            b.residency(new ResidencyConstraint("rule " + k, allowed));
        }
        if (rnd.nextInt(4) == 0) {
            b.pinnedCloud(clouds.get(rnd.nextInt(clouds.size())).name());
        }
        if (rnd.nextInt(5) == 0) {
            Map<String, Integer> members = new HashMap<>();
            for (CloudCandidate c : clouds) {
                if (rnd.nextBoolean()) {
                    members.put(c.name(), rnd.nextBoolean() ? null : rnd.nextInt(8));
                }
            }
            if (!members.isEmpty()) {
                b.cluster("pool", members);
            }
        }
        return b.build();
    }
}
