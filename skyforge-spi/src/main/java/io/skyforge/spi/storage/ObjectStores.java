package io.skyforge.spi.storage;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds {@link ObjectStoreFactory} implementations with {@link ServiceLoader}. */
public final class ObjectStores {

    private ObjectStores() {
    }

    /** Every registered factory by type, in type order. */
    public static Map<String, ObjectStoreFactory> factories(ClassLoader loader) {
        Map<String, ObjectStoreFactory> byType = new TreeMap<>();
        for (ObjectStoreFactory f : ServiceLoader.load(ObjectStoreFactory.class, loader)) {
            ObjectStoreFactory previous = byType.putIfAbsent(f.type(), f);
            if (previous != null && previous.getClass() != f.getClass()) {
                throw new SkyforgeException(ErrorCode.INTERNAL, "two object store factories claim type '" + f.type()
                        + "': " + previous.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        return byType;
    }

    public static Map<String, ObjectStoreFactory> factories() {
        return factories(Thread.currentThread().getContextClassLoader());
    }

    /**
     * The factory for {@code type}; fails with {@code SF-VALIDATION} listing the known types (and the
     * closest one) when none matches, or with {@code SF-INTERNAL} when no provider is on the class path.
     */
    public static ObjectStoreFactory factory(String type) {
        return factory(type, factories());
    }

    static ObjectStoreFactory factory(String type, Map<String, ObjectStoreFactory> known) {
        if (known.isEmpty()) {
            throw new SkyforgeException(ErrorCode.INTERNAL, "no object store provider on the class path "
                    + "(expected META-INF/services/" + ObjectStoreFactory.class.getName() + ")");
        }
        ObjectStoreFactory f = type == null ? null : known.get(type);
        if (f != null) {
            return f;
        }
        StringBuilder msg = new StringBuilder("unknown provider type '").append(type).append('\'');
        String closest = closest(type, known.keySet().stream().toList());
        if (closest != null) {
            msg.append(" (did you mean '").append(closest).append("'?)");
        }
        msg.append("; known types: ").append(String.join(", ", known.keySet()));
        throw new SkyforgeException(ErrorCode.VALIDATION, msg.toString(),
                List.of(Violation.at("type", msg.toString())));
    }

    /** Validates and creates a store for {@code config} with the factory of its type. */
    public static ObjectStore open(ObjectStoreConfig config) {
        return factory(config.type()).create(config);
    }

    /** Problems with {@code config}, including an unknown type, without creating anything. */
    public static List<Violation> validate(ObjectStoreConfig config) {
        try {
            return factory(config.type()).validate(config);
        } catch (SkyforgeException e) {
            List<Violation> v = new ArrayList<>(e.violations());
            if (v.isEmpty()) {
                v.add(Violation.at("type", e.getMessage()));
            }
            return v;
        }
    }

    private static String closest(String wanted, List<String> candidates) {
        if (wanted == null) {
            return null;
        }
        String w = wanted.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(w, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        // A suggestion further away than half the word is noise, not help.
        return bestDistance <= Math.max(2, w.length() / 2) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
