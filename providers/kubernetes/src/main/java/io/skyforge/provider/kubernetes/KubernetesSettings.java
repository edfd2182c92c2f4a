package io.skyforge.provider.kubernetes;

import io.skyforge.core.model.ComputeSpec;
import io.skyforge.core.validation.Names;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Cloud's {@code spec.compute} for {@code type: kubernetes}, checked and with defaults applied.
 * References ({@code ${VAR}}) must be resolved before; every problem is reported at once.
 *
 * @param namespace      the Kubernetes namespace the Jobs go to
 * @param image          the image that runs {@code skyforge worker} for generate jobs; null when the
 *                       cloud runs container jobs only
 * @param serverUrl      the control plane's URL as pods reach it, without a trailing slash
 * @param slots          how many pods of one Job may run at once (the Job's parallelism cap)
 * @param context        the kubeconfig context to use; null for the current one or in-cluster config
 * @param masterUrl      the API server's URL when it is not the kubeconfig's
 */
public record KubernetesSettings(
        String namespace,
        String image,
        String serverUrl,
        String serviceAccount,
        List<String> imagePullSecrets,
        String tokenSecret,
        String tokenSecretKey,
        int ttlSecondsAfterFinished,
        int slots,
        String context,
        String masterUrl) {

    public static final String DEFAULT_NAMESPACE = "default";
    public static final String DEFAULT_TOKEN_SECRET = "skyforge-worker-token";
    public static final String DEFAULT_TOKEN_SECRET_KEY = "token";
    /** Long enough to read a finished Job's pods and logs, short enough not to pile up Jobs. */
    public static final int DEFAULT_TTL_SECONDS = 3600;

    public KubernetesSettings {
        imagePullSecrets = List.copyOf(imagePullSecrets);
    }

    /**
     * @param cloud the Cloud's name, for messages
     * @throws SkyforgeException SF-VALIDATION listing every problem, paths rooted at {@code spec.compute}
     */
    public static KubernetesSettings of(String cloud, ComputeSpec compute) {
        return of(cloud, compute, null);
    }

    /**
     * @param defaultServerUrl the control plane's own idea of the URL pods reach it at, used when the
     *                         Cloud does not set {@code compute.serverUrl}; null when it has none
     */
    public static KubernetesSettings of(String cloud, ComputeSpec compute, String defaultServerUrl) {
        List<Violation> problems = new ArrayList<>();
        if (compute == null || !"kubernetes".equals(compute.type())) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "Cloud " + cloud + " has no kubernetes compute (spec.compute.type)");
        }
        String namespace = or(compute.namespace(), DEFAULT_NAMESPACE);
        dnsLabel("spec.compute.namespace", namespace, problems);
        String serverUrl = compute.serverUrl() == null || compute.serverUrl().isBlank() ? defaultServerUrl : compute.serverUrl();
        if (serverUrl == null || serverUrl.isBlank()) {
            problems.add(Violation.at("spec.compute.serverUrl", "is required for kubernetes compute: the control plane's URL"
                    + " as the pods reach it (e.g. http://skyforge.skyforge.svc:8080)"));
        } else {
            checkHttpUrl(serverUrl).ifPresent(p -> problems.add(Violation.at("spec.compute.serverUrl", p)));
            serverUrl = serverUrl.replaceAll("/+$", "");
        }
        if (compute.masterUrl() != null) {
            checkHttpUrl(compute.masterUrl()).ifPresent(p -> problems.add(Violation.at("spec.compute.masterUrl", p)));
        }
        if (compute.serviceAccount() != null) {
            dnsSubdomain("spec.compute.serviceAccount", compute.serviceAccount(), problems);
        }
        List<String> pullSecrets = compute.imagePullSecrets() == null ? List.of() : compute.imagePullSecrets();
        for (int i = 0; i < pullSecrets.size(); i++) {
            dnsSubdomain("spec.compute.imagePullSecrets[" + i + "]", pullSecrets.get(i), problems);
        }
        String tokenSecret = or(compute.tokenSecret(), DEFAULT_TOKEN_SECRET);
        dnsSubdomain("spec.compute.tokenSecret", tokenSecret, problems);
        String tokenKey = or(compute.tokenSecretKey(), DEFAULT_TOKEN_SECRET_KEY);
        if (!tokenKey.matches("[-._a-zA-Z0-9]{1,253}")) {
            problems.add(Violation.at("spec.compute.tokenSecretKey", "'" + tokenKey + "' is not a Secret key:"
                    + " use letters, digits, '-', '_' and '.'"));
        }
        if (compute.image() != null && compute.image().isBlank()) {
            problems.add(Violation.at("spec.compute.image", "must not be empty"));
        }
        if (!problems.isEmpty()) {
            String first = problems.get(0).describe();
            throw new SkyforgeException(ErrorCode.VALIDATION, "Cloud " + cloud + ": "
                    + (problems.size() == 1 ? first : problems.size() + " problems in spec.compute; first: " + first), problems);
        }
        int ttl = compute.ttlSecondsAfterFinished() == null ? DEFAULT_TTL_SECONDS : compute.ttlSecondsAfterFinished();
        int slots = compute.slots() == null ? 1 : compute.slots();
        return new KubernetesSettings(namespace, compute.image(), serverUrl, compute.serviceAccount(), pullSecrets,
                tokenSecret, tokenKey, ttl, slots, compute.context(), compute.masterUrl());
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void dnsLabel(String path, String value, List<Violation> problems) {
        Names.checkDnsLabel(value).ifPresent(p -> problems.add(Violation.at(path, p)));
    }

    private static void dnsSubdomain(String path, String value, List<Violation> problems) {
        if (value == null || value.length() > 253
                || !value.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")) {
            problems.add(Violation.at(path, "'" + value + "' is not a Kubernetes object name: use lower-case letters,"
                    + " digits, '-' and '.', starting and ending with a letter or digit"));
        }
    }

    private static Optional<String> checkHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                return Optional.of("'" + url + "' is not an http(s) URL with a host");
            }
            return Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.of("'" + url + "' is not a URL: " + e.getReason());
        }
    }
}
