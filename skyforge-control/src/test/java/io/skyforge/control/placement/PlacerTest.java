package io.skyforge.control.placement;

import static io.skyforge.control.placement.Fixtures.AFTERNOON;
import static io.skyforge.control.placement.Fixtures.cloud;
import static io.skyforge.control.placement.Fixtures.gb;
import static io.skyforge.control.placement.Fixtures.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlacerTest {

    private final Placer placer = new Placer();

    @ParameterizedTest(name = "{0} GB output, policy {1} → {2}")
    @CsvSource({
            // A cheap far cloud wins while the output is small; once the egress to the bucket's copy
            // outweighs the CPU saving, the cloud holding the copy wins even under 'cheapest'.
            "1,   cheapest, far-cheap",
            "100, cheapest, near",
            "100, balanced, near",
            "1,   balanced, far-cheap",
    })
    void shouldWeighCpuPriceAgainstEgressToTheBucketCopies(double outputGb, String policy, String winner) {
        List<CloudCandidate> clouds = List.of(cloud("far-cheap", "eu", 0.02, 8, 0), cloud("near", "eu", 0.10, 8, 0));
        PlacementRequest req = job().policy(Policy.parse(policy)).outputBytes(gb(outputGb)).outputCopies(List.of("near")).build();

        PlacementDecision d = placer.place(req, clouds, AFTERNOON);

        assertThat(d.outcome()).isEqualTo(Outcome.PLACED);
        assertThat(d.winners()).containsExactly(winner);
        assertThat(d.candidate("far-cheap").cost().total()).isEqualTo(10 * 0.02 + outputGb * 0.09, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(d.candidate("near").cost().total()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void shouldNeverPlaceOnACheaperCloudThatResidencyForbids() {
        List<CloudCandidate> clouds = List.of(cloud("us-cheap", "us", 0.01, 8, 0), cloud("eu-dear", "eu", 0.50, 8, 7));
        PlacementRequest req = job().policy(Policy.CHEAPEST)
                .residency(new ResidencyConstraint("Dataset team-a/shop label residency.skyforge.io/allowed=cn,eu", List.of("cn", "eu")))
                .build();

        PlacementDecision d = placer.place(req, clouds, AFTERNOON);

        assertThat(d.winners()).containsExactly("eu-dear");
        FilterVerdict usResidency = d.candidate("us-cheap").filters().get(1);
        assertThat(usResidency.passed()).isFalse();
        assertThat(usResidency.reason()).isEqualTo(
                "jurisdiction us not allowed: allowed cn, eu by Dataset team-a/shop label residency.skyforge.io/allowed=cn,eu");
        assertThat(d.candidate("us-cheap").score()).isNull();
    }

    @Test
    void shouldApplyDatasetAndBucketResidencyTogether() {
        List<CloudCandidate> clouds = List.of(cloud("a-cn", "cn", 0.01, 8, 0), cloud("b-eu", "eu", 0.05, 8, 0),
                cloud("c-us", "us", 0.001, 8, 0));
        PlacementRequest req = job().policy(Policy.CHEAPEST)
                .residency(new ResidencyConstraint("Dataset shop", List.of("cn", "eu")))
                .residency(new ResidencyConstraint("LogicalBucket lb-123", List.of("eu", "us")))
                .build();

        PlacementDecision d = placer.place(req, clouds, AFTERNOON);

        assertThat(d.winners()).containsExactly("b-eu");
        assertThat(d.candidate("a-cn").filters().get(1).reason()).contains("allowed eu, us by LogicalBucket lb-123");
        assertThat(d.candidate("c-us").filters().get(1).reason()).contains("allowed cn, eu by Dataset shop");
    }

    @Test
    void shouldMakeABatchJobWaitForTheNightWindowThatWrapsMidnight() {
        CloudCandidate night = Fixtures.withSchedule(cloud("night", "eu", 0.10, 8, 0), new PriceSchedule.Window(22, 6, 0.02));
        PlacementRequest req = job().priority(Priority.BATCH).policy(Policy.CHEAPEST).build();

        PlacementDecision d = placer.place(req, List.of(night, cloud("day", "eu", 0.09, 8, 0)), AFTERNOON);

        assertThat(d.outcome()).isEqualTo(Outcome.WAITING);
        assertThat(d.startAt()).isEqualTo(Instant.parse("2026-11-28T22:00:00Z"));
        assertThat(d.winners()).containsExactly("night");
        assertThat(d.estimatedCost()).isEqualTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.cheaperWindow().costNow()).isEqualTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.cheaperWindow().saving()).isEqualTo(0.7, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.reason()).contains("waits until 2026-11-28T22:00:00Z on night, saving 0.70 USD (78%)");
    }

    @Test
    void shouldStartABatchJobNowInsideTheCheapWindow() {
        CloudCandidate night = Fixtures.withSchedule(cloud("night", "eu", 0.10, 8, 0), new PriceSchedule.Window(22, 6, 0.02));
        PlacementRequest req = job().priority(Priority.BATCH).policy(Policy.CHEAPEST).build();

        PlacementDecision d = placer.place(req, List.of(night), Instant.parse("2026-11-28T03:30:00Z"));

        assertThat(d.outcome()).isEqualTo(Outcome.PLACED);
        assertThat(d.startAt()).isEqualTo(Instant.parse("2026-11-28T03:30:00Z"));
        assertThat(d.estimatedCost()).isEqualTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.cheaperWindow()).isNull();
    }

    @Test
    void shouldNeverMakeACriticalJobWait() {
        CloudCandidate night = Fixtures.withSchedule(cloud("night", "eu", 0.10, 8, 0), new PriceSchedule.Window(22, 6, 0.02));
        PlacementRequest req = job().priority(Priority.CRITICAL).policy(Policy.CHEAPEST).build();

        PlacementDecision d = placer.place(req, List.of(night), AFTERNOON);

        assertThat(d.outcome()).isEqualTo(Outcome.PLACED);
        assertThat(d.startAt()).isEqualTo(AFTERNOON);
        assertThat(d.cheaperWindow().waited()).isFalse();
        assertThat(d.cheaperWindow().note()).isEqualTo("critical jobs never wait");
        assertThat(d.reason()).contains("would save 0.80 USD, but critical jobs never wait");
    }

    @Test
    void shouldNotWaitForASavingBelowTheThreshold() {
        CloudCandidate c = Fixtures.withSchedule(cloud("c", "eu", 0.100, 8, 0), new PriceSchedule.Window(0, 6, 0.095));
        PlacementRequest req = job().priority(Priority.BATCH).policy(Policy.CHEAPEST).build();

        PlacementDecision d = placer.place(req, List.of(c), AFTERNOON);

        assertThat(d.outcome()).isEqualTo(Outcome.PLACED);
        assertThat(d.cheaperWindow().waited()).isFalse();
        assertThat(d.cheaperWindow().note()).contains("not worth waiting");
    }

    @Test
    void shouldSplitPartitionsInProportionToFreeSlots() {
        List<CloudCandidate> clouds = List.of(cloud("a", "eu", 0.1, 8, 2), cloud("b", "eu", 0.1, 4, 1),
                cloud("c", "eu", 0.1, 2, 1), cloud("full", "eu", 0.1, 4, 4));
        PlacementRequest req = job().partitions(20).allowSplit(true).build();

        PlacementDecision d = placer.place(req, clouds, AFTERNOON);

        // free slots 6 : 3 : 1 → 12 : 6 : 2; the full cloud is filtered out by capacity.
        assertThat(d.assignment()).containsExactly(new Share("a", 0, 12), new Share("b", 12, 6), new Share("c", 18, 2));
        assertThat(d.winners()).containsExactly("a", "b", "c");
        assertThat(d.cloudFor(0)).isEqualTo("a");
        assertThat(d.cloudFor(17)).isEqualTo("b");
        assertThat(d.cloudFor(19)).isEqualTo("c");
        assertThat(d.cloudFor(20)).isNull();
        assertThat(d.candidate("full").filters().get(5).reason()).isEqualTo("full: 4/4 slots busy");
    }

    @Test
    void shouldGiveLargestRemaindersToTheBetterRankedCloudsWhenSplitting() {
        List<CloudCandidate> clouds = List.of(cloud("a", "eu", 0.3, 3, 0), cloud("b", "eu", 0.1, 3, 0), cloud("c", "eu", 0.2, 3, 0));
        PlacementRequest req = job().partitions(4).allowSplit(true).policy(Policy.CHEAPEST).build();

        PlacementDecision d = placer.place(req, clouds, AFTERNOON);

        // Equal free slots: 4/3 each → 1 each plus one remainder, which goes to the cheapest (rank 1).
        assertThat(d.assignment()).containsExactly(new Share("b", 0, 2), new Share("c", 2, 1), new Share("a", 3, 1));
    }

    @Test
    void shouldRunEverythingOnTheWinnerWithoutAllowSplit() {
        List<CloudCandidate> clouds = List.of(cloud("a", "eu", 0.1, 8, 2), cloud("b", "eu", 0.1, 4, 1));
        PlacementDecision d = placer.place(job().partitions(20).build(), clouds, AFTERNOON);

        assertThat(d.assignment()).containsExactly(new Share("a", 0, 20));
    }

    @Test
    void shouldRefuseAPinToACloudResidencyForbidsWithTheExplanation() {
        List<CloudCandidate> clouds = List.of(cloud("cloud-us", "us", 0.01, 8, 0), cloud("cloud-eu", "eu", 0.05, 8, 0));
        PlacementRequest req = job().pinnedCloud("cloud-us")
                .residency(new ResidencyConstraint("Dataset team-a/customers label residency.skyforge.io/allowed=eu", List.of("eu")))
                .build();

        assertThatThrownBy(() -> placer.place(req, clouds, AFTERNOON))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESIDENCY))
                .hasMessage("job team-a/shop-10m: spec.cloud pins it to cloud-us, but residency forbids that cloud: "
                        + "jurisdiction us not allowed: allowed eu by Dataset team-a/customers label "
                        + "residency.skyforge.io/allowed=eu. Clouds the residency rules allow: cloud-eu (eu). "
                        + "Pin one of them or remove spec.cloud.");
    }

    @Test
    void shouldHonourAPinEvenToTheDearerCloud() {
        List<CloudCandidate> clouds = List.of(cloud("cheap", "eu", 0.01, 8, 0), cloud("dear", "eu", 0.50, 8, 0));
        PlacementDecision d = placer.place(job().pinnedCloud("dear").policy(Policy.CHEAPEST).build(), clouds, AFTERNOON);

        assertThat(d.winners()).containsExactly("dear");
        assertThat(d.candidate("cheap").filters().get(2).reason()).isEqualTo("spec.cloud pins the job to dear");
    }

    @Test
    void shouldNameTheClosestCloudWhenThePinNamesNone() {
        List<CloudCandidate> clouds = List.of(cloud("cloud-a", "eu", 0.01, 8, 0));
        assertThatThrownBy(() -> placer.place(job().pinnedCloud("clod-a").build(), clouds, AFTERNOON))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("(did you mean 'cloud-a'?)");
    }

    @Test
    void shouldRejectAContainerJobWhenNoCloudRunsKubernetes() {
        List<CloudCandidate> clouds = List.of(cloud("a", "eu", 0.01, 8, 0), Fixtures.withCompute(cloud("b", "eu", 0.01, 8, 0), "worker"));
        PlacementDecision d = placer.place(job().kind(JobKind.CONTAINER).build(), clouds, AFTERNOON);

        assertThat(d.outcome()).isEqualTo(Outcome.UNSCHEDULABLE);
        assertThat(d.winners()).isEmpty();
        assertThat(d.reason()).isEqualTo("no cloud can run the job: container jobs (spec.image) need a cloud with kubernetes compute, and none has it");
        assertThat(d.candidate("b").filters().get(4).reason())
                .isEqualTo("container jobs (spec.image) run only on kubernetes compute; this cloud has worker");
    }

    @Test
    void shouldPlaceAContainerJobOnTheKubernetesCloudOnly() {
        List<CloudCandidate> clouds = List.of(cloud("a", "eu", 0.01, 8, 0), Fixtures.withCompute(cloud("k8s", "eu", 0.5, 8, 0), "kubernetes"));
        PlacementDecision d = placer.place(job().kind(JobKind.CONTAINER).policy(Policy.CHEAPEST).build(), clouds, AFTERNOON);

        assertThat(d.winners()).containsExactly("k8s");
    }

    @Test
    void shouldKeepAClusterJobOnItsMembersAndCapTheirSlots() {
        List<CloudCandidate> clouds = List.of(cloud("a", "eu", 0.1, 8, 0), cloud("b", "eu", 0.1, 8, 0), cloud("outsider", "eu", 0.01, 8, 0));
        Map<String, Integer> members = new LinkedHashMap<>();
        members.put("b", 2);
        members.put("a", null);
        PlacementRequest req = job().cluster("pool", members).partitions(10).allowSplit(true).build();

        PlacementDecision d = placer.place(req, clouds, AFTERNOON);

        assertThat(d.candidate("outsider").filters().get(3).reason()).isEqualTo("not a member of LogicalCluster pool (members: b, a)");
        assertThat(d.candidate("b").freeSlots()).isEqualTo(2);
        assertThat(d.candidate("b").filters().get(5).reason()).isEqualTo("2 free (0/8 slots busy, cluster cap 2)");
        // free 8 (a) : 2 (b) → 8 : 2
        assertThat(d.assignment()).containsExactly(new Share("a", 0, 8), new Share("b", 8, 2));
    }

    @Test
    void shouldBreakExactTiesByCloudNameWhateverTheInputOrder() {
        List<CloudCandidate> clouds = new ArrayList<>(List.of(cloud("zeta", "eu", 0.1, 8, 2), cloud("alpha", "eu", 0.1, 8, 2),
                cloud("mid", "eu", 0.1, 8, 2)));
        PlacementDecision first = placer.place(job().build(), clouds, AFTERNOON);
        Collections.shuffle(clouds, new Random(7));
        PlacementDecision second = placer.place(job().build(), clouds, AFTERNOON);

        assertThat(first.winners()).containsExactly("alpha");
        assertThat(first.reason()).contains("(a tie, broken by name)");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldPreferTheRequestedRegion() {
        List<CloudCandidate> clouds = List.of(Fixtures.withRegion(cloud("a", "eu", 0.1, 8, 0), "eu-west-1"),
                Fixtures.withRegion(cloud("b", "eu", 0.1, 8, 0), "eu-central-1"));
        PlacementDecision d = placer.place(job().preferredRegion("eu-central-1").build(), clouds, AFTERNOON);

        assertThat(d.winners()).containsExactly("b");
        assertThat(d.reason()).contains("it leads on region (eu-central-1) +0.100");
    }

    @Test
    void shouldPreferTheLessLoadedCloudWhenFastest() {
        List<CloudCandidate> clouds = List.of(cloud("busy-cheap", "eu", 0.01, 8, 7), cloud("idle-dear", "eu", 0.10, 8, 0));

        assertThat(placer.place(job().policy(Policy.FASTEST).build(), clouds, AFTERNOON).winners()).containsExactly("idle-dear");
        assertThat(placer.place(job().policy(Policy.CHEAPEST).build(), clouds, AFTERNOON).winners()).containsExactly("busy-cheap");
    }

    @Test
    void shouldUseCustomWeightsAndRejectUnknownOnesWithASuggestion() {
        List<CloudCandidate> clouds = List.of(cloud("busy-cheap", "eu", 0.01, 8, 7), cloud("idle-dear", "eu", 0.10, 8, 0));
        PlacementDecision d = placer.place(job().policy(Policy.CUSTOM).weights(Map.of("load", 3.0, "cost", 1.0)).build(), clouds, AFTERNOON);
        assertThat(d.weights()).isEqualTo(new Weights(0.25, 0.75, 0, 0));
        assertThat(d.winners()).containsExactly("idle-dear");

        assertThatThrownBy(() -> placer.place(job().policy(Policy.CUSTOM).weights(Map.of("cots", 1.0, "lod", -1.0)).build(), clouds, AFTERNOON))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION))
                .hasMessage("spec.placement.weights: unknown weight 'cots' (did you mean 'cost'?); unknown weight 'lod'"
                        + " (did you mean 'load'?); known weights: cost, load, locality, region");
        assertThatThrownBy(() -> placer.place(job().policy(Policy.BALANCED).weights(Map.of("cost", 1.0)).build(), clouds, AFTERNOON))
                .hasMessage("spec.placement.weights apply only with policy: custom (policy is balanced)");
        assertThatThrownBy(() -> Policy.parse("cheapset")).hasMessageContaining("(did you mean 'cheapest'?)");
    }

    static final String SILENT = "no live workers (last seen: host-1/42 at 2026-11-28T13:40:00Z)";

    @Test
    void shouldPassOverAWorkerCloudWithoutLiveWorkersSayingWhoWasLastSeen() {
        List<CloudCandidate> clouds = List.of(Fixtures.withoutLiveWorkers(cloud("a", "eu", 0.01, 8, 0), SILENT),
                cloud("b", "eu", 0.05, 8, 0));

        PlacementDecision d = placer.place(job().policy(Policy.CHEAPEST).build(), clouds, AFTERNOON);

        assertThat(d.outcome()).isEqualTo(Outcome.PLACED);
        assertThat(d.winners()).containsExactly("b");
        CandidateReport a = d.candidate("a");
        assertThat(a.eligible()).isFalse();
        assertThat(a.filters()).filteredOn(f -> !f.passed())
                .containsExactly(new FilterVerdict(FilterVerdict.CAPACITY, false, SILENT));
    }

    @Test
    void shouldQueueAJobWhoseOnlyAllowedCloudHasNoLiveWorkers() {
        List<CloudCandidate> clouds = List.of(Fixtures.withoutLiveWorkers(cloud("a", "eu", 0.01, 8, 0), SILENT),
                cloud("b", "us", 0.01, 8, 0), cloud("c", "eu", 0.01, 2, 2));
        PlacementRequest req = job().residency(new ResidencyConstraint("Dataset shop", List.of("eu"))).build();

        PlacementDecision d = placer.place(req, clouds, AFTERNOON);

        assertThat(d.outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(d.reason()).isEqualTo("queued: no allowed cloud can take a task now (a: " + SILENT + "; full: c);"
                + " placed again when a worker calls in or a slot frees");
        assertThat(placer.eligible(req, clouds)).isEmpty();
    }

    @Test
    void shouldQueueWhenEveryAllowedCloudIsFull() {
        List<CloudCandidate> clouds = List.of(cloud("a", "eu", 0.1, 4, 4), cloud("b", "us", 0.1, 4, 0));
        PlacementRequest req = job().residency(new ResidencyConstraint("Dataset shop", List.of("eu"))).build();

        PlacementDecision d = placer.place(req, clouds, AFTERNOON);

        assertThat(d.outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(d.reason()).isEqualTo("queued: every allowed cloud is full (a); placed again when a slot frees");
    }

    @Test
    void shouldSkipCloudsThatAreNotReady() {
        List<CloudCandidate> clouds = List.of(Fixtures.notReady(cloud("down", "eu", 0.01, 8, 0), "EndpointUnreachable"),
                cloud("up", "eu", 0.1, 8, 0));
        PlacementDecision d = placer.place(job().policy(Policy.CHEAPEST).build(), clouds, AFTERNOON);

        assertThat(d.winners()).containsExactly("up");
        assertThat(d.candidate("down").filters().get(0).reason()).isEqualTo("not Ready: EndpointUnreachable");
        assertThat(d.reason()).isEqualTo("up is the only cloud that passes every filter. Estimated cost 1.00 USD");
    }

    @Test
    void shouldExplainWhyNothingCanRun() {
        List<CloudCandidate> clouds = List.of(Fixtures.notReady(cloud("a", "eu", 0.01, 8, 0), "Down"), cloud("b", "us", 0.1, 8, 0));
        PlacementRequest req = job().residency(new ResidencyConstraint("Dataset shop", List.of("eu"))).build();

        PlacementDecision d = placer.place(req, clouds, AFTERNOON);

        assertThat(d.outcome()).isEqualTo(Outcome.UNSCHEDULABLE);
        assertThat(d.reason()).isEqualTo("no cloud can run the job (2 candidates): ready rejected 1, residency rejected 1");
    }

    @Test
    void shouldRoundTripTheDecisionThroughJson() {
        CloudCandidate night = Fixtures.withSchedule(cloud("night", "eu", 0.10, 8, 3), new PriceSchedule.Window(22, 6, 0.02));
        PlacementRequest req = job().priority(Priority.BATCH).allowSplit(true).outputBytes(gb(3)).outputCopies(List.of("day"))
                .residency(new ResidencyConstraint("Dataset shop", List.of("eu"))).build();
        PlacementDecision d = placer.place(req, List.of(night, cloud("day", "eu", 0.09, 8, 0), cloud("us", "us", 0.01, 8, 0)), AFTERNOON);

        tools.jackson.databind.node.ObjectNode json = d.toJson();

        assertThat(json.path("outcome").asString()).isEqualTo("WAITING");
        assertThat(json.path("candidates").get(0).path("filters").get(0).path("filter").asString()).isEqualTo("ready");
        assertThat(PlacementDecision.fromJson(json)).isEqualTo(d);
    }

    @Test
    void shouldRefuseDuplicateCloudNames() {
        assertThatThrownBy(() -> placer.place(job().build(), List.of(cloud("a", "eu", 0.1, 8, 0), cloud("a", "us", 0.1, 8, 0)), AFTERNOON))
                .hasMessage("two candidate clouds are named a");
    }

    @Test
    void shouldFailClosedWhenAResidencyRuleAllowsNothing() {
        // What PlacementInputs gives PII data whose bucket copies carry no jurisdiction.
        PlacementRequest req = job().residency(new ResidencyConstraint("Dataset team-a/customers label classification=pii", List.of())).build();

        PlacementDecision d = placer.place(req, List.of(cloud("a", "eu", 0.1, 8, 0)), AFTERNOON);

        assertThat(d.outcome()).isEqualTo(Outcome.UNSCHEDULABLE);
        assertThat(d.candidate("a").filters().get(1).reason())
                .isEqualTo("jurisdiction eu not allowed: nothing allowed by Dataset team-a/customers label classification=pii");
    }

    @Test
    void shouldSayWhenNoCloudIsRegistered() {
        PlacementDecision d = placer.place(job().build(), List.of(), AFTERNOON);

        assertThat(d.outcome()).isEqualTo(Outcome.UNSCHEDULABLE);
        assertThat(d.reason()).isEqualTo("no cloud is registered");
    }
}
