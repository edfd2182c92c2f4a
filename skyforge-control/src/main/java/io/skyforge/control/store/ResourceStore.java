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
 * with NOT_FOUND, ALREADY_EXISTS, CONFLICT, GONE (watch resumed too late), VALIDATION (missing
 * namespace or name, bad label, bad continue token), TOO_LARGE, or UNAVAILABLE (database down,
 * store closed).
 *
 * <p>Namespaced kinds need a namespace on every call (VALIDATION otherwise); cluster-scoped kinds
 * ignore the one given and are returned with a null namespace. resourceVersions are one global,
 * gap-free counter, decimal strings in metadata.
 */
public interface ResourceStore extends AutoCloseable {

    /**
     * Stores a new resource; sets uid, resourceVersion, generation 1 and creationTimestamp (what the
     * client sent there is ignored). Creates the namespace when it does not exist yet.
     */
    Resource create(Resource resource);

    Optional<Resource> get(ResourceKind kind, String namespace, String name);

    /**
     * Lists resources ordered by (namespace, name) in the database's collation.
     *
     * @param namespace null for all namespaces (and for cluster-scoped kinds)
     * @param selector  {@link LabelSelector#EVERYTHING} for no filter
     * @param limit     page size, 0 for no limit
     * @param continueToken the token of the previous page, or null; the page's token is null on the
     *                  last page. The page's resourceVersion is read before its rows, so a watch
     *                  from it may repeat a listed change but never misses one.
     */
    ResourcePage list(ResourceKind kind, String namespace, LabelSelector selector, int limit, String continueToken);

    /**
     * Replaces labels, annotations and spec, keeping status and store-owned fields; generation
     * grows by one when the spec changed. When the given metadata carries a resourceVersion that is
     * not the stored one, fails with CONFLICT; without one the update is unconditional. An update
     * that changes nothing is not written and returns the stored object unchanged.
     */
    Resource update(Resource resource);

    /** Replaces only the status (the {@code /status} subresource); same resourceVersion rule. */
    Resource updateStatus(Resource resource);

    /**
     * Deletes and returns the last state, carrying the resourceVersion of the deletion (as its
     * DELETED event does); NOT_FOUND when absent; CONFLICT on a stale expectedResourceVersion.
     */
    Resource delete(ResourceKind kind, String namespace, String name, String expectedResourceVersion);

    /**
     * Streams changes after {@code fromResourceVersion} (null: only new ones) to the listener, in
     * resourceVersion order, one call at a time on a store thread, until the returned handle is
     * closed. A slow listener delays only its own watch. Fails with GONE when events after
     * {@code fromResourceVersion} have been pruned; a running watch that falls that far behind (or
     * too many events behind its listener), or whose store closes, ends through
     * {@link WatchListener#onError}.
     *
     * @param namespace null for all namespaces
     */
    Watch watch(ResourceKind kind, String namespace, String fromResourceVersion, WatchListener listener);

    /** All namespaces, sorted; {@code default} always exists. */
    List<String> namespaces();

    /** The highest resourceVersion handed out so far. */
    long currentResourceVersion();

    @Override
    void close();
}
