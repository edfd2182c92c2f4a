package io.skyforge.cli;

import io.skyforge.cli.StorageClient.SfUri;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ByteRange;
import io.skyforge.spi.storage.ListPage;
import io.skyforge.spi.storage.ListRequest;
import io.skyforge.spi.storage.ObjectContent;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.spi.storage.ObjectKeys;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreCapabilities;
import io.skyforge.spi.storage.ObjectSummary;
import io.skyforge.spi.storage.Precondition;
import io.skyforge.spi.storage.PresignedUrl;
import io.skyforge.spi.storage.PutOptions;
import io.skyforge.spi.storage.StoreHealth;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The logical buckets of a running server, through its data API, as an {@link ObjectStore}, so
 * code written for the adapters (the generator's {@code ObjectStoreSink}) can write to
 * {@code sf://} targets: writes go to the bucket's preferred copy and are journaled for sync.
 * A bucket is named {@code <namespace>/<bucket>}. What the data API does not offer is refused
 * with {@code SF-UNSUPPORTED}: creating or deleting buckets (a logical bucket is a resource:
 * {@code skyforge apply} it), user metadata, and presigned uploads (they would bypass the journal).
 */
final class DataApiObjectStore implements ObjectStore {

    static final String TYPE = "sf";
    private static final ObjectStoreCapabilities CAPABILITIES = new ObjectStoreCapabilities(
            true, true, false, true, true, true, false, ObjectKeys.MAX_KEY_BYTES, Long.MAX_VALUE);

    private final StorageClient client;

    DataApiObjectStore(String server, String token) {
        this.client = new StorageClient(server, token);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public ObjectStoreCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public StoreHealth probe() {
        long start = System.nanoTime();
        try {
            client.list(new SfUri("default", "skyforge-probe", ""), false, null);
            return StoreHealth.up(Duration.ofNanos(System.nanoTime() - start));
        } catch (SkyforgeException e) {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // An unknown bucket still proves the server answers and accepts the token.
            return e.code() == ErrorCode.BUCKET_NOT_FOUND ? StoreHealth.up(took) : StoreHealth.down(took, e.code(), e.getMessage());
        }
    }

    /** {@code <namespace>/<bucket>} as an {@code sf://} URI with {@code key}. */
    static SfUri uri(String bucket, String key) {
        int slash = bucket == null ? -1 : bucket.indexOf('/');
        if (slash <= 0 || slash == bucket.length() - 1 || bucket.indexOf('/', slash + 1) >= 0) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "an sf:// bucket is <namespace>/<bucket>, got '" + bucket + "'");
        }
        return new SfUri(bucket.substring(0, slash), bucket.substring(slash + 1), key);
    }

    @Override
    public boolean bucketExists(String bucket) {
        SfUri u = uri(bucket, "");
        try {
            client.list(u, false, null);
            return true;
        } catch (SkyforgeException e) {
            if (e.code() == ErrorCode.BUCKET_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean createBucket(String bucket) {
        throw new SkyforgeException(ErrorCode.UNSUPPORTED, "sf://" + bucket + ": a logical bucket is a resource;"
                + " create it with `skyforge apply -f` (kind: LogicalBucket)");
    }

    @Override
    public void deleteBucket(String bucket) {
        throw new SkyforgeException(ErrorCode.UNSUPPORTED, "sf://" + bucket + ": a logical bucket is a resource;"
                + " delete it with `skyforge delete logicalbucket`");
    }

    @Override
    public ObjectInfo put(String bucket, String key, InputStream data, PutOptions options) {
        SfUri u = uri(bucket, ObjectKeys.validateKey(key));
        CAPABILITIES.requireSupported(options, "sf://" + bucket);
        if (!options.userMetadata().isEmpty()) {
            throw new SkyforgeException(ErrorCode.UNSUPPORTED, "the data API stores no user metadata (sf://" + bucket + ")");
        }
        List<String> headers = new ArrayList<>(List.of("Content-Type",
                options.contentType() == null ? ObjectInfo.DEFAULT_CONTENT_TYPE : options.contentType()));
        if (options.precondition().kind() == Precondition.Kind.IF_ABSENT) {
            headers.addAll(List.of("If-None-Match", "*"));
        } else if (options.precondition().kind() == Precondition.Kind.IF_MATCH) {
            headers.addAll(List.of("If-Match", "\"" + options.precondition().etag() + "\""));
        }
        BodyPublisher body = options.lengthKnown()
                ? BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> data), options.contentLength())
                : BodyPublishers.ofInputStream(() -> data);
        JsonNode stored = json(client.exchange("PUT", u, body, null, headers.toArray(String[]::new)));
        return new ObjectInfo(key, stored.path("size").asLong(), stored.path("etag").asString(), null,
                stored.path("contentType").asString(null), Map.of(), stored.path("sha256").asString(null));
    }

    @Override
    public ObjectContent get(String bucket, String key, ByteRange range) {
        SfUri u = uri(bucket, ObjectKeys.validateKey(key));
        HttpResponse<InputStream> r = range.equals(ByteRange.ALL)
                ? client.exchange("GET", u, BodyPublishers.noBody(), null)
                : client.exchange("GET", u, BodyPublishers.noBody(), null, "Range", range.httpHeader());
        if (r.statusCode() >= 300) {
            throw StorageClient.failure(r);
        }
        long length = r.headers().firstValueAsLong("Content-Length").orElse(0);
        long offset = 0;
        long size = length;
        Optional<String> contentRange = r.headers().firstValue("Content-Range");
        if (contentRange.isPresent()) {
            // bytes <first>-<last>/<size>
            String cr = contentRange.get();
            offset = Long.parseLong(cr.substring(cr.indexOf(' ') + 1, cr.indexOf('-')));
            size = Long.parseLong(cr.substring(cr.indexOf('/') + 1));
        }
        return new ObjectContent(info(key, r, size), offset, length, r.body());
    }

    @Override
    public Optional<ObjectInfo> head(String bucket, String key) {
        HttpResponse<InputStream> r = client.exchange("HEAD", uri(bucket, ObjectKeys.validateKey(key)), BodyPublishers.noBody(), null);
        if (r.statusCode() == 404) {
            close(r);
            return Optional.empty();
        }
        if (r.statusCode() >= 300) {
            throw StorageClient.failure(r);
        }
        close(r);
        return Optional.of(info(key, r, r.headers().firstValueAsLong("Content-Length").orElse(0)));
    }

    @Override
    public ListPage list(String bucket, ListRequest request) {
        SfUri u = uri(bucket, request.prefix() == null ? "" : request.prefix());
        JsonNode page = client.list(u, request.delimiter() == null, request.token());
        List<ObjectSummary> objects = new ArrayList<>();
        for (JsonNode o : page.path("items")) {
            String modified = o.path("lastModified").asString(null);
            objects.add(new ObjectSummary(o.path("key").asString(), o.path("size").asLong(), o.path("etag").asString(),
                    modified == null ? null : Instant.parse(modified)));
        }
        List<String> prefixes = new ArrayList<>();
        page.path("prefixes").forEach(p -> prefixes.add(p.asString()));
        return new ListPage(objects, prefixes, page.path("continue").asString(null));
    }

    @Override
    public void delete(String bucket, String key) {
        HttpResponse<InputStream> r = client.exchange("DELETE", uri(bucket, ObjectKeys.validateKey(key)), BodyPublishers.noBody(), null);
        if (r.statusCode() >= 300) {
            throw StorageClient.failure(r);
        }
        close(r);
    }

    /** Streams the object through this client: the data API has no server-side copy. */
    @Override
    public ObjectInfo copy(String sourceBucket, String sourceKey, String targetBucket, String targetKey) {
        try (ObjectContent c = get(sourceBucket, sourceKey, ByteRange.ALL)) {
            return put(targetBucket, targetKey, c.stream(), PutOptions.defaults().withContentType(c.info().contentType())
                    .withContentLength(c.length()));
        }
    }

    @Override
    public PresignedUrl presign(String bucket, String key, PresignedUrl.Method method, Duration ttl) {
        if (method != PresignedUrl.Method.GET) {
            throw new SkyforgeException(ErrorCode.UNSUPPORTED, "the data API hands out presigned URLs for reading only:"
                    + " an upload through one would bypass the write journal");
        }
        HttpResponse<InputStream> r = client.exchange("GET", uri(bucket, ObjectKeys.validateKey(key)), BodyPublishers.noBody(),
                "?redirect=true");
        if (r.statusCode() != 307) {
            throw StorageClient.failure(r);
        }
        close(r);
        // The server signs for its own fixed lifetime; a shorter ttl is the most the caller may rely on.
        return new PresignedUrl(URI.create(r.headers().firstValue("Location").orElseThrow()), PresignedUrl.Method.GET,
                Instant.now().plus(ttl), Map.of());
    }

    @Override
    public void close() {
        // The JDK HTTP client of Java 17 holds no resources that need closing.
    }

    private static ObjectInfo info(String key, HttpResponse<InputStream> r, long size) {
        String etag = r.headers().firstValue("ETag").orElse("");
        Instant modified = r.headers().firstValue("Last-Modified")
                .map(t -> java.time.ZonedDateTime.parse(t, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
                .orElse(null);
        return new ObjectInfo(key, size, etag, modified, r.headers().firstValue("Content-Type").orElse(null), Map.of(),
                r.headers().firstValue("x-skyforge-sha256").orElse(null));
    }

    private static JsonNode json(HttpResponse<InputStream> r) {
        if (r.statusCode() >= 300) {
            throw StorageClient.failure(r);
        }
        try (InputStream in = r.body()) {
            return io.skyforge.core.codec.Json.MAPPER.readTree(in);
        } catch (IOException | tools.jackson.core.JacksonException e) {
            throw new SkyforgeException(ErrorCode.INTERNAL, "the server answered something that is not JSON");
        }
    }

    private static void close(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException e) {
            // nothing was expected from it
        }
    }
}
