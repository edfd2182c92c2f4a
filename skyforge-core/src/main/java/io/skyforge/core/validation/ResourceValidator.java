package io.skyforge.core.validation;

import io.skyforge.core.codec.ParsedDocument;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.core.codec.ResourceJson;
import io.skyforge.core.codec.SourceMap;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
import io.skyforge.core.secret.EnvReferences;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a parsed document against the resource model and reports every problem at once, each with
 * its field path and source position. The record types of {@link Kinds} are the schema: their
 * components name the allowed fields, their Java types the JSON types, and the annotations of this
 * package add required fields, closed value lists and ranges.
 */
public final class ResourceValidator {

    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final List<String> META_FIELDS = List.of("name", "namespace", "labels", "annotations", "uid",
            "resourceVersion", "generation", "creationTimestamp");
    private static final Map<String, SpecValidator> EXTRA = loadSpecValidators();

    private ResourceValidator() {
    }

    /** Validates and converts, or throws {@link SkyforgeException} listing every violation. */
    public static Resource toResource(ParsedDocument doc) {
        List<Violation> violations = new ArrayList<>();
        ErrorCode code = check(doc, violations);
        if (!violations.isEmpty()) {
            throw failure(code, doc, violations);
        }
        return ResourceJson.read(doc.body());
    }

    /** Collects violations; returns UNKNOWN_KIND when the kind itself is not known, else VALIDATION. */
    public static ErrorCode check(ParsedDocument doc, List<Violation> out) {
        ObjectNode body = doc.body();
        SourceMap map = doc.sourceMap();
        for (var e : body.properties()) {
            if (!ROOT_FIELDS.contains(e.getKey())) {
                out.add(map.atKey(e.getKey(), "unknown field '" + e.getKey() + "'"
                        + Suggest.didYouMean(e.getKey(), ROOT_FIELDS)));
            }
        }
        ErrorCode code = ErrorCode.VALIDATION;
        ResourceKind kind = null;
        JsonNode kindNode = body.get("kind");
        JsonNode apiNode = body.get("apiVersion");
        if (kindNode == null || kindNode.isNull()) {
            out.add(map.at("kind", "kind is required (one of " + kindNames() + ")"));
        } else if (!kindNode.isString()) {
            out.add(map.at("kind", "kind must be a string"));
        } else {
            Optional<ResourceKind> k = Kinds.byKind(kindNode.asString());
            if (k.isEmpty()) {
                code = ErrorCode.UNKNOWN_KIND;
                out.add(map.at("kind", "unknown kind '" + kindNode.asString() + "'"
                        + Suggest.didYouMean(kindNode.asString(), Kinds.ALL.stream().map(ResourceKind::kind).toList())
                        + "; known kinds: " + kindNames()));
            } else {
                kind = k.get();
            }
        }
        if (apiNode == null || apiNode.isNull()) {
            out.add(map.at("apiVersion", "apiVersion is required"
                    + (kind != null ? " (" + kind.kind() + " is served as " + kind.apiVersion() + ")" : "")));
        } else if (!apiNode.isString()) {
            out.add(map.at("apiVersion", "apiVersion must be a string"));
        } else if (kind != null && !kind.apiVersion().equals(apiNode.asString())) {
            code = ErrorCode.UNKNOWN_KIND;
            out.add(map.at("apiVersion", "apiVersion '" + apiNode.asString() + "' does not serve kind " + kind.kind()
                    + "; use " + kind.apiVersion()));
        }
        checkMetadata(body.get("metadata"), kind, map, out);
        JsonNode status = body.get("status");
        if (status != null && !status.isNull() && !status.isObject()) {
            out.add(map.at("status", "status must be an object"));
        }
        JsonNode spec = body.get("spec");
        if (kind != null) {
            if (spec == null || spec.isNull()) {
                out.add(map.at("spec", "spec is required for " + kind.kind()));
            } else {
                int before = out.size();
                checkValue(spec, kind.specType(), null, "spec", map, out);
                SpecValidator extra = EXTRA.get(kind.kind());
                if (extra != null && out.size() == before && spec.isObject()) {
                    out.addAll(extra.validate(spec, map));
                }
            }
        }
        return code;
    }

    private static void checkMetadata(JsonNode meta, ResourceKind kind, SourceMap map, List<Violation> out) {
        if (meta == null || meta.isNull()) {
            out.add(map.at("metadata", "metadata is required (at least metadata.name)"));
            return;
        }
        if (!meta.isObject()) {
            out.add(map.at("metadata", "metadata must be an object"));
            return;
        }
        for (var e : meta.properties()) {
            if (!META_FIELDS.contains(e.getKey())) {
                out.add(map.atKey("metadata." + e.getKey(), "unknown field '" + e.getKey() + "'"
                        + Suggest.didYouMean(e.getKey(), META_FIELDS)));
            }
        }
        JsonNode name = meta.get("name");
        if (name == null || name.isNull()) {
            out.add(map.at("metadata.name", "metadata.name is required"));
        } else if (!name.isString()) {
            out.add(map.at("metadata.name", "metadata.name must be a string"));
        } else {
            boolean cloud = kind != null && kind.equals(Kinds.CLOUD);
            (cloud ? Names.checkCloudName(name.asString()) : Names.checkDnsLabel(name.asString()))
                    .ifPresent(p -> out.add(map.at("metadata.name", "invalid name: " + p)));
        }
        JsonNode ns = meta.get("namespace");
        if (ns != null && !ns.isNull()) {
            if (!ns.isString()) {
                out.add(map.at("metadata.namespace", "metadata.namespace must be a string"));
            } else if (kind != null && !kind.namespaced()) {
                out.add(map.at("metadata.namespace", kind.kind() + " is cluster-scoped; remove metadata.namespace"));
            } else {
                Names.checkDnsLabel(ns.asString())
                        .ifPresent(p -> out.add(map.at("metadata.namespace", "invalid namespace: " + p)));
            }
        }
        checkStringMap(meta.get("labels"), "metadata.labels", true, map, out);
        checkStringMap(meta.get("annotations"), "metadata.annotations", false, map, out);
        JsonNode generation = meta.get("generation");
        if (generation != null && !generation.isNull() && !generation.isIntegralNumber()) {
            out.add(map.at("metadata.generation", "metadata.generation must be an integer"));
        }
        for (String f : List.of("uid", "resourceVersion", "creationTimestamp")) {
            JsonNode v = meta.get(f);
            if (v != null && !v.isNull() && !v.isString() && !(f.equals("resourceVersion") && v.isIntegralNumber())) {
                out.add(map.at("metadata." + f, "metadata." + f + " must be a string"));
            }
        }
    }

    private static void checkStringMap(JsonNode node, String path, boolean labels, SourceMap map, List<Violation> out) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            out.add(map.at(path, path + " must be a map of strings"));
            return;
        }
        for (var e : node.properties()) {
            String p = ResourceCodec.childPath(path, e.getKey());
            JsonNode v = e.getValue();
            if (!(v.isString() || v.isNumber() || v.isBoolean())) {
                out.add(map.at(p, "value must be a string"));
                continue;
            }
            if (labels) {
                Names.checkLabelKey(e.getKey()).ifPresent(m -> out.add(map.atKey(p, m)));
                Names.checkLabelValue(v.asString()).ifPresent(m -> out.add(map.at(p, m)));
            }
        }
    }

    /** Checks {@code node} against a Java type (record, String, number, Boolean, List, Map, JsonNode). */
    private static void checkValue(JsonNode node, Type type, RecordComponent component, String path, SourceMap map,
                                   List<Violation> out) {
        if (node == null || node.isNull()) {
            return;
        }
        Class<?> raw = rawType(type);
        if (JsonNode.class.isAssignableFrom(raw)) {
            return;
        }
        if (raw == String.class) {
            boolean intOrString = component != null && component.isAnnotationPresent(IntOrString.class);
            if (!(node.isString() || (intOrString && node.isNumber()))) {
                out.add(map.at(path, "expected a string" + (intOrString ? " or a number" : "") + ", found " + describe(node)));
                return;
            }
            String s = node.asString();
            OneOf oneOf = component == null ? null : component.getAnnotation(OneOf.class);
            if (oneOf != null && !Arrays.asList(oneOf.value()).contains(s)) {
                out.add(map.at(path, "'" + s + "' is not one of " + String.join(", ", oneOf.value())
                        + Suggest.didYouMean(s, Arrays.asList(oneOf.value()))));
            }
            EnvReferences.checkSyntax(s).ifPresent(p -> out.add(map.at(path, p)));
            return;
        }
        if (raw == Integer.class || raw == Long.class || raw == int.class || raw == long.class) {
            if (!node.isIntegralNumber()) {
                out.add(map.at(path, "expected an integer, found " + describe(node)));
                return;
            }
            if (!node.canConvertToLong() || ((raw == Integer.class || raw == int.class) && !node.canConvertToInt())) {
                out.add(map.at(path, "integer " + node.asString() + " is out of range"));
                return;
            }
            checkRange(node.doubleValue(), component, path, map, out);
            return;
        }
        if (raw == Double.class || raw == double.class) {
            if (!node.isNumber()) {
                out.add(map.at(path, "expected a number, found " + describe(node)));
                return;
            }
            checkRange(node.doubleValue(), component, path, map, out);
            return;
        }
        if (raw == Boolean.class || raw == boolean.class) {
            if (!node.isBoolean()) {
                out.add(map.at(path, "expected true or false, found " + describe(node)));
            }
            return;
        }
        if (List.class.isAssignableFrom(raw)) {
            if (!node.isArray()) {
                out.add(map.at(path, "expected a list, found " + describe(node)));
                return;
            }
            Type item = typeArg(type, 0);
            for (int i = 0; i < node.size(); i++) {
                JsonNode child = node.get(i);
                if (child.isNull()) {
                    out.add(map.at(path + "[" + i + "]", "list items must not be null"));
                } else if (component != null && component.isAnnotationPresent(FreeForm.class) && !child.isObject()) {
                    out.add(map.at(path + "[" + i + "]", "expected an object, found " + describe(child)));
                } else {
                    checkValue(child, item, null, path + "[" + i + "]", map, out);
                }
            }
            return;
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!node.isObject()) {
                out.add(map.at(path, "expected a map, found " + describe(node)));
                return;
            }
            Type value = typeArg(type, 1);
            for (var e : node.properties()) {
                checkValue(e.getValue(), value, null, ResourceCodec.childPath(path, e.getKey()), map, out);
            }
            return;
        }
        if (raw.isRecord()) {
            if (!node.isObject()) {
                out.add(map.at(path, "expected an object, found " + describe(node)));
                return;
            }
            RecordComponent[] components = raw.getRecordComponents();
            Map<String, RecordComponent> byName = new HashMap<>();
            for (RecordComponent c : components) {
                byName.put(c.getName(), c);
            }
            for (var e : node.properties()) {
                String childPath = ResourceCodec.childPath(path, e.getKey());
                RecordComponent c = byName.get(e.getKey());
                if (c == null) {
                    out.add(map.atKey(childPath, "unknown field '" + e.getKey() + "'"
                            + Suggest.didYouMean(e.getKey(), byName.keySet())
                            + "; allowed: " + Arrays.stream(components).map(RecordComponent::getName)
                            .collect(Collectors.joining(", "))));
                    continue;
                }
                checkValue(e.getValue(), c.getGenericType(), c, childPath, map, out);
            }
            for (RecordComponent c : components) {
                if (c.isAnnotationPresent(Required.class)) {
                    JsonNode v = node.get(c.getName());
                    String childPath = ResourceCodec.childPath(path, c.getName());
                    if (v == null || v.isNull()) {
                        out.add(map.at(path, childPath + " is required"));
                    } else if ((v.isString() && v.asString().isBlank()) || (v.isArray() && v.isEmpty())) {
                        out.add(map.at(childPath, childPath + " must not be empty"));
                    }
                }
            }
            return;
        }
        throw new IllegalStateException("no validation rule for " + type);
    }

    private static void checkRange(double v, RecordComponent component, String path, SourceMap map, List<Violation> out) {
        Range r = component == null ? null : component.getAnnotation(Range.class);
        if (r != null && (v < r.min() || v > r.max())) {
            out.add(map.at(path, "value " + format(v) + " is out of range [" + format(r.min()) + ", " + format(r.max()) + "]"));
        }
    }

    private static String format(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "∞" : "-∞";
        }
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String describe(JsonNode n) {
        if (n.isString()) {
            String s = n.asString();
            return "the string '" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "'";
        }
        if (n.isNumber()) {
            return "the number " + n.asString();
        }
        if (n.isBoolean()) {
            return n.asString();
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isObject()) {
            return "an object";
        }
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static Class<?> rawType(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported schema type " + t);
    }

    private static Type typeArg(Type t, int i) {
        return t instanceof ParameterizedType p ? p.getActualTypeArguments()[i] : Object.class;
    }

    private static String kindNames() {
        return Kinds.ALL.stream().map(ResourceKind::kind).collect(Collectors.joining(", "));
    }

    /** The exception for a document that failed: message lists the first problems for one-line output. */
    public static SkyforgeException failure(ErrorCode code, ParsedDocument doc, List<Violation> violations) {
        String what = doc.source().isEmpty() ? "document" : doc.source();
        String name = doc.body().path("metadata").path("name").asString("");
        String kind = doc.body().path("kind").asString("");
        String subject = kind.isEmpty() ? what : kind + (name.isEmpty() ? "" : " " + name) + " in " + what;
        String message = violations.size() == 1
                ? subject + " is invalid: " + violations.get(0).describe()
                : subject + " has " + violations.size() + " problems; first: " + violations.get(0).describe();
        return new SkyforgeException(code, message, violations);
    }

    private static Map<String, SpecValidator> loadSpecValidators() {
        Map<String, SpecValidator> m = new HashMap<>();
        for (SpecValidator v : ServiceLoader.load(SpecValidator.class, ResourceValidator.class.getClassLoader())) {
            m.put(v.kind(), v);
        }
        return Map.copyOf(m);
    }
}
