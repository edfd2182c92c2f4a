package io.skyforge.provider.s3;

import io.skyforge.spi.error.Violation;
import io.skyforge.spi.storage.ObjectStoreConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The S3 adapter's config, validated in one pass so every problem is reported together.
 *
 * <p>Options ({@code options:} map; {@code snake_case} or {@code camelCase}):
 * {@code partSize} (8MiB; S3's minimum is 5MiB), {@code concurrency} (parts in flight per upload, 4),
 * {@code maxConnections} (64), {@code maxAttempts} (5, with exponential backoff and full jitter),
 * {@code connectTimeout} / {@code requestTimeout} in seconds (10 / 300), {@code conditionalWrites}
 * (the endpoint honours {@code If-None-Match}/{@code If-Match} on PUT; default true only for AWS
 * endpoints; MinIO does too, S3Proxy 2.x and the Chinese vendors' S3 APIs do not), {@code probeBucket} (a bucket to HEAD for the health probe instead of
 * ListBuckets, for credentials scoped to one bucket), {@code unsignedPayload} (false: send bodies as
 * {@code UNSIGNED-PAYLOAD} over plain http too, see {@link UnsignedPayloadAuthScheme}), {@code multipartThreshold}
 * (64MiB: the largest put of known length that goes up in one request when its body can be streamed — its
 * SHA-256 given by the caller, as replication does, and bodies unsigned; larger ones go up in parts).
 */
record S3Settings(
        String cloud,
        URI endpoint,
        String region,
        String accessKey,
        String secretKey,
        boolean pathStyle,
        int partSize,
        long multipartThreshold,
        int concurrency,
        int maxConnections,
        int maxAttempts,
        Duration connectTimeout,
        Duration requestTimeout,
        boolean conditionalWrites,
        String probeBucket,
        boolean unsignedPayload) {

    static final long MIN_PART = 5L * 1024 * 1024;
    static final long MAX_PART = 512L * 1024 * 1024;
    /** S3 takes at most 5 GiB in one PUT. */
    static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;

    static S3Settings from(ObjectStoreConfig c, List<Violation> v) {
        URI endpoint = null;
        if (c.endpoint() != null && !c.endpoint().isBlank()) {
            try {
                endpoint = new URI(c.endpoint().trim());
                if (endpoint.getScheme() == null || endpoint.getHost() == null
                        || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))) {
                    v.add(Violation.at("endpoint", "'" + c.endpoint() + "' is not an http(s) URL like https://oss-cn-hangzhou.aliyuncs.com"));
                    endpoint = null;
                }
            } catch (URISyntaxException e) {
                v.add(Violation.at("endpoint", "'" + c.endpoint() + "' is not a URL: " + e.getReason()));
            }
        }
        boolean hasAccess = c.accessKey() != null && !c.accessKey().isBlank();
        boolean hasSecret = c.secretKey() != null && !c.secretKey().isBlank();
        if (hasAccess != hasSecret) {
            v.add(Violation.at(hasAccess ? "secretKey" : "accessKey",
                    "accessKey and secretKey go together (leave both out to use the default AWS credential chain)"));
        }
        long partSize = c.sizeOption("partSize", 8L * 1024 * 1024, v);
        if (partSize < MIN_PART || partSize > MAX_PART) {
            v.add(Violation.at("options.partSize", "must be between 5MiB and 512MiB, was " + partSize));
        }
        long multipartThreshold = c.sizeOption("multipartThreshold", 64L * 1024 * 1024, v);
        if (multipartThreshold < MIN_PART || multipartThreshold > MAX_SINGLE_PUT) {
            v.add(Violation.at("options.multipartThreshold", "must be between 5MiB and 5GiB, was " + multipartThreshold));
        }
        int concurrency = c.intOption("concurrency", 4, v);
        if (concurrency < 1 || concurrency > 64) {
            v.add(Violation.at("options.concurrency", "must be between 1 and 64, was " + concurrency));
        }
        int maxConnections = c.intOption("maxConnections", 64, v);
        if (maxConnections < 1) {
            v.add(Violation.at("options.maxConnections", "must be positive"));
        }
        int maxAttempts = c.intOption("maxAttempts", 5, v);
        if (maxAttempts < 1 || maxAttempts > 20) {
            v.add(Violation.at("options.maxAttempts", "must be between 1 and 20"));
        }
        int connect = c.intOption("connectTimeout", 10, v);
        int request = c.intOption("requestTimeout", 300, v);
        if (connect < 1 || request < 1) {
            v.add(Violation.at("options", "timeouts must be at least 1 second"));
        }
        for (String known : c.options().keySet()) {
            String k = known.replace("_", "").replace("-", "").toLowerCase(java.util.Locale.ROOT);
            if (!List.of("partsize", "concurrency", "maxconnections", "maxattempts", "connecttimeout", "requesttimeout",
                    "conditionalwrites", "probebucket", "unsignedpayload", "multipartthreshold").contains(k)) {
                v.add(Violation.at("options." + known, "unknown S3 option"));
            }
        }
        // Vendors that do not know If-None-Match ignore it and overwrite, so claiming support must be opted into
        // for anything but AWS itself (MinIO: set it true).
        boolean awsEndpoint = endpoint == null || endpoint.getHost().endsWith(".amazonaws.com");
        boolean conditional = c.booleanOption("conditionalWrites", awsEndpoint, v);
        String region = c.region() == null || c.region().isBlank() ? "us-east-1" : c.region().trim();
        return new S3Settings(c.name(), endpoint, region, hasAccess ? c.accessKey() : null, hasSecret ? c.secretKey() : null,
                c.pathStyle() == null || c.pathStyle(), (int) Math.min(partSize, MAX_PART),
                Math.min(Math.max(multipartThreshold, MIN_PART), MAX_SINGLE_PUT), Math.max(1, concurrency),
                Math.max(1, maxConnections), Math.max(1, maxAttempts), Duration.ofSeconds(Math.max(1, connect)),
                Duration.ofSeconds(Math.max(1, request)), conditional, c.option("probeBucket").orElse(null),
                c.booleanOption("unsignedPayload", false, v));
    }

    static List<Violation> validate(ObjectStoreConfig c) {
        List<Violation> v = new ArrayList<>();
        from(c, v);
        return v;
    }

    /** Secrets stay out of every message. */
    @Override
    public String toString() {
        return "S3Settings[cloud=" + cloud + ", endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle
                + ", partSize=" + partSize + ", multipartThreshold=" + multipartThreshold + ", concurrency=" + concurrency + "]";
    }
}
