package io.skyforge.core.seed;

import io.skyforge.core.codec.ParsedDocument;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.core.codec.SourceMap;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.validation.Suggest;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The seed's short forms, accepted verbatim and turned into ordinary resources:
 * <ul>
 *   <li>the URM JSON form {@code {"resource_id", "type": "LogicalBucket", "providers": [{cloud, physical_id}]}};</li>
 *   <li>a {@code storage_providers:} list, each entry a {@code Cloud} (snake_case keys);</li>
 *   <li>a config file with {@code storage_providers:} and/or {@code resources:} (a list of resources).</li>
 * </ul>
 * Field locations are carried over, so errors still point at the line the user wrote.
 */
public final class SeedForms {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> CONFIG_FIELDS = Set.of("storage_providers", "resources");
    private static final Set<String> URM_TYPES = Set.of("LogicalBucket");

    private SeedForms() {
    }

    /** Replaces every short-form document by the resources it stands for; ordinary documents pass through. */
    public static List<ParsedDocument> normalize(List<ParsedDocument> docs) {
        List<ParsedDocument> out = new ArrayList<>();
        for (ParsedDocument d : docs) {
            ObjectNode body = d.body();
            if (body.has("apiVersion") || body.has("kind")) {
                out.add(d);
            } else if (body.has("resource_id") || (body.has("type") && body.has("providers"))) {
                out.add(fromUrm(d));
            } else if (body.has("storage_providers") || body.has("resources")) {
                out.addAll(fromConfig(d));
            } else {
                out.add(d); // the validator reports the missing apiVersion/kind with its position
            }
        }
        return out;
    }

    private static ParsedDocument fromUrm(ParsedDocument d) {
        ObjectNode body = d.body();
        SourceMap old = d.sourceMap();
        SourceMap map = new SourceMap(d.source());
        List<Violation> problems = new ArrayList<>();
        JsonNode type = body.get("type");
        String kind = type == null || !type.isString() ? null : type.asString();
        if (kind == null || !URM_TYPES.contains(kind)) {
            problems.add(old.at("type", "URM documents must have type LogicalBucket"
                    + (kind == null ? "" : Suggest.didYouMean(kind, URM_TYPES))));
        }
        JsonNode id = body.get("resource_id");
        if (id == null || !id.isString()) {
            problems.add(old.at("resource_id", "resource_id is required and must be a string"));
        }
        if (!problems.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "invalid URM document in " + d.source() + ": "
                    + problems.get(0).describe(), problems);
        }
        ObjectNode res = F.objectNode();
        res.put("apiVersion", Kinds.LOGICAL_BUCKET.apiVersion());
        res.put("kind", kind);
        ObjectNode meta = res.putObject("metadata");
        meta.set("name", id);
        map.copyEntry(old, "", "");
        map.copyEntry(old, "resource_id", "metadata.name");
        map.copyEntry(old, "type", "kind");
        ObjectNode spec = res.putObject("spec");
        map.copyEntry(old, "", "spec");
        for (var e : body.properties()) {
            String k = e.getKey();
            switch (k) {
                case "resource_id", "type" -> { }
                case "namespace", "labels", "annotations" -> {
                    meta.set(k, e.getValue());
                    copyTree(e.getValue(), old, k, map, "metadata." + k);
                }
                default -> {
                    String camel = camel(k);
                    String oldPath = ResourceCodec.childPath("", k);
                    String newPath = ResourceCodec.childPath("spec", camel);
                    spec.set(camel, camelTree(e.getValue(), old, oldPath, map, newPath));
                }
            }
        }
        return new ParsedDocument(d.source(), d.index(), res, map);
    }

    private static List<ParsedDocument> fromConfig(ParsedDocument d) {
        ObjectNode body = d.body();
        SourceMap old = d.sourceMap();
        List<Violation> problems = new ArrayList<>();
        for (var e : body.properties()) {
            if (!CONFIG_FIELDS.contains(e.getKey())) {
                problems.add(old.atKey(e.getKey(), "unknown field '" + e.getKey() + "'"
                        + Suggest.didYouMean(e.getKey(), CONFIG_FIELDS) + "; a config document holds storage_providers and resources"));
            }
        }
        JsonNode providers = body.get("storage_providers");
        JsonNode resources = body.get("resources");
        if (providers != null && !providers.isNull() && !providers.isArray()) {
            problems.add(old.at("storage_providers", "storage_providers must be a list"));
        }
        if (resources != null && !resources.isNull() && !resources.isArray()) {
            problems.add(old.at("resources", "resources must be a list"));
        }
        if (!problems.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, d.source() + ": " + problems.get(0).describe(), problems);
        }
        List<ParsedDocument> out = new ArrayList<>();
        int index = d.index();
        if (providers != null && providers.isArray()) {
            for (int i = 0; i < providers.size(); i++) {
                out.add(cloudFrom(d, providers.get(i), "storage_providers[" + i + "]", index++));
            }
        }
        if (resources != null && resources.isArray()) {
            for (int i = 0; i < resources.size(); i++) {
                String base = "resources[" + i + "]";
                JsonNode r = resources.get(i);
                if (!r.isObject()) {
                    Violation v = old.at(base, "each resource must be an object");
                    throw new SkyforgeException(ErrorCode.VALIDATION, v.describe(), List.of(v));
                }
                SourceMap map = new SourceMap(d.source());
                copyTree(r, old, base, map, "");
                out.addAll(normalize(List.of(new ParsedDocument(d.source(), index++, (ObjectNode) r, map))));
            }
        }
        return out;
    }

    private static ParsedDocument cloudFrom(ParsedDocument d, JsonNode entry, String base, int index) {
        SourceMap old = d.sourceMap();
        if (!entry.isObject()) {
            Violation v = old.at(base, "each storage provider must be an object with name and type");
            throw new SkyforgeException(ErrorCode.VALIDATION, v.describe(), List.of(v));
        }
        SourceMap map = new SourceMap(d.source());
        ObjectNode res = F.objectNode();
        res.put("apiVersion", Kinds.CLOUD.apiVersion());
        res.put("kind", Kinds.CLOUD.kind());
        map.copyEntry(old, base, "");
        map.copyEntry(old, base, "kind");
        map.copyEntry(old, base, "apiVersion");
        ObjectNode meta = res.putObject("metadata");
        map.copyEntry(old, base, "metadata");
        ObjectNode spec = res.putObject("spec");
        map.copyEntry(old, base, "spec");
        for (var e : entry.properties()) {
            String k = e.getKey();
            String oldPath = ResourceCodec.childPath(base, k);
            switch (k) {
                case "name", "labels", "annotations" -> {
                    meta.set(k, e.getValue());
                    copyTree(e.getValue(), old, oldPath, map, "metadata." + k);
                }
                default -> {
                    String camel = camel(k);
                    spec.set(camel, camelTree(e.getValue(), old, oldPath, map, ResourceCodec.childPath("spec", camel)));
                }
            }
        }
        if (!meta.has("name")) {
            map.copyEntry(old, base, "metadata.name");
        }
        return new ParsedDocument(d.source(), index, res, map);
    }

    /** Copies a subtree, renaming snake_case keys to camelCase and carrying locations along. */
    private static JsonNode camelTree(JsonNode node, SourceMap old, String oldPath, SourceMap map, String newPath) {
        map.copyEntry(old, oldPath, newPath);
        if (node.isObject()) {
            ObjectNode o = F.objectNode();
            for (var e : node.properties()) {
                String camel = camel(e.getKey());
                o.set(camel, camelTree(e.getValue(), old, ResourceCodec.childPath(oldPath, e.getKey()), map,
                        ResourceCodec.childPath(newPath, camel)));
            }
            return o;
        }
        if (node.isArray()) {
            var a = F.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                a.add(camelTree(node.get(i), old, oldPath + "[" + i + "]", map, newPath + "[" + i + "]"));
            }
            return a;
        }
        return node;
    }

    /** Copies locations of a subtree whose keys stay as they are. */
    private static void copyTree(JsonNode node, SourceMap old, String oldPath, SourceMap map, String newPath) {
        map.copyEntry(old, oldPath, newPath);
        if (node.isObject()) {
            for (var e : node.properties()) {
                copyTree(e.getValue(), old, ResourceCodec.childPath(oldPath, e.getKey()), map,
                        ResourceCodec.childPath(newPath, e.getKey()));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                copyTree(node.get(i), old, oldPath + "[" + i + "]", map, newPath + "[" + i + "]");
            }
        }
    }

    /** {@code physical_id} → {@code physicalId}; camelCase keys pass unchanged. */
    static String camel(String key) {
        if (key.indexOf('_') < 0) {
            return key;
        }
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '_') {
                up = sb.length() > 0;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
