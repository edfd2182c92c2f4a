package io.skyforge.sync.version;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.sync.clock.Hlc;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The version of one copy of one key, kept in the object's user metadata so that every copy carries
 * its own provenance and a replicated copy is recognisable as such.
 *
 * @param hlc       when the write happened, on the writing node's hybrid logical clock
 * @param origin    the cloud whose copy first received the write
 * @param sha256    lowercase hex SHA-256 of the content, null when unknown (a streamed write before it finished)
 * @param tombstone true for a delete
 * @param history   the newest HLC of every origin this version descends from, its own entry included:
 *                  a version vector, which is what tells a causal successor from a concurrent write
 */
public record Version(Hlc hlc, String origin, String sha256, boolean tombstone, SortedMap<String, Hlc> history) {

    /** User metadata names the sync engine owns; a data API must refuse them from users. */
    public static final String PREFIX = "sync_";
    public static final String META_HLC = PREFIX + "hlc";
    public static final String META_ORIGIN = PREFIX + "origin";
    public static final String META_SHA256 = PREFIX + "sha256";
    public static final String META_DELETED = PREFIX + "deleted";
    public static final String META_HISTORY = PREFIX + "vv";

    private static final Pattern CLOUD_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** Compiled once: versions are built several times per replicated object. */
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** Last writer wins: the higher HLC, and on a tie the higher cloud id. Total over distinct writes. */
    public static final Comparator<Version> ORDER =
            Comparator.comparing(Version::hlc).thenComparing(Version::origin);

    public Version {
        Objects.requireNonNull(hlc, "hlc");
        validateCloudId(origin);
        TreeMap<String, Hlc> h = new TreeMap<>(history == null ? Map.of() : history);
        h.merge(origin, hlc, Hlc::max);
        history = java.util.Collections.unmodifiableSortedMap(h);
        if (sha256 != null && !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits: " + sha256);
        }
    }

    public static String validateCloudId(String cloud) {
        if (cloud == null || !CLOUD_ID.matcher(cloud).matches()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "a cloud id used by sync must be 1 to 64 of "
                    + "A-Z a-z 0-9 _ . - (it is stored in object metadata): '" + cloud + "'");
        }
        return cloud;
    }

    /** A new write at {@code origin} replacing {@code parent} (null when the key was absent there). */
    public static Version write(Hlc hlc, String origin, String sha256, boolean tombstone, Version parent) {
        return new Version(hlc, origin, sha256, tombstone, parent == null ? null : parent.history);
    }

    /** Same write: the identity of a version is its (HLC, origin) pair. */
    public boolean sameWrite(Version other) {
        return other != null && hlc.equals(other.hlc) && origin.equals(other.origin);
    }

    /** True when {@code other} is this version or one this version causally follows. */
    public boolean descendsFrom(Version other) {
        Hlc seen = history.get(other.origin);
        return seen != null && seen.compareTo(other.hlc) >= 0;
    }

    /** Neither follows the other: a conflict. */
    public boolean concurrentWith(Version other) {
        return !descendsFrom(other) && !other.descendsFrom(this);
    }

    public boolean beats(Version other) {
        return ORDER.compare(this, other) > 0;
    }

    public Version withSha256(String sha) {
        return new Version(hlc, origin, sha, tombstone, history);
    }

    /** {@code <hlc>@<origin>}, the form used in logs, conflict records and keep-loser keys. */
    public String id() {
        return hlc.encode() + "@" + origin;
    }

    /** The metadata entries to store with a copy of this version. */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new HashMap<>();
        m.put(META_HLC, hlc.encode());
        m.put(META_ORIGIN, origin);
        if (sha256 != null) {
            m.put(META_SHA256, sha256);
        }
        if (tombstone) {
            m.put(META_DELETED, "true");
        }
        StringBuilder vv = new StringBuilder();
        for (Map.Entry<String, Hlc> e : history.entrySet()) {
            if (e.getKey().equals(origin)) {
                continue;
            }
            if (vv.length() > 0) {
                vv.append(';');
            }
            vv.append(e.getKey()).append('=').append(e.getValue().encode());
        }
        if (vv.length() > 0) {
            m.put(META_HISTORY, vv.toString());
        }
        return m;
    }

    /** The user's metadata plus this version's entries. */
    public Map<String, String> stamp(Map<String, String> userMetadata) {
        Map<String, String> m = new HashMap<>(userMetadataOnly(userMetadata));
        m.putAll(toMetadata());
        return m;
    }

    /** The version an object's metadata names, or empty for an object written around the sync engine. */
    public static Optional<Version> fromMetadata(Map<String, String> metadata, String contentSha256) {
        String hlc = metadata.get(META_HLC);
        String origin = metadata.get(META_ORIGIN);
        if (hlc == null || origin == null) {
            return Optional.empty();
        }
        TreeMap<String, Hlc> history = new TreeMap<>();
        String vv = metadata.get(META_HISTORY);
        if (vv != null && !vv.isEmpty()) {
            for (String entry : vv.split(";")) {
                int eq = entry.indexOf('=');
                if (eq < 1) {
                    throw new SkyforgeException(ErrorCode.VALIDATION, "malformed " + META_HISTORY + " entry '" + entry + "'");
                }
                history.put(entry.substring(0, eq), Hlc.decode(entry.substring(eq + 1)));
            }
        }
        String sha = metadata.get(META_SHA256);
        return Optional.of(new Version(Hlc.decode(hlc), origin, sha != null ? sha : contentSha256,
                "true".equals(metadata.get(META_DELETED)), history));
    }

    public static Map<String, String> userMetadataOnly(Map<String, String> metadata) {
        Map<String, String> m = new HashMap<>();
        metadata.forEach((k, v) -> {
            if (!k.startsWith(PREFIX)) {
                m.put(k, v);
            }
        });
        return m;
    }

    @Override
    public String toString() {
        return (tombstone ? "tombstone " : "") + id();
    }
}
