package io.skyforge.provider.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.skyforge.core.model.ComputeSpec;
import io.skyforge.core.model.ResourceRequirements;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The generated Job manifests, compared byte for byte with the golden files in
 * {@code src/test/resources/golden/}. After an intended change, rewrite them with
 * {@code ./mvnw -B -pl providers/kubernetes -am verify -Dtest=IndexedJobManifestTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dskyforge.writeGolden=true} and review the diff.
 */
class IndexedJobManifestTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

    @Test
    void shouldBuildTheGenerateJobOfTheGoldenFile() throws IOException {
        Job job = IndexedJobManifest.build(new IndexedJobRequest(Fixtures.generateJob(), "CLOUD_A",
                TaskIndexes.range(0, 12), 16), Fixtures.settings());

        assertGolden("indexed-job-generate.yaml", job);
    }

    @Test
    void shouldBuildTheContainerJobOfTheGoldenFile() throws IOException {
        Job job = IndexedJobManifest.build(new IndexedJobRequest(Fixtures.containerJob(), "CLOUD_A",
                TaskIndexes.range(0, 4), 4), Fixtures.settings());

        assertGolden("indexed-job-container.yaml", job);
    }

    @Test
    void shouldBuildALaterRoundOfTheUnfinishedTasksAsTheGoldenFileSays() throws IOException {
        Job job = IndexedJobManifest.build(new IndexedJobRequest(Fixtures.generateJob(), "cloud-b",
                TaskIndexes.of(3, 12, 13, 14, 15), 16, 1), Fixtures.settings());

        assertGolden("indexed-job-generate-tasks.yaml", job);
    }

    @Test
    void shouldRunOneCompletionPerPartitionOfTheCloudAtMostSlotsAtATime() {
        Job many = build(Fixtures.generateJob(), TaskIndexes.range(0, 12), 16, Fixtures.settings());
        Job few = build(Fixtures.generateJob(), TaskIndexes.range(12, 4), 16, Fixtures.settings());

        assertThat(many.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(many.getSpec().getCompletions()).isEqualTo(12);
        assertThat(many.getSpec().getParallelism()).isEqualTo(8);
        assertThat(few.getSpec().getCompletions()).isEqualTo(4);
        assertThat(few.getSpec().getParallelism()).isEqualTo(4);
    }

    @Test
    void shouldRetryEachPartitionUpToTheDataJobsBackoffLimitOrThreeAndStopAtTheFirstThatFailsForGood() {
        Job fromSpec = build(Fixtures.generateJob(), TaskIndexes.range(0, 1), 16, Fixtures.settings());
        Job defaulted = build(Fixtures.containerJob(), TaskIndexes.range(0, 1), 4, Fixtures.settings());

        assertThat(fromSpec.getSpec().getBackoffLimitPerIndex()).isEqualTo(2);
        assertThat(defaulted.getSpec().getBackoffLimitPerIndex()).isEqualTo(3);
        assertThat(defaulted.getSpec().getBackoffLimit()).as("no Job-wide limit one partition could use up").isNull();
        assertThat(defaulted.getSpec().getMaxFailedIndexes()).isZero();
        var rule = defaulted.getSpec().getPodFailurePolicy().getRules().get(0);
        assertThat(rule.getAction()).isEqualTo("Ignore");
        assertThat(rule.getOnPodConditions().get(0).getType()).isEqualTo("DisruptionTarget");
        assertThat(defaulted.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(defaulted.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
    }

    @Test
    void shouldLinkTheJobBackToItsDataJob() {
        Job job = build(Fixtures.generateJob(), TaskIndexes.range(0, 16), 16, Fixtures.settings());

        assertThat(job.getMetadata().getName()).isEqualTo(JobNames.jobName("team-a", "shop-10m", "CLOUD_A"));
        assertThat(job.getMetadata().getNamespace()).isEqualTo("skyforge-jobs");
        assertThat(job.getMetadata().getLabels()).containsEntry("skyforge.io/job-namespace", "team-a")
                .containsEntry("skyforge.io/job-name", "shop-10m")
                .containsEntry("skyforge.io/job-uid", Fixtures.UID)
                .containsEntry("skyforge.io/cloud", "CLOUD_A")
                .containsEntry("app.kubernetes.io/managed-by", "skyforge");
        assertThat(job.getMetadata().getAnnotations()).containsEntry("skyforge.io/job", "team-a/shop-10m")
                .containsEntry("skyforge.io/job-generation", "2");
        assertThat(job.getMetadata().getLabels()).containsEntry("skyforge.io/round", "0");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(job.getMetadata().getLabels());
    }

    @Test
    void shouldRunTheWorkerForTheCompletionIndexWithTheTokenOnlyAsASecretReference() {
        Container c = container(build(Fixtures.generateJob(), TaskIndexes.range(0, 16), 16, Fixtures.settings()));

        assertThat(c.getImage()).isEqualTo("skyforge:0.1.0");
        assertThat(c.getCommand()).containsExactly("skyforge", "worker", "--server", "$(SKYFORGE_SERVER)",
                "--cloud", "CLOUD_A", "--job", "team-a/shop-10m", "--index", "$(JOB_COMPLETION_INDEX)");
        EnvVar token = env(c).get("SKYFORGE_TOKEN");
        assertThat(token.getValue()).isNull();
        assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("skyforge-worker-token");
        assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
        assertThat(env(c).get("SKYFORGE_SERVER").getValue()).isEqualTo("http://skyforge.skyforge-system.svc:8080");
    }

    @Test
    void shouldLookUpTheTaskOfTheCompletionIndexWhenTheyDiffer() throws IOException, InterruptedException {
        Container c = container(build(Fixtures.generateJob(), TaskIndexes.of(3, 12, 13), 16, Fixtures.settings()));
        Map<String, EnvVar> env = env(c);

        assertThat(c.getCommand()).hasSize(3).startsWith("/bin/sh", "-c");
        assertThat(env.get("SKYFORGE_TASK_INDEXES").getValue()).isEqualTo("3 12 13");
        assertThat(env.get("SKYFORGE_CLOUD").getValue()).isEqualTo("CLOUD_A");
        assertThat(env.get("SKYFORGE_JOB").getValue()).isEqualTo("team-a/shop-10m");
        // Run the script as a pod would, with a stand-in `skyforge` that prints its arguments.
        for (int completion = 0; completion < 3; completion++) {
            assertThat(runScript(c.getCommand().get(2), env, completion)).isEqualTo("worker --server http://skyforge"
                    + ".skyforge-system.svc:8080 --cloud CLOUD_A --job team-a/shop-10m --index " + List.of(3, 12, 13).get(completion));
        }
    }

    @Test
    void shouldMapTheJobsResourcesToRequestsAndLimits() {
        Container c = container(build(Fixtures.generateJob(), TaskIndexes.range(0, 1), 16, Fixtures.settings()));

        Map<String, Quantity> expected = Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi"));
        assertThat(c.getResources().getRequests()).isEqualTo(expected);
        assertThat(c.getResources().getLimits()).isEqualTo(expected);
    }

    @Test
    void shouldAcceptEveryQuantityShapeKubernetesDoes() {
        assertThat(IndexedJobManifest.resources(new ResourceRequirements("0.5", "1e9")))
                .containsEntry("cpu", new Quantity("0.5")).containsEntry("memory", new Quantity("1e9"));
        assertThat(IndexedJobManifest.resources(new ResourceRequirements("250m", "128M")))
                .containsEntry("cpu", new Quantity("250m")).containsEntry("memory", new Quantity("128M"));
        assertThat(IndexedJobManifest.resources(new ResourceRequirements(null, "2Gi"))).containsOnlyKeys("memory");
        assertThat(IndexedJobManifest.resources(null)).isEmpty();
    }

    @Test
    void shouldRefuseResourcesThatAreNotQuantitiesNamingBoth() {
        SkyforgeException e = catchThrowableOfType(SkyforgeException.class,
                () -> IndexedJobManifest.resources(new ResourceRequirements("two", "4GB")));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
        assertThat(e.getMessage()).isEqualTo("spec.resources: cpu 'two' is not a Kubernetes quantity (e.g. 2 or 500m) (and 1 more)");
        assertThat(e.violations()).extracting(v -> v.path()).containsExactly("spec.resources.cpu", "spec.resources.memory");
    }

    @Test
    void shouldGiveAContainerJobItsPartitionAndOutputInItsEnvironment() {
        Container c = container(build(Fixtures.containerJob(), TaskIndexes.range(1, 3), 4, Fixtures.settings()));

        assertThat(c.getImage()).isEqualTo("data-processor:v1");
        assertThat(c.getCommand()).containsExactly("/app/clean");
        assertThat(c.getArgs()).containsExactly("--strict");
        Map<String, EnvVar> env = env(c);
        assertThat(env.get("SKYFORGE_PARTITIONS").getValue()).isEqualTo("4");
        assertThat(env.get("SKYFORGE_TASK_INDEXES").getValue()).isEqualTo("1 2 3");
        assertThat(env.get("SKYFORGE_JOB").getValue()).isEqualTo("team-a/data-cleaning");
        assertThat(env.get("SKYFORGE_OUTPUT_BUCKET").getValue()).isEqualTo("lb-123");
        assertThat(env.get("SKYFORGE_OUTPUT_PREFIX").getValue()).isEqualTo("cleaned");
        assertThat(env.get("SKYFORGE_OUTPUT_FORMAT").getValue()).isEqualTo("csv");
        assertThat(env.get("SKYFORGE_OUTPUT_URL").getValue())
                .isEqualTo("$(SKYFORGE_SERVER)/data/v1/namespaces/team-a/buckets/lb-123/objects/cleaned/");
        assertThat(env.get("SKYFORGE_TOKEN").getValueFrom().getSecretKeyRef().getName()).isEqualTo("skyforge-worker-token");
        // SKYFORGE_OUTPUT_URL refers to SKYFORGE_SERVER, which the kubelet expands only when it comes first.
        List<String> names = c.getEnv().stream().map(EnvVar::getName).toList();
        assertThat(names.indexOf("SKYFORGE_SERVER")).isLessThan(names.indexOf("SKYFORGE_OUTPUT_URL"));
        assertThat(c.getResources().getLimits()).containsEntry("cpu", new Quantity("500m"));
    }

    @Test
    void shouldLeaveTheOutputOutOfAContainerJobThatHasNone() {
        Container c = container(build(Fixtures.dataJob("""
                apiVersion: batch.mcp/v1
                kind: DataJob
                metadata: {name: report, namespace: ops}
                spec: {image: "reporter:2"}
                """, Fixtures.UID), TaskIndexes.range(0, 1), 1, Fixtures.settings()));

        assertThat(env(c)).containsOnlyKeys("SKYFORGE_SERVER", "SKYFORGE_TOKEN", "SKYFORGE_JOB", "SKYFORGE_CLOUD",
                "SKYFORGE_PARTITIONS", "SKYFORGE_TASK_INDEXES");
        assertThat(c.getCommand()).isNullOrEmpty();
        assertThat(c.getArgs()).isNullOrEmpty();
        assertThat(c.getResources()).isNull();
    }

    @Test
    void shouldRefuseAGenerateJobOnACloudWithoutAWorkerImage() {
        KubernetesSettings noImage = KubernetesSettings.of("k8s", new ComputeSpec("kubernetes", 2, null, null, null, null,
                "http://cp:8080", null, null, null, null, null));

        SkyforgeException e = catchThrowableOfType(SkyforgeException.class,
                () -> build(Fixtures.generateJob(), TaskIndexes.range(0, 1), 16, noImage));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
        assertThat(e.getMessage()).isEqualTo("Cloud CLOUD_A cannot run generate jobs: spec.compute.image is not set"
                + " (the image that runs 'skyforge worker')");
    }

    @Test
    void shouldLeaveOptionalPodSettingsOutWhenTheCloudHasNone() {
        KubernetesSettings bare = KubernetesSettings.of("k8s", new ComputeSpec("kubernetes", null, null, "skyforge:1", null,
                null, "http://cp:8080", null, null, null, null, null));

        Job job = build(Fixtures.generateJob(), TaskIndexes.range(0, 3), 16, bare);

        assertThat(job.getSpec().getTemplate().getSpec().getServiceAccountName()).isNull();
        assertThat(job.getSpec().getTemplate().getSpec().getImagePullSecrets()).isNullOrEmpty();
        assertThat(job.getSpec().getParallelism()).isEqualTo(1);
        assertThat(IndexedJobManifest.toYaml(job)).doesNotContain("serviceAccountName", "imagePullSecrets");
    }

    private static Job build(io.skyforge.core.model.Resource job, TaskIndexes range, int total, KubernetesSettings s) {
        return IndexedJobManifest.build(new IndexedJobRequest(job, "CLOUD_A", range, total), s);
    }

    /** Runs a pod's shell script with /bin/sh, {@code skyforge} being a script that echoes its arguments. */
    private static String runScript(String script, Map<String, EnvVar> env, int completionIndex)
            throws IOException, InterruptedException {
        Path bin = Files.createTempDirectory("skyforge-bin");
        try {
            Path fake = bin.resolve("skyforge");
            Files.writeString(fake, "#!/bin/sh\necho \"$@\"\n");
            assertThat(fake.toFile().setExecutable(true)).isTrue();
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().put("PATH", bin + ":/usr/bin:/bin");
            env.forEach((k, v) -> pb.environment().put(k, v.getValue() == null ? "token-from-secret" : v.getValue()));
            pb.environment().put("JOB_COMPLETION_INDEX", Integer.toString(completionIndex));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor()).as(out).isZero();
            return out;
        } finally {
            Files.deleteIfExists(bin.resolve("skyforge"));
            Files.delete(bin);
        }
    }

    private static Container container(Job job) {
        List<Container> containers = job.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, EnvVar> env(Container c) {
        return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    private static void assertGolden(String file, Job job) throws IOException {
        String yaml = IndexedJobManifest.toYaml(job);
        Path golden = GOLDEN.resolve(file);
        if (Boolean.getBoolean("skyforge.writeGolden")) {
            Files.writeString(golden, yaml, StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file %s (see this class's comment to rewrite it)", golden).exists();
        assertThat(yaml).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
