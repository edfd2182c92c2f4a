package io.skyforge.provider.kubernetes;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;

/**
 * Maps Kubernetes API answers onto the stable error codes: the one place that knows fabric8's
 * exceptions. Messages name the cloud, the API server and what was asked, and carry the API
 * server's own one-line reason; never a stack trace.
 */
final class KubernetesErrors {

    private KubernetesErrors() {
    }

    static SkyforgeException map(String cloud, String apiServer, String what, KubernetesClientException e) {
        int code = e.getCode();
        String prefix = "Cloud " + cloud + ": " + what + ": ";
        if (code <= 0) {
            // No HTTP answer at all: refused, unresolvable, timed out, TLS failure.
            return new SkyforgeException(ErrorCode.UNAVAILABLE, prefix + "cannot reach the Kubernetes API server at "
                    + apiServer + " (" + transportReason(e) + ")", e);
        }
        String reason = reason(e);
        return switch (code) {
            case 401 -> new SkyforgeException(ErrorCode.ACCESS_DENIED, prefix + "the Kubernetes API server at " + apiServer
                    + " did not accept the credentials (401 Unauthorized): check the kubeconfig context or the"
                    + " in-cluster service account", e);
            case 403 -> new SkyforgeException(ErrorCode.ACCESS_DENIED, prefix + "forbidden by the Kubernetes API server"
                    + " (403): " + reason + "; grant create/get/list/delete on jobs.batch in the namespace", e);
            case 404 -> new SkyforgeException(ErrorCode.NOT_FOUND, prefix + "not found (404): " + reason, e);
            case 409 -> new SkyforgeException(ErrorCode.CONFLICT, prefix + "conflict (409): " + reason, e);
            case 400, 422 -> new SkyforgeException(ErrorCode.VALIDATION, prefix + "the Kubernetes API server refused the"
                    + " Job (" + code + "): " + reason, e);
            case 429 -> new SkyforgeException(ErrorCode.THROTTLED, prefix + "the Kubernetes API server is throttling"
                    + " requests (429): " + reason, e);
            default -> code >= 500
                    ? new SkyforgeException(ErrorCode.UNAVAILABLE, prefix + "the Kubernetes API server failed (" + code + "): "
                            + reason, e)
                    : new SkyforgeException(ErrorCode.EXTERNAL, prefix + "unexpected answer from the Kubernetes API server ("
                            + code + "): " + reason, e);
        };
    }

    /** The API server's Status message (one line), else fabric8's message without its request dump. */
    private static String reason(KubernetesClientException e) {
        Status s = e.getStatus();
        if (s != null && s.getMessage() != null && !s.getMessage().isBlank()) {
            return oneLine(s.getMessage());
        }
        return oneLine(String.valueOf(e.getMessage()));
    }

    private static String transportReason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof InterruptedIOException) {
                return "timed out";
            }
            if (t.getCause() == null && t instanceof IOException && t.getMessage() != null) {
                return oneLine(t.getMessage());
            }
        }
        return oneLine(String.valueOf(e.getMessage()));
    }

    private static String oneLine(String s) {
        String line = s.strip().replaceAll("\\s*\\R\\s*", " ");
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }
}
