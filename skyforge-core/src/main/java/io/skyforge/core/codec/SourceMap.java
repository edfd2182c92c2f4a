package io.skyforge.core.codec;

import io.skyforge.spi.error.Violation;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each field of a parsed document came from: field path (e.g. {@code spec.providers[0].cloud})
 * to 1-based line and column. A path with no entry falls back to its nearest parent.
 */
public final class SourceMap {

    private final String source;
    private final Map<String, long[]> values = new HashMap<>();
    private final Map<String, long[]> keys = new HashMap<>();

    public SourceMap(String source) {
        this.source = source == null ? "" : source;
    }

    /** A map that knows only the source's name (documents built in code, not parsed). */
    public static SourceMap empty(String source) {
        return new SourceMap(source);
    }

    public String source() {
        return source;
    }

    void putValue(String path, int line, int column) {
        values.put(path, new long[] {line, column});
    }

    void putKey(String path, int line, int column) {
        keys.put(path, new long[] {line, column});
    }

    /** Copies the location of one field from another map, under a new path (for converted documents). */
    public void copyEntry(SourceMap from, String fromPath, String toPath) {
        long[] v = from.values.get(fromPath);
        if (v != null) {
            values.put(toPath, v);
        }
        long[] k = from.keys.get(fromPath);
        if (k != null) {
            keys.put(toPath, k);
        }
    }

    /** A violation located at the value of {@code path}. */
    public Violation at(String path, String message) {
        long[] lc = find(values, path);
        return new Violation(source, path, (int) lc[0], (int) lc[1], message);
    }

    /** A violation located at the key of {@code path} (for unknown or misspelt fields). */
    public Violation atKey(String path, String message) {
        long[] lc = keys.get(path);
        if (lc == null) {
            lc = find(values, path);
        }
        return new Violation(source, path, (int) lc[0], (int) lc[1], message);
    }

    private static long[] find(Map<String, long[]> map, String path) {
        String p = path;
        while (true) {
            long[] lc = map.get(p);
            if (lc != null) {
                return lc;
            }
            if (p.isEmpty()) {
                return new long[] {0, 0};
            }
            p = parent(p);
        }
    }

    static String parent(String path) {
        int dot = path.lastIndexOf('.');
        int bracket = path.lastIndexOf('[');
        int cut = Math.max(dot, bracket);
        return cut <= 0 ? "" : path.substring(0, cut);
    }
}
