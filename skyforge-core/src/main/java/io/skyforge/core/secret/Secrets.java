package io.skyforge.core.secret;

import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
import io.skyforge.core.validation.Sensitive;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds the {@link Sensitive} fields of a kind's spec and rewrites them: redacted for the API,
 * encrypted for the store, decrypted for the adapters. A {@code ${VAR}} reference is not a secret
 * and passes through unchanged.
 */
public final class Secrets {

    /** What the API shows instead of a secret; sending it back means "keep the stored value". */
    public static final String REDACTED = "******";

    private static final Map<Class<?>, List<List<String>>> PATHS = new ConcurrentHashMap<>();

    private Secrets() {
    }

    /** The API view: every literal secret replaced by {@link #REDACTED}. */
    public static Resource redact(Resource r) {
        return rewrite(r, v -> EnvReferences.containsReference(v) ? v : REDACTED);
    }

    /**
     * The stored form: literal secrets encrypted; a {@link #REDACTED} value (a client echoing what it
     * read) is replaced by the value stored before, so a get-edit-apply round trip keeps the secret.
     */
    public static Resource encrypt(Resource incoming, Resource stored, SecretCipher cipher) {
        ResourceKind kind = Kinds.of(incoming);
        ObjectNode spec = incoming.spec().deepCopy();
        for (List<String> path : paths(kind.specType())) {
            forEach(spec, path, 0, stored == null ? null : stored.spec(), (parent, field, previous) -> {
                String v = parent.get(field).asString();
                if (REDACTED.equals(v)) {
                    if (previous != null && previous.isString()) {
                        parent.put(field, previous.asString());
                    } else {
                        parent.remove(field);
                    }
                } else if (!EnvReferences.containsReference(v) && !SecretCipher.isEncrypted(v)) {
                    parent.put(field, cipher.encrypt(v));
                }
            });
        }
        return incoming.withSpec(spec);
    }

    /** The usable form for adapters: stored secrets decrypted. */
    public static Resource decrypt(Resource r, SecretCipher cipher) {
        return rewrite(r, cipher::decrypt);
    }

    public static boolean hasSensitiveFields(ResourceKind kind) {
        return !paths(kind.specType()).isEmpty();
    }

    private static Resource rewrite(Resource r, UnaryOperator<String> op) {
        ResourceKind kind = Kinds.of(r);
        List<List<String>> paths = paths(kind.specType());
        if (paths.isEmpty()) {
            return r;
        }
        ObjectNode spec = r.spec().deepCopy();
        for (List<String> path : paths) {
            forEach(spec, path, 0, null, (parent, field, previous) -> parent.put(field, op.apply(parent.get(field).asString())));
        }
        return r.withSpec(spec);
    }

    @FunctionalInterface
    private interface FieldAction {
        void apply(ObjectNode parent, String field, JsonNode previous);
    }

    /** Visits the string values at {@code path} ("*" steps into every list item). */
    private static void forEach(JsonNode node, List<String> path, int i, JsonNode previous, FieldAction action) {
        if (node == null || node.isNull()) {
            return;
        }
        String step = path.get(i);
        if (step.equals("*")) {
            if (node.isArray()) {
                for (int k = 0; k < node.size(); k++) {
                    forEach(node.get(k), path, i + 1, previous != null && previous.isArray() ? previous.get(k) : null, action);
                }
            }
            return;
        }
        if (!(node instanceof ObjectNode obj)) {
            return;
        }
        JsonNode child = obj.get(step);
        JsonNode prevChild = previous == null ? null : previous.get(step);
        if (i == path.size() - 1) {
            if (child != null && child.isString()) {
                action.apply(obj, step, prevChild);
            }
        } else {
            forEach(child, path, i + 1, prevChild, action);
        }
    }

    private static List<List<String>> paths(Class<?> type) {
        return PATHS.computeIfAbsent(type, t -> {
            List<List<String>> out = new ArrayList<>();
            collect(t, new ArrayList<>(), out, 0);
            return List.copyOf(out);
        });
    }

    private static void collect(Class<?> type, List<String> prefix, List<List<String>> out, int depth) {
        if (!type.isRecord() || depth > 8) {
            return;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            List<String> p = new ArrayList<>(prefix);
            p.add(c.getName());
            if (c.isAnnotationPresent(Sensitive.class)) {
                out.add(List.copyOf(p));
                continue;
            }
            Type g = c.getGenericType();
            if (g instanceof ParameterizedType pt && List.class.isAssignableFrom((Class<?>) pt.getRawType())
                    && pt.getActualTypeArguments()[0] instanceof Class<?> item) {
                p.add("*");
                collect(item, p, out, depth + 1);
            } else if (g instanceof Class<?> cls) {
                collect(cls, p, out, depth + 1);
            }
        }
    }
}
