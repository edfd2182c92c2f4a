package io.skyforge.control.resources;

import io.skyforge.control.store.ResourcePage;
import io.skyforge.control.store.ResourceStore;
import io.skyforge.control.store.Watch;
import io.skyforge.control.store.WatchEvent;
import io.skyforge.control.store.WatchListener;
import io.skyforge.core.Manifests;
import io.skyforge.core.codec.ParsedDocument;
import io.skyforge.core.codec.ResourceJson;
import io.skyforge.core.codec.SourceMap;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.ObjectMeta;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
import io.skyforge.core.secret.SecretCipher;
import io.skyforge.core.secret.Secrets;
import io.skyforge.core.select.LabelSelector;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API's use cases over the store, independent of HTTP: admission (validation, defaults,
 * path/body agreement, secret encryption, initial status) on the way in, redaction on the way out.
 * Everything it returns is safe to show a user.
 */
public final class ResourceService {

    private final ResourceStore store;
    private final SecretCipher cipher;
    private final Admission admission;

    public ResourceService(ResourceStore store, SecretCipher cipher, Admission admission) {
        this.store = Objects.requireNonNull(store, "store");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.admission = Objects.requireNonNull(admission, "admission");
    }

    public ResourceStore store() {
        return store;
    }

    /** Parses one request body (YAML or JSON, the seed forms included) into a valid resource. */
    public Resource parseBody(String text, String source) {
        List<ParsedDocument> docs = Manifests.documents(source, text);
        if (docs.size() != 1) {
            throw new SkyforgeException(ErrorCode.VALIDATION,
                    "the request body must hold exactly one resource, found " + docs.size()
                            + " (use `skyforge apply`, which sends them one by one)");
        }
        return Manifests.validate(docs).get(0);
    }

    public Resource create(ResourceKind kind, String namespace, Resource incoming) {
        Resource r = conform(kind, namespace, null, incoming);
        admission.check(r);
        r = Secrets.encrypt(r, null, cipher);
        r = r.withStatus(admission.initialStatus(kind, r));
        return redact(store.create(r));
    }

    /** Create or replace (the CLI's apply); returns the result and whether it was created. */
    public Applied upsert(ResourceKind kind, String namespace, String name, Resource incoming) {
        Resource r = conform(kind, namespace, name, incoming);
        admission.check(r);
        for (int attempt = 0; ; attempt++) {
            Optional<Resource> existing = store.get(kind, r.namespace(), r.name());
            try {
                if (existing.isEmpty()) {
                    Resource created = Secrets.encrypt(r, null, cipher);
                    created = created.withStatus(admission.initialStatus(kind, created));
                    return new Applied(redact(store.create(created)), true);
                }
                return new Applied(redact(replaceStored(kind, r, existing.get())), false);
            } catch (SkyforgeException e) {
                // Lost a race with a concurrent create/delete of the same name: look again, a few times.
                boolean race = e.code() == ErrorCode.ALREADY_EXISTS || e.code() == ErrorCode.NOT_FOUND;
                if (!race || attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    public Resource replace(ResourceKind kind, String namespace, String name, Resource incoming) {
        Resource r = conform(kind, namespace, name, incoming);
        Resource existing = require(kind, r.namespace(), r.name());
        return redact(replaceStored(kind, r, existing));
    }

    /** RFC 7386 JSON merge patch of metadata (labels, annotations) and spec. */
    public Resource patch(ResourceKind kind, String namespace, String name, JsonNode patch) {
        Resource existing = require(kind, namespace, name);
        ObjectNode merged = MergePatch.apply(ResourceJson.write(redact(existing)), patch);
        Resource r = validateTree(merged);
        return redact(replaceStored(kind, conform(kind, namespace, name, r), existing));
    }

    public Resource replaceStatus(ResourceKind kind, String namespace, String name, ObjectNode status, String rv) {
        Resource existing = require(kind, namespace, name);
        Resource updated = existing.withStatus(status)
                .withMetadata(existing.metadata().withResourceVersion(rv));
        return redact(store.updateStatus(updated));
    }

    public Resource patchStatus(ResourceKind kind, String namespace, String name, JsonNode patch) {
        Resource existing = require(kind, namespace, name);
        ObjectNode status = MergePatch.apply(existing.status(), patch);
        String rv = patch.path("metadata").path("resourceVersion").asString(null);
        status.remove("metadata");
        return replaceStatus(kind, namespace, name, status, rv);
    }

    public Optional<Resource> get(ResourceKind kind, String namespace, String name) {
        return store.get(kind, scope(kind, namespace), name).map(this::redact);
    }

    public ResourcePage list(ResourceKind kind, String namespace, LabelSelector selector, int limit, String cont) {
        ResourcePage page = store.list(kind, kind.namespaced() ? namespace : null, selector, limit, cont);
        return new ResourcePage(page.items().stream().map(this::redact).toList(), page.continueToken(),
                page.resourceVersion());
    }

    public Resource delete(ResourceKind kind, String namespace, String name, String expectedRv) {
        return redact(store.delete(kind, scope(kind, namespace), name, expectedRv));
    }

    /**
     * Watches a kind through a label selector with Kubernetes semantics: an object that starts to
     * match arrives as ADDED, one that stops matching as DELETED, so a client's view stays exact.
     *
     * @param matching names ({@code namespace/name}) already known to match, e.g. from the list the
     *                 client just received; updated as the watch runs
     */
    public Watch watch(ResourceKind kind, String namespace, String fromRv, LabelSelector selector,
                       java.util.Set<String> matching, WatchListener listener) {
        java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
        known.addAll(matching);
        return store.watch(kind, kind.namespaced() ? namespace : null, fromRv, new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                Resource o = event.object();
                String key = o.namespace() + "/" + o.name();
                boolean now = event.type() != WatchEvent.Type.DELETED && selector.matches(o.metadata().labels());
                boolean before = event.type() == WatchEvent.Type.ADDED ? false : known.contains(key)
                        || (event.type() == WatchEvent.Type.DELETED && selector.matches(o.metadata().labels()));
                WatchEvent.Type type;
                if (now) {
                    type = before ? WatchEvent.Type.MODIFIED : WatchEvent.Type.ADDED;
                    known.add(key);
                } else if (before) {
                    type = WatchEvent.Type.DELETED;
                    known.remove(key);
                } else {
                    return;
                }
                listener.onEvent(new WatchEvent(type, redact(o), event.resourceVersion()));
            }

            @Override
            public void onError(SkyforgeException error) {
                listener.onError(error);
            }
        });
    }

    /** Decrypted view for controllers and adapters; never hand it to a client. */
    public Resource unsealed(Resource stored) {
        return Secrets.decrypt(stored, cipher);
    }

    private Resource replaceStored(ResourceKind kind, Resource incoming, Resource existing) {
        admission.check(incoming);
        Resource r = Secrets.encrypt(incoming, existing, cipher);
        // Store-owned fields come from the stored object; only a client's resourceVersion makes it conditional.
        ObjectMeta m = existing.metadata();
        ObjectMeta in = r.metadata();
        ObjectMeta merged = new ObjectMeta(m.name(), m.namespace(), in.labels(), in.annotations(), m.uid(),
                in.resourceVersion(), m.generation(), m.creationTimestamp());
        Resource updated = new Resource(r.apiVersion(), r.kind(), merged, r.spec(), existing.status());
        Resource stored = store.update(updated);
        ObjectNode refreshed = admission.statusAfterSpecChange(kind, stored);
        if (refreshed != null && !refreshed.equals(stored.status())) {
            stored = store.updateStatus(stored.withStatus(refreshed));
        }
        return stored;
    }

    private Resource require(ResourceKind kind, String namespace, String name) {
        return store.get(kind, scope(kind, namespace), name).orElseThrow(() -> notFound(kind, namespace, name));
    }

    public static SkyforgeException notFound(ResourceKind kind, String namespace, String name) {
        return new SkyforgeException(ErrorCode.NOT_FOUND, kind.kind() + " "
                + (kind.namespaced() ? namespace + "/" : "") + name + " not found");
    }

    /** The body must agree with the path: kind, namespace and (for PUT) name; the namespace defaults from the path. */
    private Resource conform(ResourceKind kind, String namespace, String name, Resource r) {
        if (!kind.kind().equals(r.kind())) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "the body is a " + r.kind() + " but the path is for "
                    + kind.plural(), List.of(Violation.at("kind", "expected " + kind.kind())));
        }
        String ns = scope(kind, namespace);
        String bodyNs = r.metadata().namespace();
        if (kind.namespaced() && bodyNs != null && ns != null && !bodyNs.equals(ns)) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "metadata.namespace '" + bodyNs
                    + "' does not match the namespace of the path '" + ns + "'",
                    List.of(Violation.at("metadata.namespace", "expected " + ns)));
        }
        if (name != null && !name.equals(r.name())) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "metadata.name '" + r.name()
                    + "' does not match the name in the path '" + name + "'",
                    List.of(Violation.at("metadata.name", "expected " + name)));
        }
        String effective = kind.namespaced() ? (bodyNs != null ? bodyNs : ns != null ? ns : Kinds.DEFAULT_NAMESPACE) : null;
        return r.withMetadata(r.metadata().withNamespace(effective));
    }

    private static String scope(ResourceKind kind, String namespace) {
        return kind.namespaced() ? (namespace == null ? Kinds.DEFAULT_NAMESPACE : namespace) : null;
    }

    private static Resource validateTree(ObjectNode tree) {
        return Manifests.validate(List.of(new ParsedDocument("patched object", 0, tree, SourceMap.empty("patched object"))))
                .get(0);
    }

    private Resource redact(Resource r) {
        return Secrets.hasSensitiveFields(Kinds.of(r)) ? Secrets.redact(r) : r;
    }

    /** The outcome of an upsert. */
    public record Applied(Resource resource, boolean created) {
    }
}
