package io.skyforge.server.api;

import io.skyforge.control.resources.ResourceService;
import io.skyforge.control.store.ResourcePage;
import io.skyforge.control.store.Watch;
import io.skyforge.control.store.WatchEvent;
import io.skyforge.core.codec.Json;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.core.codec.ResourceJson;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
import io.skyforge.core.select.LabelSelector;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes-style resource API: {@code /apis/{group}/{version}/namespaces/{ns}/{plural}[/{name}[/status]]},
 * cluster-scoped kinds without the namespace segment. Bodies may be JSON or YAML (the seed's short
 * forms included); answers are JSON.
 */
@RestController
@Tag(name = "resources", description = "Unified resource model: Cloud, LogicalBucket, LogicalCluster, Dataset, DataJob")
public class ResourceController {

    private static final String NS = "/apis/{group}/{version}/namespaces/{namespace}/{plural}";
    private static final String CLUSTER = "/apis/{group}/{version}/{plural}";
    private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

    private final ResourceService service;

    public ResourceController(ResourceService service) {
        this.service = service;
    }

    // ---- collections ----

    @Operation(summary = "List (or watch with ?watch=true) resources of a kind in a namespace")
    @GetMapping(path = NS, produces = {JSON, MediaType.TEXT_EVENT_STREAM_VALUE})
    public Object listNamespaced(@PathVariable String group, @PathVariable String version, @PathVariable String namespace,
                                 @PathVariable String plural,
                                 @Parameter(description = "e.g. app=web,tier!=db,env in (a,b)") @RequestParam(required = false) String labelSelector,
                                 @RequestParam(required = false, defaultValue = "0") int limit,
                                 @RequestParam(name = "continue", required = false) String continueToken,
                                 @RequestParam(required = false, defaultValue = "false") boolean watch,
                                 @RequestParam(required = false) String resourceVersion) {
        ResourceKind kind = kind(group, version, plural);
        requireNamespaced(kind);
        return listOrWatch(kind, namespace, labelSelector, limit, continueToken, watch, resourceVersion);
    }

    @Operation(summary = "List (or watch) a cluster-scoped kind, or a namespaced kind across all namespaces")
    @GetMapping(path = CLUSTER, produces = {JSON, MediaType.TEXT_EVENT_STREAM_VALUE})
    public Object listCluster(@PathVariable String group, @PathVariable String version, @PathVariable String plural,
                              @RequestParam(required = false) String labelSelector,
                              @RequestParam(required = false, defaultValue = "0") int limit,
                              @RequestParam(name = "continue", required = false) String continueToken,
                              @RequestParam(required = false, defaultValue = "false") boolean watch,
                              @RequestParam(required = false) String resourceVersion) {
        ResourceKind kind = kind(group, version, plural);
        return listOrWatch(kind, null, labelSelector, limit, continueToken, watch, resourceVersion);
    }

    @Operation(summary = "Create a resource in a namespace")
    @PostMapping(path = NS, produces = JSON)
    public ResponseEntity<String> createNamespaced(@PathVariable String group, @PathVariable String version,
                                                   @PathVariable String namespace, @PathVariable String plural,
                                                   HttpServletRequest request) {
        ResourceKind kind = kind(group, version, plural);
        requireNamespaced(kind);
        Resource r = service.parseBody(RequestBodies.read(request), "request body");
        return json(HttpStatus.CREATED, service.create(kind, namespace, r));
    }

    @Operation(summary = "Create a cluster-scoped resource")
    @PostMapping(path = CLUSTER, produces = JSON)
    public ResponseEntity<String> createCluster(@PathVariable String group, @PathVariable String version,
                                                @PathVariable String plural, HttpServletRequest request) {
        ResourceKind kind = kind(group, version, plural);
        requireClusterScoped(kind);
        Resource r = service.parseBody(RequestBodies.read(request), "request body");
        return json(HttpStatus.CREATED, service.create(kind, null, r));
    }

    // ---- single objects ----

    @Operation(summary = "Read a resource")
    @GetMapping(path = NS + "/{name}", produces = JSON)
    public ResponseEntity<String> getNamespaced(@PathVariable String group, @PathVariable String version,
                                                @PathVariable String namespace, @PathVariable String plural,
                                                @PathVariable String name) {
        ResourceKind kind = kind(group, version, plural);
        requireNamespaced(kind);
        return json(HttpStatus.OK, get(kind, namespace, name));
    }

    @Operation(summary = "Read a cluster-scoped resource")
    @GetMapping(path = CLUSTER + "/{name}", produces = JSON)
    public ResponseEntity<String> getCluster(@PathVariable String group, @PathVariable String version,
                                             @PathVariable String plural, @PathVariable String name) {
        ResourceKind kind = kind(group, version, plural);
        requireClusterScoped(kind);
        return json(HttpStatus.OK, get(kind, null, name));
    }

    @Operation(summary = "Replace a resource; with ?upsert=true create it when absent (what `skyforge apply` does)."
            + " A metadata.resourceVersion in the body makes the replace conditional (409 when stale).")
    @PutMapping(path = NS + "/{name}", produces = JSON)
    public ResponseEntity<String> replaceNamespaced(@PathVariable String group, @PathVariable String version,
                                                    @PathVariable String namespace, @PathVariable String plural,
                                                    @PathVariable String name,
                                                    @RequestParam(required = false, defaultValue = "false") boolean upsert,
                                                    HttpServletRequest request) {
        ResourceKind kind = kind(group, version, plural);
        requireNamespaced(kind);
        return replace(kind, namespace, name, upsert, request);
    }

    @Operation(summary = "Replace a cluster-scoped resource (?upsert=true creates it when absent)")
    @PutMapping(path = CLUSTER + "/{name}", produces = JSON)
    public ResponseEntity<String> replaceCluster(@PathVariable String group, @PathVariable String version,
                                                 @PathVariable String plural, @PathVariable String name,
                                                 @RequestParam(required = false, defaultValue = "false") boolean upsert,
                                                 HttpServletRequest request) {
        ResourceKind kind = kind(group, version, plural);
        requireClusterScoped(kind);
        return replace(kind, null, name, upsert, request);
    }

    @Operation(summary = "JSON merge patch (RFC 7386) of a resource's labels, annotations and spec")
    @PatchMapping(path = NS + "/{name}", produces = JSON)
    public ResponseEntity<String> patchNamespaced(@PathVariable String group, @PathVariable String version,
                                                  @PathVariable String namespace, @PathVariable String plural,
                                                  @PathVariable String name, HttpServletRequest request) {
        ResourceKind kind = kind(group, version, plural);
        requireNamespaced(kind);
        return json(HttpStatus.OK, service.patch(kind, namespace, name, patchBody(request)));
    }

    @Operation(summary = "JSON merge patch of a cluster-scoped resource")
    @PatchMapping(path = CLUSTER + "/{name}", produces = JSON)
    public ResponseEntity<String> patchCluster(@PathVariable String group, @PathVariable String version,
                                               @PathVariable String plural, @PathVariable String name,
                                               HttpServletRequest request) {
        ResourceKind kind = kind(group, version, plural);
        requireClusterScoped(kind);
        return json(HttpStatus.OK, service.patch(kind, null, name, patchBody(request)));
    }

    @Operation(summary = "Delete a resource (?resourceVersion= makes it conditional)")
    @DeleteMapping(path = NS + "/{name}", produces = JSON)
    public ResponseEntity<String> deleteNamespaced(@PathVariable String group, @PathVariable String version,
                                                   @PathVariable String namespace, @PathVariable String plural,
                                                   @PathVariable String name,
                                                   @RequestParam(required = false) String resourceVersion) {
        ResourceKind kind = kind(group, version, plural);
        requireNamespaced(kind);
        return json(HttpStatus.OK, service.delete(kind, namespace, name, resourceVersion));
    }

    @Operation(summary = "Delete a cluster-scoped resource")
    @DeleteMapping(path = CLUSTER + "/{name}", produces = JSON)
    public ResponseEntity<String> deleteCluster(@PathVariable String group, @PathVariable String version,
                                                @PathVariable String plural, @PathVariable String name,
                                                @RequestParam(required = false) String resourceVersion) {
        ResourceKind kind = kind(group, version, plural);
        requireClusterScoped(kind);
        return json(HttpStatus.OK, service.delete(kind, null, name, resourceVersion));
    }

    // ---- status subresource ----

    @Operation(summary = "Read a resource's status subresource")
    @GetMapping(path = NS + "/{name}/status", produces = JSON)
    public ResponseEntity<String> getStatusNamespaced(@PathVariable String group, @PathVariable String version,
                                                      @PathVariable String namespace, @PathVariable String plural,
                                                      @PathVariable String name) {
        return getNamespaced(group, version, namespace, plural, name);
    }

    @Operation(summary = "Read a cluster-scoped resource's status subresource")
    @GetMapping(path = CLUSTER + "/{name}/status", produces = JSON)
    public ResponseEntity<String> getStatusCluster(@PathVariable String group, @PathVariable String version,
                                                   @PathVariable String plural, @PathVariable String name) {
        return getCluster(group, version, plural, name);
    }

    @Operation(summary = "Replace the status subresource: the body is the whole resource; only its status is taken")
    @PutMapping(path = NS + "/{name}/status", produces = JSON)
    public ResponseEntity<String> replaceStatusNamespaced(@PathVariable String group, @PathVariable String version,
                                                          @PathVariable String namespace, @PathVariable String plural,
                                                          @PathVariable String name, HttpServletRequest request) {
        ResourceKind kind = kind(group, version, plural);
        requireNamespaced(kind);
        return replaceStatus(kind, namespace, name, request);
    }

    @Operation(summary = "Replace a cluster-scoped resource's status subresource")
    @PutMapping(path = CLUSTER + "/{name}/status", produces = JSON)
    public ResponseEntity<String> replaceStatusCluster(@PathVariable String group, @PathVariable String version,
                                                       @PathVariable String plural, @PathVariable String name,
                                                       HttpServletRequest request) {
        ResourceKind kind = kind(group, version, plural);
        requireClusterScoped(kind);
        return replaceStatus(kind, null, name, request);
    }

    @Operation(summary = "JSON merge patch of the status subresource: {\"status\": {...}}")
    @PatchMapping(path = NS + "/{name}/status", produces = JSON)
    public ResponseEntity<String> patchStatusNamespaced(@PathVariable String group, @PathVariable String version,
                                                        @PathVariable String namespace, @PathVariable String plural,
                                                        @PathVariable String name, HttpServletRequest request) {
        ResourceKind kind = kind(group, version, plural);
        requireNamespaced(kind);
        return patchStatus(kind, namespace, name, request);
    }

    @Operation(summary = "JSON merge patch of a cluster-scoped resource's status subresource")
    @PatchMapping(path = CLUSTER + "/{name}/status", produces = JSON)
    public ResponseEntity<String> patchStatusCluster(@PathVariable String group, @PathVariable String version,
                                                     @PathVariable String plural, @PathVariable String name,
                                                     HttpServletRequest request) {
        ResourceKind kind = kind(group, version, plural);
        requireClusterScoped(kind);
        return patchStatus(kind, null, name, request);
    }

    // ---- helpers ----

    private Object listOrWatch(ResourceKind kind, String namespace, String labelSelector, int limit, String cont,
                               boolean watch, String resourceVersion) {
        LabelSelector selector = labelSelector == null || labelSelector.isBlank()
                ? LabelSelector.EVERYTHING : LabelSelector.parse(labelSelector);
        if (limit < 0 || limit > 10_000) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "limit must be between 0 and 10000, got " + limit);
        }
        if (watch) {
            return watch(kind, namespace, selector, resourceVersion);
        }
        ResourcePage page = service.list(kind, namespace, selector, limit, cont);
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("apiVersion", kind.apiVersion());
        list.put("kind", kind.kind() + "List");
        ObjectNode meta = list.putObject("metadata");
        meta.put("resourceVersion", Long.toString(page.resourceVersion()));
        if (page.continueToken() != null) {
            meta.put("continue", page.continueToken());
        }
        var items = list.putArray("items");
        page.items().forEach(r -> items.add(ResourceJson.write(r)));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(ResourceCodec.toCompactJson(list));
    }

    /**
     * Server-sent events, one per change: {@code event: ADDED|MODIFIED|DELETED}, {@code id: <rv>},
     * data the object. Without a resourceVersion the current objects come first as ADDED, as a
     * Kubernetes watch does, so a client never misses the state between its list and its watch.
     */
    private SseEmitter watch(ResourceKind kind, String namespace, LabelSelector selector, String resourceVersion) {
        // A watch lives up to a day; clients reconnect with the last event id as resourceVersion.
        SseEmitter emitter = new SseEmitter(java.time.Duration.ofHours(24).toMillis());
        AtomicReference<Watch> handle = new AtomicReference<>();
        Runnable close = () -> {
            Watch w = handle.getAndSet(null);
            if (w != null) {
                w.close();
            }
        };
        emitter.onCompletion(close);
        emitter.onTimeout(close);
        emitter.onError(t -> close.run());
        String from = resourceVersion;
        java.util.Set<String> matching = new java.util.HashSet<>();
        try {
            // Commits the response headers at once, so a client sees the stream open before any change.
            synchronized (emitter) {
                emitter.send(SseEmitter.event().comment("watching " + kind.plural()));
            }
            if (from == null || from.isBlank()) {
                ResourcePage page = service.list(kind, namespace, selector, 0, null);
                for (Resource r : page.items()) {
                    send(emitter, new WatchEvent(WatchEvent.Type.ADDED, r, page.resourceVersion()));
                    matching.add(r.namespace() + "/" + r.name());
                }
                from = Long.toString(page.resourceVersion());
            }
            handle.set(service.watch(kind, namespace, from, selector, matching, new io.skyforge.control.store.WatchListener() {
                @Override
                public void onEvent(WatchEvent event) {
                    try {
                        send(emitter, event);
                    } catch (IOException | IllegalStateException e) {
                        close.run();
                    }
                }

                @Override
                public void onError(SkyforgeException error) {
                    // Ends the stream with a problem event (e.g. SF-GONE: re-list and watch again).
                    try {
                        synchronized (emitter) {
                            emitter.send(SseEmitter.event().name("ERROR")
                                    .data(ResourceCodec.toCompactJson(Problems.body(error, null)), MediaType.APPLICATION_JSON));
                        }
                    } catch (IOException | IllegalStateException ignored) {
                        // the client is gone already
                    }
                    emitter.complete();
                    close.run();
                }
            }));
        } catch (IOException e) {
            close.run();
            emitter.completeWithError(e);
        }
        return emitter;
    }

    private static void send(SseEmitter emitter, WatchEvent event) throws IOException {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("type", event.type().name());
        data.set("object", ResourceJson.write(event.object()));
        synchronized (emitter) {
            emitter.send(SseEmitter.event().name(event.type().name()).id(Long.toString(event.resourceVersion()))
                    .data(ResourceCodec.toCompactJson(data), MediaType.APPLICATION_JSON));
        }
    }

    private Resource get(ResourceKind kind, String namespace, String name) {
        return service.get(kind, namespace, name).orElseThrow(() -> ResourceService.notFound(kind, namespace, name));
    }

    private ResponseEntity<String> replace(ResourceKind kind, String namespace, String name, boolean upsert,
                                           HttpServletRequest request) {
        Resource r = service.parseBody(RequestBodies.read(request), "request body");
        if (upsert) {
            ResourceService.Applied a = service.upsert(kind, namespace, name, r);
            return json(a.created() ? HttpStatus.CREATED : HttpStatus.OK, a.resource());
        }
        return json(HttpStatus.OK, service.replace(kind, namespace, name, r));
    }

    private ResponseEntity<String> replaceStatus(ResourceKind kind, String namespace, String name,
                                                 HttpServletRequest request) {
        JsonNode body = ResourceCodec.parseOne("request body", RequestBodies.read(request)).body();
        JsonNode status = body.get("status");
        if (status == null || !status.isObject()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "the body must carry a status object");
        }
        String rv = body.path("metadata").path("resourceVersion").asString(null);
        return json(HttpStatus.OK, service.replaceStatus(kind, namespace, name, (ObjectNode) status, rv));
    }

    private ResponseEntity<String> patchStatus(ResourceKind kind, String namespace, String name, HttpServletRequest request) {
        JsonNode body = patchBody(request);
        JsonNode status = body.get("status");
        if (status == null || !status.isObject()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "a status patch must look like {\"status\": {...}}");
        }
        ObjectNode patch = ((ObjectNode) status).deepCopy();
        if (body.has("metadata")) {
            patch.set("metadata", body.get("metadata"));
        }
        return json(HttpStatus.OK, service.patchStatus(kind, namespace, name, patch));
    }

    private static JsonNode patchBody(HttpServletRequest request) {
        String type = request.getContentType();
        if (type != null && !(type.startsWith("application/merge-patch+json") || type.startsWith("application/json")
                || type.contains("yaml"))) {
            throw new SkyforgeException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "PATCH takes a JSON merge patch (application/merge-patch+json); got " + type);
        }
        return ResourceCodec.parseOne("patch", RequestBodies.read(request)).body();
    }

    private static ResourceKind kind(String group, String version, String plural) {
        return Kinds.byPlural(group, version, plural).orElseThrow(() -> {
            var known = Kinds.ALL.stream().map(k -> k.group() + "/" + k.version() + "/" + k.plural()).toList();
            return new SkyforgeException(ErrorCode.NOT_FOUND, "no resource type " + group + "/" + version + "/" + plural
                    + io.skyforge.core.validation.Suggest.didYouMean(group + "/" + version + "/" + plural, known)
                    + "; served: " + String.join(", ", known));
        });
    }

    private static void requireNamespaced(ResourceKind kind) {
        if (!kind.namespaced()) {
            throw new SkyforgeException(ErrorCode.NOT_FOUND, kind.kind() + " is cluster-scoped: use "
                    + kind.collectionPath(null));
        }
    }

    private static void requireClusterScoped(ResourceKind kind) {
        if (kind.namespaced()) {
            throw new SkyforgeException(ErrorCode.METHOD_NOT_ALLOWED, kind.kind()
                    + " is namespaced: use " + kind.collectionPath("{namespace}"));
        }
    }

    private static ResponseEntity<String> json(HttpStatus status, Resource r) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(ResourceCodec.toCompactJson(ResourceJson.write(r)));
    }
}
