package io.skyforge.spi.storage;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a {@code Cloud} spec (or a {@code storage_providers:} entry) tells an adapter. Secrets arrive
 * already resolved from {@code ${VAR}} references; they are never part of {@link #toString()}.
 *
 * @param name        the cloud's name, used in messages and metrics; never a secret
 * @param type        provider type, matched against {@link ObjectStoreFactory#type()}
 * @param endpoint    service URL ({@code https://oss-cn-hangzhou.aliyuncs.com}); null means the provider default
 * @param region      signing region (S3); null means the provider default
 * @param accessKey   S3 access key id
 * @param secretKey   S3 secret key (secret)
 * @param accountName Azure storage account name
 * @param accountKey  Azure account key, base64 (secret)
 * @param root        filesystem root directory
 * @param pathStyle   S3 path-style addressing; null means the adapter's default (true)
 * @param options     adapter-specific tuning ({@code partSize}, {@code concurrency}, ...); keys are
 *                    matched ignoring case, {@code _} and {@code -}, so {@code part_size} and
 *                    {@code partSize} are the same option
 */
public record ObjectStoreConfig(
        String name,
        String type,
        String endpoint,
        String region,
        String accessKey,
        String secretKey,
        String accountName,
        String accountKey,
        String root,
        Boolean pathStyle,
        Map<String, String> options) {

    public ObjectStoreConfig {
        Objects.requireNonNull(type, "type");
        name = name == null || name.isBlank() ? type : name;
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public static Builder builder(String type) {
        return new Builder(type);
    }

    public Builder toBuilder() {
        Builder b = new Builder(type);
        b.name = name;
        b.endpoint = endpoint;
        b.region = region;
        b.accessKey = accessKey;
        b.secretKey = secretKey;
        b.accountName = accountName;
        b.accountKey = accountKey;
        b.root = root;
        b.pathStyle = pathStyle;
        b.options.putAll(options);
        return b;
    }

    /** The option's value, whichever spelling ({@code part_size}, {@code partSize}, {@code part-size}) was used. */
    public Optional<String> option(String key) {
        String wanted = normalize(key);
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (normalize(e.getKey()).equals(wanted)) {
                return Optional.ofNullable(e.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * A size option such as {@code 16MiB}, {@code 8M}, {@code 65536}; a malformed value is added to
     * {@code violations} and {@code fallback} returned, so validation can report everything at once.
     */
    public long sizeOption(String key, long fallback, List<Violation> violations) {
        Optional<String> raw = option(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            return parseSize(raw.get());
        } catch (IllegalArgumentException e) {
            violations.add(Violation.at("options." + key, e.getMessage()));
            return fallback;
        }
    }

    public int intOption(String key, int fallback, List<Violation> violations) {
        Optional<String> raw = option(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.get().trim());
        } catch (NumberFormatException e) {
            violations.add(Violation.at("options." + key, "'" + raw.get() + "' is not an integer"));
            return fallback;
        }
    }

    public boolean booleanOption(String key, boolean fallback, List<Violation> violations) {
        Optional<String> raw = option(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        String v = raw.get().trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        violations.add(Violation.at("options." + key, "'" + raw.get() + "' is not true or false"));
        return fallback;
    }

    /** Throws {@code SF-VALIDATION} naming this cloud when {@code violations} is not empty. */
    public void requireValid(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION,
                    "invalid " + type + " storage config for cloud '" + name + "': "
                            + violations.stream().map(Violation::describe).reduce((a, b) -> a + "; " + b).orElse(""),
                    violations);
        }
    }

    static long parseSize(String raw) {
        String s = raw.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        String[][] units = {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"},
                {"KB", "1024"}, {"MB", "1048576"}, {"GB", "1073741824"},
                {"K", "1024"}, {"M", "1048576"}, {"G", "1073741824"}, {"B", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        try {
            long n = Long.parseLong(s);
            if (n < 0) {
                throw new IllegalArgumentException("'" + raw + "' is negative");
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a size like 8MiB or 65536");
        }
    }

    private static String normalize(String key) {
        return key.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** Secrets are shown only as present or absent. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add("name=" + name);
        parts.add("type=" + type);
        if (endpoint != null) {
            parts.add("endpoint=" + endpoint);
        }
        if (region != null) {
            parts.add("region=" + region);
        }
        if (accessKey != null) {
            parts.add("accessKey=" + accessKey);
        }
        if (secretKey != null) {
            parts.add("secretKey=***");
        }
        if (accountName != null) {
            parts.add("accountName=" + accountName);
        }
        if (accountKey != null) {
            parts.add("accountKey=***");
        }
        if (root != null) {
            parts.add("root=" + root);
        }
        if (pathStyle != null) {
            parts.add("pathStyle=" + pathStyle);
        }
        if (!options.isEmpty()) {
            parts.add("options=" + new TreeMap<>(options));
        }
        return "ObjectStoreConfig[" + String.join(", ", parts) + "]";
    }

    /** Fluent construction for code and tests; {@code storage_providers:} parsing maps straight onto it. */
    public static final class Builder {
        private final String type;
        private String name;
        private String endpoint;
        private String region;
        private String accessKey;
        private String secretKey;
        private String accountName;
        private String accountKey;
        private String root;
        private Boolean pathStyle;
        private final Map<String, String> options = new TreeMap<>();

        private Builder(String type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        public Builder name(String v) { this.name = v; return this; }
        public Builder endpoint(String v) { this.endpoint = v; return this; }
        public Builder region(String v) { this.region = v; return this; }
        public Builder accessKey(String v) { this.accessKey = v; return this; }
        public Builder secretKey(String v) { this.secretKey = v; return this; }
        public Builder accountName(String v) { this.accountName = v; return this; }
        public Builder accountKey(String v) { this.accountKey = v; return this; }
        public Builder root(String v) { this.root = v; return this; }
        public Builder pathStyle(Boolean v) { this.pathStyle = v; return this; }
        public Builder option(String key, String value) { this.options.put(key, value); return this; }

        public ObjectStoreConfig build() {
            return new ObjectStoreConfig(name, type, endpoint, region, accessKey, secretKey,
                    accountName, accountKey, root, pathStyle, options);
        }
    }
}
