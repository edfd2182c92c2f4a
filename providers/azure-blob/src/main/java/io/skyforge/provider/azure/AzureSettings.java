package io.skyforge.provider.azure;

import io.skyforge.spi.error.Violation;
import io.skyforge.spi.storage.ObjectStoreConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The Azure Blob adapter's config, validated in one pass.
 *
 * <p>{@code accountName} and {@code accountKey} are required (shared-key auth, which SAS URLs need);
 * {@code endpoint} defaults to {@code https://<account>.blob.core.windows.net} and for Azurite is
 * {@code http://127.0.0.1:10000/devstoreaccount1}. Options: {@code blockSize} (8MiB), {@code concurrency}
 * (blocks in flight per upload, 4), {@code maxAttempts} (5), {@code requestTimeout} seconds (300).
 */
record AzureSettings(
        String cloud,
        String endpoint,
        String accountName,
        String accountKey,
        int blockSize,
        int concurrency,
        int maxAttempts,
        Duration requestTimeout) {

    static final long MAX_BLOCK = 256L * 1024 * 1024;

    static AzureSettings from(ObjectStoreConfig c, List<Violation> v) {
        String account = c.accountName() == null ? "" : c.accountName().trim();
        if (!account.matches("[a-z0-9]{3,24}")) {
            v.add(Violation.at("accountName", "an Azure storage account name is 3 to 24 lower-case letters and digits"));
        }
        String key = c.accountKey() == null ? "" : c.accountKey().trim();
        if (key.isEmpty()) {
            v.add(Violation.at("accountKey", "an account key is required (shared-key auth also signs SAS URLs)"));
        } else {
            try {
                Base64.getDecoder().decode(key);
            } catch (IllegalArgumentException e) {
                v.add(Violation.at("accountKey", "the account key is not base64 (value not shown)"));
            }
        }
        boolean derived = c.endpoint() == null || c.endpoint().isBlank();
        String endpoint = derived ? "https://" + account + ".blob.core.windows.net" : c.endpoint().trim();
        // A derived endpoint is only as wrong as the account name, which is reported already.
        if (!derived) {
            try {
                URI u = new URI(endpoint);
                if (u.getScheme() == null || u.getHost() == null
                        || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                    v.add(Violation.at("endpoint", "'" + endpoint + "' is not an http(s) URL"));
                }
            } catch (URISyntaxException e) {
                v.add(Violation.at("endpoint", "'" + endpoint + "' is not a URL: " + e.getReason()));
            }
        }
        long block = c.sizeOption("blockSize", 8L * 1024 * 1024, v);
        if (block < 64 * 1024 || block > MAX_BLOCK) {
            v.add(Violation.at("options.blockSize", "must be between 64KiB and 256MiB, was " + block));
        }
        int concurrency = c.intOption("concurrency", 4, v);
        if (concurrency < 1 || concurrency > 64) {
            v.add(Violation.at("options.concurrency", "must be between 1 and 64"));
        }
        int attempts = c.intOption("maxAttempts", 5, v);
        if (attempts < 1 || attempts > 20) {
            v.add(Violation.at("options.maxAttempts", "must be between 1 and 20"));
        }
        int timeout = c.intOption("requestTimeout", 300, v);
        if (timeout < 1) {
            v.add(Violation.at("options.requestTimeout", "must be at least 1 second"));
        }
        for (String name : c.options().keySet()) {
            String k = name.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
            if (!List.of("blocksize", "concurrency", "maxattempts", "requesttimeout").contains(k)) {
                v.add(Violation.at("options." + name, "unknown Azure Blob option"));
            }
        }
        if (c.pathStyle() != null) {
            v.add(Violation.at("pathStyle", "only meaningful for S3"));
        }
        return new AzureSettings(c.name(), endpoint, account, key, (int) Math.min(Math.max(block, 1), MAX_BLOCK),
                Math.max(1, concurrency), Math.max(1, attempts), Duration.ofSeconds(Math.max(1, timeout)));
    }

    static List<Violation> validate(ObjectStoreConfig c) {
        List<Violation> v = new ArrayList<>();
        from(c, v);
        return v;
    }

    @Override
    public String toString() {
        return "AzureSettings[cloud=" + cloud + ", endpoint=" + endpoint + ", accountName=" + accountName
                + ", blockSize=" + blockSize + ", concurrency=" + concurrency + "]";
    }
}
