package io.skyforge.datagen.dict;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Word lists of one locale, read once from an embedded resource ({@code <locale>.dict}, sections
 * in {@code [brackets]}, fields separated by {@code |}). Values are drawn from them by index; the
 * files are the project's own compact lists, so changing one is an engine-version change.
 */
public final class Dictionary {

    private static final Map<String, Dictionary> CACHE = new ConcurrentHashMap<>();

    private final String locale;
    private final Map<String, String[][]> sections;

    private Dictionary(String locale, Map<String, String[][]> sections) {
        this.locale = locale;
        this.sections = sections;
    }

    public static Dictionary forLocale(String locale) {
        return CACHE.computeIfAbsent(locale, l -> load(l, l + ".dict"));
    }

    /** Lists shared by every locale (TLDs, user agents, the TPC-H comment grammar...). */
    public static Dictionary common() {
        return CACHE.computeIfAbsent("common", l -> load(l, "common.dict"));
    }

    public String locale() {
        return locale;
    }

    /** Every entry of a section, each split into its fields. */
    public String[][] rows(String section) {
        String[][] r = sections.get(section);
        if (r == null) {
            throw new IllegalStateException("dictionary " + locale + " has no section [" + section + "]");
        }
        return r;
    }

    /** The first field of every entry of a section. */
    public String[] words(String section) {
        String[][] r = rows(section);
        String[] out = new String[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = r[i][0];
        }
        return out;
    }

    /** Field {@code field} of every entry. */
    public String[] column(String section, int field) {
        String[][] r = rows(section);
        String[] out = new String[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = r[i][field];
        }
        return out;
    }

    private static Dictionary load(String locale, String resource) {
        Map<String, List<String[]>> raw = new HashMap<>();
        try (InputStream in = Dictionary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing dictionary resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String[]> current = null;
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    current = raw.computeIfAbsent(line.substring(1, line.length() - 1), k -> new ArrayList<>());
                    continue;
                }
                if (current == null) {
                    throw new IllegalStateException(resource + ": entry before any [section]");
                }
                // a line may hold several simple entries separated by commas when it has no fields
                if (line.indexOf('|') < 0 && line.indexOf(',') >= 0 && !line.contains(", ")) {
                    for (String w : line.split(",")) {
                        if (!w.isBlank()) {
                            current.add(new String[] {w.strip()});
                        }
                    }
                } else {
                    current.add(line.split("\\|", -1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String[][]> sections = new HashMap<>();
        raw.forEach((k, v) -> sections.put(k, v.toArray(new String[0][])));
        return new Dictionary(locale, sections);
    }
}
