package io.skyforge.core.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One kind of the unified resource model: its API group/version, names as kubectl accepts them,
 * scope, and the record its {@code spec} binds to.
 */
public record ResourceKind(
        String group,
        String version,
        String kind,
        String plural,
        String singular,
        List<String> shortNames,
        boolean namespaced,
        Class<? extends Record> specType) {

    public ResourceKind {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(plural, "plural");
        Objects.requireNonNull(specType, "specType");
        singular = singular == null ? kind.toLowerCase(Locale.ROOT) : singular;
        shortNames = shortNames == null ? List.of() : List.copyOf(shortNames);
    }

    public String apiVersion() {
        return group + "/" + version;
    }

    /** Does a user's word for this kind ({@code datajobs}, {@code datajob}, {@code DataJob}, {@code dj}) name it? */
    public boolean matches(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return w.equals(plural) || w.equals(singular) || w.equals(kind.toLowerCase(Locale.ROOT))
                || shortNames.contains(w) || w.equals(plural + "." + group);
    }

    /** REST collection path, e.g. {@code /apis/batch.mcp/v1/namespaces/team-a/datajobs}. */
    public String collectionPath(String namespace) {
        return namespaced
                ? "/apis/" + group + "/" + version + "/namespaces/" + namespace + "/" + plural
                : "/apis/" + group + "/" + version + "/" + plural;
    }
}
