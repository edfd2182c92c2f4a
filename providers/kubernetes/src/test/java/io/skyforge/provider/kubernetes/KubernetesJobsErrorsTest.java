package io.skyforge.provider.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.skyforge.core.model.ComputeSpec;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import org.junit.jupiter.api.Test;

/**
 * What a user sees when the Kubernetes API server says no or is not there: a stable code and one
 * line naming the cloud, the request and the server's reason. The mock server answers with the
 * Status bodies a real API server sends.
 */
@EnableKubernetesMockClient
class KubernetesJobsErrorsTest {

    private static final String NS = "skyforge-jobs";
    private static final String JOBS = "/apis/batch/v1/namespaces/" + NS + "/jobs";

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void shouldSayAccessDeniedWhenTheServiceAccountMayNotCreateJobs() {
        server.expect().post().withPath(JOBS).andReturn(403, status(403, "Forbidden",
                "jobs.batch is forbidden: User \"system:serviceaccount:skyforge:default\" cannot create resource \"jobs\""
                        + " in API group \"batch\" in the namespace \"skyforge-jobs\"")).once();

        SkyforgeException e = ensureFails();

        assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).isEqualTo("Cloud CLOUD_A: creating Job " + NS + "/" + manifest().getMetadata().getName()
                + ": forbidden by the Kubernetes API server (403): jobs.batch is forbidden: User"
                + " \"system:serviceaccount:skyforge:default\" cannot create resource \"jobs\" in API group \"batch\" in the"
                + " namespace \"skyforge-jobs\"; grant create/get/list/delete on jobs.batch in the namespace");
    }

    @Test
    void shouldSayAccessDeniedWhenTheCredentialsAreRefused() {
        server.expect().get().withPath(JOBS + "/sf-x").andReturn(401, status(401, "Unauthorized", "Unauthorized")).always();

        SkyforgeException e = catchThrowableOfType(SkyforgeException.class,
                () -> new KubernetesJobs("CLOUD_A", client, NS).progress("sf-x"));

        assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).startsWith("Cloud CLOUD_A: reading Job skyforge-jobs/sf-x: the Kubernetes API server at https://")
                .endsWith("did not accept the credentials (401 Unauthorized): check the kubeconfig context or the"
                        + " in-cluster service account");
    }

    @Test
    void shouldSayNotFoundWhenTheNamespaceIsMissing() {
        server.expect().post().withPath(JOBS).andReturn(404, status(404, "NotFound", "namespaces \"skyforge-jobs\" not found"))
                .once();

        SkyforgeException e = ensureFails();

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(e.getMessage()).endsWith("not found (404): namespaces \"skyforge-jobs\" not found");
    }

    @Test
    void shouldSayValidationWhenTheApiServerRefusesTheManifest() {
        server.expect().post().withPath(JOBS).andReturn(422, status(422, "Invalid",
                "Job.batch \"sf-x\" is invalid: spec.template.spec.imagePullSecrets[0].name: Invalid value")).once();

        SkyforgeException e = ensureFails();

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
        assertThat(e.getMessage()).endsWith("the Kubernetes API server refused the Job (422): Job.batch \"sf-x\" is invalid:"
                + " spec.template.spec.imagePullSecrets[0].name: Invalid value");
    }

    @Test
    void shouldSayUnavailableWhenTheApiServerKeepsFailing() {
        server.expect().post().withPath(JOBS).andReturn(503, status(503, "ServiceUnavailable", "etcd is unavailable"))
                .always();

        SkyforgeException e;
        // Few client retries, as connect() configures them, rather than the mock client's ten.
        try (KubernetesClient quick = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(1).withRequestRetryBackoffInterval(10).build()).build()) {
            e = catchThrowableOfType(SkyforgeException.class, () -> new KubernetesJobs("CLOUD_A", quick, NS).ensure(manifest()));
        }

        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).endsWith("the Kubernetes API server failed (503): etcd is unavailable");
    }

    @Test
    void shouldSayUnavailableWhenNoApiServerAnswersAtTheUrl() {
        String url = server.url("/");
        server.destroy(); // nothing listens on that port any more
        KubernetesSettings settings = KubernetesSettings.of("CLOUD_A", new ComputeSpec("kubernetes", 2, NS, "skyforge:1", null,
                url, "http://cp:8080", null, null, null, null, null));

        SkyforgeException e;
        try (KubernetesJobs jobs = KubernetesJobs.connect("CLOUD_A", settings)) {
            e = catchThrowableOfType(SkyforgeException.class, () -> jobs.progress("sf-x"));
        }

        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.getMessage()).isEqualTo("Cloud CLOUD_A: reading Job skyforge-jobs/sf-x: cannot reach the Kubernetes API"
                + " server at " + url + " (connection refused)");
    }

    @Test
    void shouldNameTheKubeconfigContextThatDoesNotExist() {
        KubernetesSettings settings = KubernetesSettings.of("CLOUD_A", new ComputeSpec("kubernetes", 2, NS, "skyforge:1",
                "no-such-context", null, "http://cp:8080", null, null, null, null, null));

        SkyforgeException e = catchThrowableOfType(SkyforgeException.class, () -> KubernetesJobs.connect("CLOUD_A", settings).close());

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
        assertThat(e.getMessage()).startsWith("Cloud CLOUD_A: spec.compute.context: the kubeconfig has no context"
                + " 'no-such-context'; known contexts: ");
    }

    private SkyforgeException ensureFails() {
        return catchThrowableOfType(SkyforgeException.class, () -> new KubernetesJobs("CLOUD_A", client, NS).ensure(manifest()));
    }

    private static Job manifest() {
        return IndexedJobManifest.build(new IndexedJobRequest(Fixtures.generateJob(), "CLOUD_A", TaskIndexes.range(0, 2), 2),
                KubernetesSettings.of("CLOUD_A", new ComputeSpec("kubernetes", 2, NS, "skyforge:1", null, null,
                        "http://cp:8080", null, null, null, null, null)));
    }

    private static Status status(int code, String reason, String message) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
    }
}
