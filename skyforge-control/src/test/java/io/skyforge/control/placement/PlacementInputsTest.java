package io.skyforge.control.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.core.codec.ResourceJson;
import io.skyforge.core.model.Resource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementInputsTest {

    private static Resource yaml(String text) {
        return ResourceJson.read(ResourceCodec.parseOne("test.yaml", text).body());
    }

    private static final Resource CLOUD_CN = yaml("""
            apiVersion: core.mcp/v1
            kind: Cloud
            metadata: {name: aliyun-hz, labels: {jurisdiction: cn}}
            spec:
              type: s3
              region: cn-hangzhou
              compute: {type: worker, slots: 8}
              pricing:
                cpuHour: 0.08
                egressGb: 0.12
                currency: USD
                schedule: [{hours: "22-06", cpuHour: 0.03}]
            status:
              conditions: [{type: Ready, status: "True", reason: HealthCheckPassed}]
            """);

    private static final Resource CLOUD_US = yaml("""
            apiVersion: core.mcp/v1
            kind: Cloud
            metadata: {name: aws-use, labels: {jurisdiction: us, region: us-east-1}}
            spec:
              type: s3
              compute: {type: kubernetes}
            status:
              conditions: [{type: Ready, status: "False", reason: EndpointUnreachable, message: connection refused}]
            """);

    private static final Resource BUCKET = yaml("""
            apiVersion: storage.mcp/v1
            kind: LogicalBucket
            metadata: {name: lb-123, namespace: team-a}
            spec:
              providers:
              - {cloud: aliyun-hz, physicalId: bucket-x}
              - {cloud: aws-fra, physicalId: bucket-y}
            """);

    @Test
    void shouldReadWhetherAWorkerCloudHasLiveWorkersFromItsWorkersCondition() {
        String silent = "no live workers (last seen: host-1/42 at 2026-11-28T13:40:00Z)";
        Resource quiet = yaml("""
                apiVersion: core.mcp/v1
                kind: Cloud
                metadata: {name: fleet}
                spec:
                  type: filesystem
                  compute: {type: worker, slots: 2}
                status:
                  conditions:
                  - {type: Ready, status: "True", reason: ProbeSucceeded}
                  - {type: Workers, status: "False", reason: NoLiveWorkers, message: "%s"}
                """.formatted(silent));
        assertThat(PlacementInputs.cloud(quiet, 0).noWorkers()).isEqualTo(silent);
        assertThat(PlacementInputs.cloud(quiet, 0).ready()).isTrue();
        Resource live = yaml("""
                apiVersion: core.mcp/v1
                kind: Cloud
                metadata: {name: fleet}
                spec:
                  type: filesystem
                  compute: {type: worker, slots: 2}
                status:
                  conditions: [{type: Workers, status: "True", reason: LiveWorkers, message: "1 live worker(s): w"}]
                """);
        assertThat(PlacementInputs.cloud(live, 0).noWorkers()).isNull();
        // No verdict yet (a control plane just started, or no liveness check at all): no opinion.
        assertThat(PlacementInputs.cloud(CLOUD_CN, 0).noWorkers()).isNull();
    }

    @Test
    void shouldReadACloudsReadinessJurisdictionComputeAndPrices() {
        CloudCandidate cn = PlacementInputs.cloud(CLOUD_CN, 3);

        assertThat(cn.ready()).isTrue();
        assertThat(cn.readyReason()).isEqualTo("HealthCheckPassed");
        assertThat(cn.jurisdiction()).isEqualTo("cn");
        assertThat(cn.region()).isEqualTo("cn-hangzhou");
        assertThat(cn.computeType()).isEqualTo("worker");
        assertThat(cn.slots()).isEqualTo(8);
        assertThat(cn.running()).isEqualTo(3);
        assertThat(cn.prices().priceAt(23)).isEqualTo(0.03);
        assertThat(cn.prices().priceAt(12)).isEqualTo(0.08);
        assertThat(cn.egressGb()).isEqualTo(0.12);

        CloudCandidate us = PlacementInputs.cloud(CLOUD_US, 0);
        assertThat(us.ready()).isFalse();
        assertThat(us.readyReason()).isEqualTo("EndpointUnreachable (connection refused)");
        assertThat(us.region()).isEqualTo("us-east-1");
        assertThat(us.slots()).isEqualTo(1);
        assertThat(us.prices().priceAt(0)).isZero();
    }

    @Test
    void shouldCombineTheDatasetLabelAndTheBucketResidency() {
        Resource dataset = yaml("""
                apiVersion: data.mcp/v1
                kind: Dataset
                metadata: {name: customers, namespace: team-a, labels: {"residency.skyforge.io/allowed": "cn, eu"}}
                spec: {tables: []}
                """);
        Resource bucket = yaml("""
                apiVersion: storage.mcp/v1
                kind: LogicalBucket
                metadata: {name: lb-eu, namespace: team-a}
                spec:
                  providers: [{cloud: aws-fra, physicalId: b}]
                  residency: {allowed: [eu]}
                """);

        List<ResidencyConstraint> rules = PlacementInputs.residency(dataset, bucket, List.of());

        assertThat(rules).containsExactly(
                new ResidencyConstraint("Dataset team-a/customers label residency.skyforge.io/allowed=cn, eu", List.of("cn", "eu")),
                new ResidencyConstraint("LogicalBucket team-a/lb-eu spec.residency.allowed=eu", List.of("eu")));
    }

    @Test
    void shouldKeepPiiDataWithoutAnExplicitRuleInTheJurisdictionsOfItsBucketCopies() {
        Resource pii = yaml("""
                apiVersion: data.mcp/v1
                kind: Dataset
                metadata: {name: customers, namespace: team-a, labels: {classification: pii}}
                spec: {tables: []}
                """);
        List<CloudCandidate> clouds = List.of(PlacementInputs.cloud(CLOUD_CN, 0), PlacementInputs.cloud(CLOUD_US, 0),
                Fixtures.cloud("aws-fra", "eu", 0.1, 8, 0));

        List<ResidencyConstraint> rules = PlacementInputs.residency(pii, BUCKET, clouds);
        List<ResidencyConstraint> noBucket = PlacementInputs.residency(pii, null, clouds);

        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).allowed()).containsExactly("cn", "eu");
        assertThat(rules.get(0).source()).contains("classification=pii").contains("(aliyun-hz, aws-fra)");
        assertThat(noBucket.get(0).allowed()).isEmpty();
    }

    @Test
    void shouldBuildTheRequestFromTheJobAndPlaceItOnTheCheaperAllowedCloud() {
        Resource job = yaml("""
                apiVersion: batch.mcp/v1
                kind: DataJob
                metadata: {name: shop-10m, namespace: team-a}
                spec:
                  cluster: pool
                  generate: {dataset: shop, scale: 10}
                  output: {bucket: lb-123, prefix: shop/v1, format: parquet}
                  parallelism: 16
                  priority: batch
                  placement: {policy: custom, allowSplit: true, weights: {cost: 2, locality: 1}, region: eu-central-1}
                """);
        Resource cluster = yaml("""
                apiVersion: compute.mcp/v1
                kind: LogicalCluster
                metadata: {name: pool, namespace: team-a}
                spec:
                  members: [{cloud: aliyun-hz, slots: 4}, {cloud: aws-fra}]
                """);
        List<CloudCandidate> clouds = List.of(PlacementInputs.cloud(CLOUD_CN, 0), PlacementInputs.cloud(CLOUD_US, 0));

        PlacementRequest req = PlacementInputs.request(job, null, BUCKET, cluster, clouds, 16, 0.25, 1L << 30);

        assertThat(req.job()).isEqualTo("team-a/shop-10m");
        assertThat(req.kind()).isEqualTo(JobKind.GENERATE);
        assertThat(req.priority()).isEqualTo(Priority.BATCH);
        assertThat(req.policy()).isEqualTo(Policy.CUSTOM);
        assertThat(req.weights()).isEqualTo(Map.of("cost", 2.0, "locality", 1.0));
        assertThat(req.allowSplit()).isTrue();
        assertThat(req.cluster()).isEqualTo("pool");
        assertThat(req.clusterMembers()).containsEntry("aliyun-hz", 4).containsEntry("aws-fra", null);
        assertThat(req.outputCopies()).containsExactly("aliyun-hz", "aws-fra");
        assertThat(req.preferredRegion()).isEqualTo("eu-central-1");

        PlacementDecision d = new Placer().place(req, clouds, Instant.parse("2026-11-28T23:00:00Z"));
        assertThat(d.assignment()).containsExactly(new Share("aliyun-hz", 0, 16));
        assertThat(d.candidate("aliyun-hz").freeSlots()).isEqualTo(4);
    }

    @Test
    void shouldTreatAnImageJobAsAContainerJob() {
        Resource job = yaml("""
                apiVersion: batch.mcp/v1
                kind: DataJob
                metadata: {name: data-cleaning}
                spec:
                  cloud: CLOUD_A
                  image: data-processor:v1
                  resources: {cpu: 2, memory: 4Gi}
                """);

        PlacementRequest req = PlacementInputs.request(job, null, null, null, List.of(), 1, 0, 0);

        assertThat(req.kind()).isEqualTo(JobKind.CONTAINER);
        assertThat(req.pinnedCloud()).isEqualTo("CLOUD_A");
        assertThat(req.priority()).isEqualTo(Priority.CRITICAL);
        assertThat(req.policy()).isEqualTo(Policy.BALANCED);
    }
}
