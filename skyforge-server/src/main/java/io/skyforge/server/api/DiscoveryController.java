package io.skyforge.server.api;

import io.skyforge.control.store.ResourceStore;
import io.skyforge.core.codec.Json;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.ResourceKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** What the server serves: the kinds and the namespaces. */
@RestController
@Tag(name = "discovery")
public class DiscoveryController {

    private final ResourceStore store;

    public DiscoveryController(ResourceStore store) {
        this.store = store;
    }

    @Operation(summary = "The resource kinds this server serves")
    @GetMapping(path = "/apis", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> apis() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("kind", "APIResourceList");
        ArrayNode resources = root.putArray("resources");
        for (ResourceKind k : Kinds.ALL) {
            ObjectNode o = resources.addObject();
            o.put("kind", k.kind());
            o.put("apiVersion", k.apiVersion());
            o.put("name", k.plural());
            o.put("singularName", k.singular());
            o.put("namespaced", k.namespaced());
            ArrayNode shortNames = o.putArray("shortNames");
            k.shortNames().forEach(shortNames::add);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(ResourceCodec.toCompactJson(root));
    }

    @Operation(summary = "The namespaces that exist (a namespace is created by the first resource put in it)")
    @GetMapping(path = "/api/v1/namespaces", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> namespaces() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("apiVersion", "v1");
        root.put("kind", "NamespaceList");
        ArrayNode items = root.putArray("items");
        for (String ns : store.namespaces()) {
            items.addObject().put("kind", "Namespace").putObject("metadata").put("name", ns);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(ResourceCodec.toCompactJson(root));
    }
}
