package io.skyforge.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kubernetes-style object metadata. {@code uid}, {@code resourceVersion}, {@code generation} and
 * {@code creationTimestamp} are owned by the store; what a client sends there is ignored, except
 * {@code resourceVersion}, which makes an update conditional.
 */
public record ObjectMeta(
        String name,
        String namespace,
        Map<String, String> labels,
        Map<String, String> annotations,
        String uid,
        String resourceVersion,
        Long generation,
        Instant creationTimestamp) {

    public ObjectMeta {
        // Sorted copies: stable output order for yaml/json and golden files.
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    public static ObjectMeta named(String name, String namespace) {
        return new ObjectMeta(name, namespace, Map.of(), Map.of(), null, null, null, null);
    }

    public ObjectMeta withNamespace(String ns) {
        return new ObjectMeta(name, ns, labels, annotations, uid, resourceVersion, generation, creationTimestamp);
    }

    public ObjectMeta withLabels(Map<String, String> newLabels) {
        return new ObjectMeta(name, namespace, newLabels, annotations, uid, resourceVersion, generation, creationTimestamp);
    }

    public ObjectMeta withResourceVersion(String rv) {
        return new ObjectMeta(name, namespace, labels, annotations, uid, rv, generation, creationTimestamp);
    }

    /** The store's fields, set when a resource is persisted. */
    public ObjectMeta withStoreFields(String newUid, String rv, long gen, Instant created) {
        return new ObjectMeta(name, namespace, labels, annotations, newUid, rv, gen, created);
    }
}
