package io.skyforge.provider.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.skyforge.core.model.ComputeSpec;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubernetesSettingsTest {

    @Test
    void shouldApplyDefaultsToAMinimalKubernetesCompute() {
        KubernetesSettings s = KubernetesSettings.of("k8s", new ComputeSpec("kubernetes", null, null, null, null, null,
                "https://skyforge.example.com/", null, null, null, null, null));

        assertThat(s.namespace()).isEqualTo("default");
        assertThat(s.serverUrl()).isEqualTo("https://skyforge.example.com");
        assertThat(s.tokenSecret()).isEqualTo("skyforge-worker-token");
        assertThat(s.tokenSecretKey()).isEqualTo("token");
        assertThat(s.ttlSecondsAfterFinished()).isEqualTo(3600);
        assertThat(s.slots()).isEqualTo(1);
        assertThat(s.imagePullSecrets()).isEmpty();
        assertThat(s.image()).isNull();
    }

    @Test
    void shouldReportEveryProblemOfTheComputeSectionAtOnce() {
        SkyforgeException e = catchThrowableOfType(SkyforgeException.class, () -> KubernetesSettings.of("k8s",
                new ComputeSpec("kubernetes", 4, "Team_A", null, null, "ftp://api", null, "Bad Account",
                        List.of("ok-secret", "-bad"), "tok/en", "key with space", null)));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
        assertThat(e.violations()).extracting(Violation::path).containsExactly(
                "spec.compute.namespace", "spec.compute.serverUrl", "spec.compute.masterUrl",
                "spec.compute.serviceAccount", "spec.compute.imagePullSecrets[1]", "spec.compute.tokenSecret",
                "spec.compute.tokenSecretKey");
        assertThat(e.getMessage()).startsWith("Cloud k8s: 7 problems in spec.compute; first: spec.compute.namespace:");
    }

    @Test
    void shouldRequireTheUrlThePodsReachTheControlPlaneAt() {
        SkyforgeException e = catchThrowableOfType(SkyforgeException.class, () -> KubernetesSettings.of("k8s",
                new ComputeSpec("kubernetes", 4, null, "skyforge:1", null, null, null, null, null, null, null, null)));

        assertThat(e.getMessage()).isEqualTo("Cloud k8s: spec.compute.serverUrl: is required for kubernetes compute:"
                + " the control plane's URL as the pods reach it (e.g. http://skyforge.skyforge.svc:8080)");
    }

    @Test
    void shouldFallBackToTheControlPlanesOwnUrlWhenTheCloudGivesNone() {
        ComputeSpec compute = new ComputeSpec("kubernetes", 4, null, "skyforge:1", null, null, null, null, null, null, null, null);

        assertThat(KubernetesSettings.of("k8s", compute, "http://skyforge.svc:8080").serverUrl()).isEqualTo("http://skyforge.svc:8080");
        assertThat(KubernetesSettings.of("k8s", new ComputeSpec("kubernetes", 4, null, "skyforge:1", null, null,
                "http://mine:1", null, null, null, null, null), "http://skyforge.svc:8080").serverUrl()).isEqualTo("http://mine:1");
    }

    @Test
    void shouldRefuseACloudWhoseComputeIsNotKubernetes() {
        SkyforgeException e = catchThrowableOfType(SkyforgeException.class, () -> KubernetesSettings.of("local",
                new ComputeSpec("local", 4, null, null, null, null, null, null, null, null, null, null)));

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
        assertThat(e.getMessage()).contains("has no kubernetes compute");
    }
}
