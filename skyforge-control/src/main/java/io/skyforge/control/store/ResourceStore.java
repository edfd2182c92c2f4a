package io.skyforge.control.store;

import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
import io.skyforge.core.select.LabelSelector;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage of resources with Kubernetes semantics: store-owned metadata, optimistic
 * concurrency on {@code resourceVersion}, {@code generation} bumped on spec change, label
 * selection, paging and change events. Errors are {@link io.skyforge.spi.error.SkyforgeException}
 * with NOT_FOUND, ALREADY_EXISTS or CONFLICT.
 */
public interface ResourceStore extends AutoCloseable {

    /** Stores a new resource; sets uid, resourceVersion, generation 1 and creationTimestamp. */
    Resource create(Resource resource);

    Optional<Resource> get(ResourceKind kind, String namespace, String name);

    /**
     * Lists resources ordered by (namespace, name).
     *
     * @param namespace null for all namespaces (and for cluster-scoped kinds)
     * @param selector  {@link LabelSelector#EVERYTHING} for no filter
     * @param limit     page size, 0 for no limit
     * @param continueToken the token of the previous page, or null
     */
    ResourcePage list(ResourceKind kind, String namespace, LabelSelector selector, int limit, String continueToken);

    /**
     * Replaces labels, annotations and spec, keeping status and store-owned fields. When the given
     * metadata carries a resourceVersion that is not the stored one, fails with CONFLICT.
     */
    Resource update(Resource resource);

    /** Replaces only the status (the {@code /status} subresource); same resourceVersion rule. */
    Resource updateStatus(Resource resource);

    /** Deletes and returns the last state; NOT_FOUND when absent; CONFLICT on a stale expectedResourceVersion. */
    Resource delete(ResourceKind kind, String namespace, String name, String expectedResourceVersion);

    /**
     * Streams changes after {@code fromResourceVersion} (null: only new ones) to the listener, on a
     * store thread, until the returned handle is closed.
     */
    Watch watch(ResourceKind kind, String namespace, String fromResourceVersion, WatchListener listener);

    List<String> namespaces();

    /** The highest resourceVersion handed out so far. */
    long currentResourceVersion();

    @Override
    void close();
}
