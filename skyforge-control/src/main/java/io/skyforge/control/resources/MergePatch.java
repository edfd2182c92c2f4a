package io.skyforge.control.resources;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** RFC 7386 JSON merge patch: objects merge recursively, null removes, anything else replaces. */
public final class MergePatch {

    private MergePatch() {
    }

    public static ObjectNode apply(JsonNode target, JsonNode patch) {
        JsonNode result = merge(target, patch);
        return result instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode out = target != null && target.isObject() ? (ObjectNode) target.deepCopy() : JsonNodeFactory.instance.objectNode();
        for (var e : patch.properties()) {
            if (e.getValue().isNull()) {
                out.remove(e.getKey());
            } else {
                out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
            }
        }
        return out;
    }
}
