package io.skyforge.provider.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KubernetesJobs} against fabric8's mock API server in CRUD mode (it stores what it is sent
 * and answers reads, lists and deletes like an API server, without controllers running pods).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesJobsContractTest {

    private static final String NS = "skyforge-jobs";

    KubernetesMockServer server;
    KubernetesClient client;
    private KubernetesJobs jobs;

    @BeforeEach
    void setUp() {
        jobs = new KubernetesJobs("CLOUD_A", client, NS);
    }

    @Test
    void shouldCreateTheJobWhenItDoesNotExist() {
        Job manifest = manifest(Fixtures.generateJob(), TaskIndexes.range(0, 12));

        KubernetesJobs.Ensured ensured = jobs.ensure(manifest);

        assertThat(ensured.outcome()).isEqualTo(KubernetesJobs.Outcome.CREATED);
        Job stored = client.batch().v1().jobs().inNamespace(NS).withName(manifest.getMetadata().getName()).get();
        assertThat(stored.getSpec().getCompletions()).isEqualTo(12);
        assertThat(stored.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(stored.getMetadata().getLabels()).containsEntry("skyforge.io/job-uid", Fixtures.UID);
    }

    @Test
    void shouldKeepTheJobWhenTheSameDataJobIsDispatchedAgain() {
        Job manifest = manifest(Fixtures.generateJob(), TaskIndexes.range(0, 12));
        jobs.ensure(manifest);

        // A restarted control plane (a new client, the same deterministic manifest) dispatches again.
        KubernetesJobs.Ensured again = new KubernetesJobs("CLOUD_A", client, NS)
                .ensure(manifest(Fixtures.generateJob(), TaskIndexes.range(0, 12)));

        assertThat(again.outcome()).isEqualTo(KubernetesJobs.Outcome.KEPT);
        assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems()).hasSize(1);
        assertThat(jobs.list()).extracting(JobProgress::jobUid).containsExactly(Fixtures.UID);
    }

    @Test
    void shouldReplaceAJobLeftByAnEarlierDataJobOfTheSameName() {
        Resource earlier = Fixtures.dataJob(yamlOf("shop-10m"), "0a0a0a0a-0000-4000-8000-000000000001");
        jobs.ensure(manifest(earlier, TaskIndexes.range(0, 12)));
        Job current = manifest(Fixtures.generateJob(), TaskIndexes.range(0, 12));

        KubernetesJobs.Ensured first = jobs.ensure(current);
        KubernetesJobs.Ensured second = jobs.ensure(current);

        assertThat(first.outcome()).isEqualTo(KubernetesJobs.Outcome.REPLACING);
        assertThat(first.progress().jobUid()).isEqualTo("0a0a0a0a-0000-4000-8000-000000000001");
        assertThat(second.outcome()).isEqualTo(KubernetesJobs.Outcome.CREATED);
        assertThat(jobs.list()).extracting(JobProgress::jobUid).containsExactly(Fixtures.UID);
    }

    @Test
    void shouldRefuseToTouchAJobOfThatNameThatIsNotThisDataJobs() {
        Job manifest = manifest(Fixtures.generateJob(), TaskIndexes.range(0, 12));
        client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder()
                .withNewMetadata().withName(manifest.getMetadata().getName()).addToLabels("team", "other").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("c").withImage("busybox")
                .endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec()
                .build()).create();

        SkyforgeException e = catchThrowableOfType(SkyforgeException.class, () -> jobs.ensure(manifest));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.getMessage()).isEqualTo("Cloud CLOUD_A: Kubernetes Job skyforge-jobs/" + manifest.getMetadata().getName()
                + " exists and does not belong to DataJob team-a/shop-10m; delete it or use another compute.namespace");
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName(manifest.getMetadata().getName()).get()
                .getMetadata().getLabels()).containsEntry("team", "other");
    }

    @Test
    void shouldReportWhichPartitionsTheJobCompleted() {
        Job manifest = manifest(Fixtures.generateJob(), TaskIndexes.of(3, 12, 13, 14));
        jobs.ensure(manifest);
        Job stored = client.batch().v1().jobs().inNamespace(NS).withName(manifest.getMetadata().getName()).get();
        stored.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                .withActive(1).withSucceeded(3).withFailed(2).withCompletedIndexes("0,2-3").build());
        client.batch().v1().jobs().inNamespace(NS).resource(stored).updateStatus();

        JobProgress p = jobs.progress(manifest.getMetadata().getName()).orElseThrow();

        assertThat(p.completions()).isEqualTo(4);
        assertThat(p.active()).isEqualTo(1);
        assertThat(p.succeeded()).isEqualTo(3);
        assertThat(p.failed()).isEqualTo(2);
        assertThat(p.completedIndexes()).containsExactly(0, 2, 3);
        assertThat(p.completedTasks()).containsExactly(3, 13, 14);
        assertThat(p.tasks()).containsExactly(3, 12, 13, 14);
        assertThat(p.isFinished()).isFalse();
        assertThat(p.jobNamespace()).isEqualTo("team-a");
        assertThat(p.jobName()).isEqualTo("shop-10m");
        assertThat(p.cloud()).isEqualTo("CLOUD_A");
    }

    @Test
    void shouldReportAFinishedJobFromItsConditions() {
        Job manifest = manifest(Fixtures.generateJob(), TaskIndexes.range(0, 2));
        jobs.ensure(manifest);
        Job stored = client.batch().v1().jobs().inNamespace(NS).withName(manifest.getMetadata().getName()).get();
        stored.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                .withFailed(3).withCompletedIndexes("1").withFailedIndexes("0")
                .withConditions(new JobConditionBuilder().withType("Failed").withStatus("True")
                        .withReason("MaxFailedIndexesExceeded")
                        .withMessage("Job has exceeded the specified maximal number of failed indexes").build())
                .build());
        client.batch().v1().jobs().inNamespace(NS).resource(stored).updateStatus();

        JobProgress p = jobs.progress(manifest.getMetadata().getName()).orElseThrow();

        assertThat(p.isFailed()).isTrue();
        assertThat(p.isFinished()).isTrue();
        assertThat(p.complete()).isFalse();
        assertThat(p.failureReason()).isEqualTo("MaxFailedIndexesExceeded");
        assertThat(p.failureMessage()).isEqualTo("Job has exceeded the specified maximal number of failed indexes");
        assertThat(p.completedTasks()).containsExactly(1);
    }

    @Test
    void shouldFindNoProgressForAJobThatDoesNotExist() {
        assertThat(jobs.progress("sf-nothing-here-00000000")).isEmpty();
    }

    @Test
    void shouldDeleteTheJobOnCancelInTheBackgroundAndSayWhenThereWasNone() throws InterruptedException {
        Job manifest = manifest(Fixtures.generateJob(), TaskIndexes.range(0, 12));
        jobs.ensure(manifest);

        boolean deleted = jobs.delete(manifest.getMetadata().getName());
        RecordedRequest request = server.getLastRequest();
        boolean again = jobs.delete(manifest.getMetadata().getName());

        assertThat(deleted).isTrue();
        assertThat(again).isFalse();
        assertThat(jobs.progress(manifest.getMetadata().getName())).isEmpty();
        assertThat(request.getMethod()).isEqualTo("DELETE");
        assertThat(request.getPath()).isEqualTo("/apis/batch/v1/namespaces/skyforge-jobs/jobs/" + manifest.getMetadata().getName());
        assertThat(request.getBody().readUtf8()).contains("\"propagationPolicy\":\"Background\"");
    }

    @Test
    void shouldListOnlyTheJobsSkyforgeMade() {
        jobs.ensure(manifest(Fixtures.generateJob(), TaskIndexes.range(0, 12)));
        jobs.ensure(manifest(Fixtures.containerJob(), TaskIndexes.range(0, 4)));
        client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder()
                .withNewMetadata().withName("someone-elses").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("c").withImage("busybox")
                .endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec()
                .build()).create();

        List<JobProgress> mine = jobs.list();

        assertThat(mine).extracting(JobProgress::jobName).containsExactlyInAnyOrder("shop-10m", "data-cleaning");
    }

    @Test
    void shouldListAndDeleteEveryJobOfOneDataJob() {
        jobs.ensure(manifest(Fixtures.generateJob(), TaskIndexes.range(0, 12)));
        jobs.ensure(IndexedJobManifest.build(new IndexedJobRequest(Fixtures.generateJob(), "CLOUD_A",
                TaskIndexes.of(4, 7), 16, 1), Fixtures.settings()));
        jobs.ensure(manifest(Fixtures.containerJob(), TaskIndexes.range(0, 4)));

        List<JobProgress> rounds = jobs.list(Fixtures.UID);
        int deleted = jobs.deleteAll(Fixtures.UID);

        assertThat(rounds).extracting(JobProgress::round).containsExactlyInAnyOrder(0, 1, 0);
        assertThat(deleted).isEqualTo(3);
        assertThat(jobs.list(Fixtures.UID)).isEmpty();
    }

    private static Job manifest(Resource dataJob, TaskIndexes range) {
        return IndexedJobManifest.build(new IndexedJobRequest(dataJob, "CLOUD_A", range, 16), Fixtures.settings());
    }

    private static String yamlOf(String name) {
        return """
                apiVersion: batch.mcp/v1
                kind: DataJob
                metadata: {name: %s, namespace: team-a}
                spec:
                  generate: {dataset: shop}
                  output: {bucket: lb-123}
                """.formatted(name);
    }
}
