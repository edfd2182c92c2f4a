package io.skyforge.core.model;

import io.skyforge.core.validation.OneOf;
import io.skyforge.core.validation.Range;
import io.skyforge.core.validation.Required;
import java.util.List;

/**
 * A cloud's compute backend: where partition tasks run and how many at once. The fields after
 * {@code slots} are read by the {@code kubernetes} backend only (docs/configuration.md): where its
 * Jobs go, which image runs the worker, and how the pods reach and authenticate to the control plane.
 *
 * @param serverUrl      the control plane's URL as the pods see it (not 127.0.0.1)
 * @param tokenSecret    the Kubernetes Secret holding the workers' API token; the token itself never
 *                       appears in a Job manifest
 * @param tokenSecretKey the key of the token in that Secret
 */
public record ComputeSpec(
        @Required @OneOf({"local", "worker", "kubernetes"}) String type,
        @Range(min = 0, max = 100000) Integer slots,
        String namespace,
        String image,
        String context,
        String masterUrl,
        String serverUrl,
        String serviceAccount,
        List<String> imagePullSecrets,
        String tokenSecret,
        String tokenSecretKey,
        @Range(min = 0, max = 31536000) Integer ttlSecondsAfterFinished) {

    public ComputeSpec {
        imagePullSecrets = imagePullSecrets == null ? null : List.copyOf(imagePullSecrets);
    }
}
