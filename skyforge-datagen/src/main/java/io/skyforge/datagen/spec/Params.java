package io.skyforge.datagen.spec;

import io.skyforge.core.codec.SourceMap;
import io.skyforge.core.validation.Suggest;
import io.skyforge.spi.error.Violation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads the fields of one spec object and records a located violation for each bad one, so that
 * every problem of a spec is reported in one pass (a bad field yields its default and checking
 * goes on).
 */
public final class Params {

    private final JsonNode node;
    private final String path;
    private final SourceMap sourceMap;
    private final List<Violation> violations;

    public Params(JsonNode node, String path, SourceMap sourceMap, List<Violation> violations) {
        this.node = node;
        this.path = path;
        this.sourceMap = sourceMap;
        this.violations = violations;
    }

    public String path() {
        return path;
    }

    public String path(String key) {
        return path + "." + key;
    }

    public JsonNode node() {
        return node;
    }

    public SourceMap sourceMap() {
        return sourceMap;
    }

    public List<Violation> violations() {
        return violations;
    }

    public Params child(String key) {
        return new Params(node.get(key), path(key), sourceMap, violations);
    }

    public void error(String key, String message) {
        violations.add(sourceMap.at(key == null ? path : path(key), message));
    }

    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    public JsonNode get(String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    /** Flags each field not in {@code allowed}, with a did-you-mean. */
    public void allowOnly(Collection<String> allowed) {
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                violations.add(sourceMap.atKey(path(name), "unknown field '" + name + "'"
                        + Suggest.didYouMean(name, allowed) + "; allowed: " + allowed));
            }
        }
    }

    public String string(String key, String fallback) {
        JsonNode v = get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isString() && !v.isNumber() && !v.isBoolean()) {
            error(key, "must be a string");
            return fallback;
        }
        return v.asString();
    }

    public String requiredString(String key) {
        if (!has(key)) {
            error(key, "is required");
            return null;
        }
        return string(key, null);
    }

    public double number(String key, double fallback) {
        JsonNode v = get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isNumber()) {
            error(key, "must be a number, got " + v);
            return fallback;
        }
        double d = v.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            error(key, "must be finite");
            return fallback;
        }
        return d;
    }

    public double number(String key, double fallback, double min, double max) {
        double d = number(key, fallback);
        if (has(key) && (d < min || d > max)) {
            error(key, "must be within [" + fmt(min) + ", " + fmt(max) + "], got " + fmt(d));
            return fallback;
        }
        return d;
    }

    public double requiredNumber(String key) {
        if (!has(key)) {
            error(key, "is required");
            return 0;
        }
        return number(key, 0);
    }

    public long integer(String key, long fallback) {
        JsonNode v = get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < 9e15) {
                return (long) v.doubleValue();
            }
            error(key, "must be an integer, got " + v);
            return fallback;
        }
        return v.longValue();
    }

    public long integer(String key, long fallback, long min, long max) {
        long l = integer(key, fallback);
        if (has(key) && (l < min || l > max)) {
            error(key, "must be within [" + min + ", " + max + "], got " + l);
            return fallback;
        }
        return l;
    }

    public boolean bool(String key, boolean fallback) {
        JsonNode v = get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            error(key, "must be true or false");
            return fallback;
        }
        return v.booleanValue();
    }

    public List<String> strings(String key) {
        JsonNode v = get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v.isString()) {
            out.add(v.asString());
            return out;
        }
        if (!v.isArray()) {
            error(key, "must be a list of strings");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isString()) {
                violations.add(sourceMap.at(path(key) + "[" + i + "]", "must be a string"));
            } else {
                out.add(e.asString());
            }
        }
        return out;
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
