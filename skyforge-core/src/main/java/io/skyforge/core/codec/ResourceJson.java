package io.skyforge.core.codec;

import io.skyforge.core.model.ObjectMeta;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts between {@link Resource} and its JSON tree, in the canonical field order
 * (apiVersion, kind, metadata, spec, status) and leaving out what is unset. Input must already
 * have passed validation; this class does not report problems field by field.
 */
public final class ResourceJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ResourceJson() {
    }

    public static ObjectNode write(Resource r) {
        ObjectNode root = F.objectNode();
        root.put("apiVersion", r.apiVersion());
        root.put("kind", r.kind());
        root.set("metadata", writeMeta(r.metadata()));
        root.set("spec", r.spec());
        if (!r.status().isEmpty()) {
            root.set("status", r.status());
        }
        return root;
    }

    public static ObjectNode writeMeta(ObjectMeta m) {
        ObjectNode meta = F.objectNode();
        meta.put("name", m.name());
        if (m.namespace() != null) {
            meta.put("namespace", m.namespace());
        }
        if (!m.labels().isEmpty()) {
            ObjectNode labels = meta.putObject("labels");
            m.labels().forEach(labels::put);
        }
        if (!m.annotations().isEmpty()) {
            ObjectNode ann = meta.putObject("annotations");
            m.annotations().forEach(ann::put);
        }
        if (m.uid() != null) {
            meta.put("uid", m.uid());
        }
        if (m.resourceVersion() != null) {
            meta.put("resourceVersion", m.resourceVersion());
        }
        if (m.generation() != null) {
            meta.put("generation", m.generation());
        }
        if (m.creationTimestamp() != null) {
            meta.put("creationTimestamp", m.creationTimestamp().toString());
        }
        return meta;
    }

    public static Resource read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new SkyforgeException(ErrorCode.PARSE, "a resource must be a JSON object");
        }
        JsonNode spec = root.get("spec");
        JsonNode status = root.get("status");
        return new Resource(
                text(root, "apiVersion"),
                text(root, "kind"),
                readMeta(root.get("metadata")),
                spec instanceof ObjectNode o ? o : null,
                status instanceof ObjectNode o ? o : null);
    }

    public static ObjectMeta readMeta(JsonNode meta) {
        if (meta == null || !meta.isObject()) {
            return ObjectMeta.named(null, null);
        }
        Long generation = meta.hasNonNull("generation") ? meta.get("generation").asLong() : null;
        Instant created = null;
        if (meta.hasNonNull("creationTimestamp")) {
            try {
                created = Instant.parse(meta.get("creationTimestamp").asString());
            } catch (DateTimeParseException e) {
                created = null;
            }
        }
        return new ObjectMeta(
                text(meta, "name"),
                text(meta, "namespace"),
                stringMap(meta.get("labels")),
                stringMap(meta.get("annotations")),
                text(meta, "uid"),
                text(meta, "resourceVersion"),
                generation,
                created);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asString()));
        }
        return out;
    }
}
