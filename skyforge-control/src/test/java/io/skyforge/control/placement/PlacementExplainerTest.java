package io.skyforge.control.placement;

import static io.skyforge.control.placement.Fixtures.cloud;
import static io.skyforge.control.placement.Fixtures.gb;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementExplainerTest {

    /** Kept beside this class so a reviewer reads the output next to the scenario that made it. */
    private static final Path GOLDEN = Path.of("src/test/java/io/skyforge/control/placement/explain-night-batch.golden.txt");

    /**
     * The demo's shape: a PII-ish dataset allowed in cn and eu, a bucket with copies on both, a cheap
     * cn night window, a us cloud that is cheaper still but forbidden, and one cloud down.
     */
    static PlacementDecision nightBatchScenario() {
        List<CloudCandidate> clouds = List.of(
                Fixtures.withSchedule(new CloudCandidate("aliyun-hz", true, "HealthCheckPassed", "cn", "cn-hangzhou",
                        Map.of("jurisdiction", "cn"), "worker", 8, 2, new PriceSchedule(0.08, List.of()), 0.12, "USD"),
                        new PriceSchedule.Window(22, 6, 0.03)),
                new CloudCandidate("aws-fra", true, "HealthCheckPassed", "eu", "eu-central-1", Map.of("jurisdiction", "eu"),
                        "kubernetes", 16, 4, new PriceSchedule(0.10, List.of()), 0.09, "USD"),
                cloud("aws-use", "us", 0.02, 32, 0),
                Fixtures.notReady(cloud("local-eu", "eu", 0.0, 4, 0), "EndpointUnreachable (connect to 127.0.0.1:9000 refused)"));
        PlacementRequest req = PlacementRequest.builder("team-a/shop-10m")
                .priority(Priority.BATCH).policy(Policy.BALANCED).allowSplit(true)
                .partitions(16).cpuHoursPerPartition(2.0).outputBytes(gb(2))
                .outputCopies(List.of("aliyun-hz", "aws-fra"))
                .residency(new ResidencyConstraint("Dataset team-a/shop label residency.skyforge.io/allowed=cn,eu", List.of("cn", "eu")))
                .build();
        return new Placer().place(req, clouds, Instant.parse("2026-11-28T15:20:00Z"));
    }

    @Test
    void shouldRenderTheExplanationExactlyAsTheGoldenFile() throws IOException {
        String text = PlacementExplainer.render(nightBatchScenario());
        if (Boolean.getBoolean("skyforge.updateGolden")) {
            // After an intended change of the format: rerun with -Dskyforge.updateGolden=true and review the diff.
            Files.writeString(GOLDEN, text, StandardCharsets.UTF_8);
        }

        assertThat(text).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }

    @Test
    void shouldRenderTheSameTextAfterAJsonRoundTrip() {
        PlacementDecision d = nightBatchScenario();

        assertThat(PlacementExplainer.render(PlacementDecision.fromJson(d.toJson()))).isEqualTo(PlacementExplainer.render(d));
    }

    @Test
    void shouldRenderAnUnschedulableDecisionWithoutScores() {
        PlacementDecision d = new Placer().place(PlacementRequest.builder("j").kind(JobKind.CONTAINER).build(),
                List.of(cloud("a", "eu", 0.1, 4, 0)), Instant.parse("2026-11-28T15:20:00Z"));

        String text = PlacementExplainer.render(d);

        assertThat(text).doesNotContain("Scores at")
                .contains("  a      pass   pass       pass  pass     FAIL      pass      no\n")
                .endsWith("Decision: UNSCHEDULABLE — no cloud may run this job\nWhy: no cloud can run the job: container jobs"
                        + " (spec.image) need a cloud with kubernetes compute, and none has it\n");
    }
}
