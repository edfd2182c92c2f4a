package io.skyforge.cli;

import io.skyforge.core.codec.Json;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The data API client of {@code cp} and {@code ls}: streams bodies both ways (nothing is held
 * whole in memory) and turns problem+json answers into {@link SkyforgeException}.
 */
final class StorageClient {

    /** {@code sf://<namespace>/<bucket>/<key>}; the key may be empty (a bucket or prefix) and contain '/'. */
    record SfUri(String namespace, String bucket, String key) {

        static final String SCHEME = "sf://";

        static boolean is(String s) {
            return s != null && s.startsWith(SCHEME);
        }

        static SfUri parse(String s) {
            String rest = s.substring(SCHEME.length());
            int a = rest.indexOf('/');
            int b = a < 0 ? -1 : rest.indexOf('/', a + 1);
            if (a <= 0 || (b < 0 ? rest.length() - a - 1 : b - a - 1) <= 0) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "'" + s + "' is not sf://<namespace>/<bucket>/[key]");
            }
            String ns = rest.substring(0, a);
            String bucket = b < 0 ? rest.substring(a + 1) : rest.substring(a + 1, b);
            String key = b < 0 ? "" : rest.substring(b + 1);
            return new SfUri(ns, bucket, key);
        }

        SfUri withKey(String k) {
            return new SfUri(namespace, bucket, k);
        }

        @Override
        public String toString() {
            return SCHEME + namespace + "/" + bucket + "/" + key;
        }
    }

    /** Counts bytes as they pass, for the progress bar. */
    static final class Counting extends FilterInputStream {
        private final ProgressBar bar;

        Counting(InputStream in, ProgressBar bar) {
            super(in);
            this.bar = bar;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                bar.add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                bar.add(n);
            }
            return n;
        }
    }

    private final URI server;
    private final String token;
    private final HttpClient http;

    StorageClient(String server, String token) {
        this.server = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    static String objectPath(SfUri u) {
        StringBuilder p = new StringBuilder("/data/v1/namespaces/").append(enc(u.namespace())).append("/buckets/")
                .append(enc(u.bucket())).append("/objects");
        for (String segment : u.key().split("/", -1)) {
            p.append('/').append(enc(segment));
        }
        return p.toString();
    }

    /** Uploads a stream; {@code length} -1 sends it chunked. Answers the server's description of the stored object. */
    JsonNode put(SfUri target, Supplier<InputStream> body, long length, String contentType) {
        HttpRequest.BodyPublisher publisher = length >= 0
                ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length)
                : HttpRequest.BodyPublishers.ofInputStream(body);
        HttpRequest.Builder b = request(objectPath(target)).PUT(publisher)
                .header("Content-Type", contentType != null ? contentType : "application/octet-stream");
        HttpResponse<InputStream> r = send(b);
        return json(r);
    }

    /**
     * One request to an object's URL with extra headers, answered as it came: the caller checks the
     * status (see {@link #failure}) and reads and closes the body.
     */
    HttpResponse<InputStream> exchange(String method, SfUri target, HttpRequest.BodyPublisher body, String query,
                                       String... headers) {
        HttpRequest.Builder b = request(objectPath(target) + (query == null ? "" : query)).method(method, body);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    /** The error an answer of 300 or above stands for (its problem+json body read and closed). */
    static SkyforgeException failure(HttpResponse<InputStream> r) {
        return problem(r);
    }

    /** Opens a download; the caller reads and closes the body. */
    HttpResponse<InputStream> get(SfUri source) {
        HttpResponse<InputStream> r = send(request(objectPath(source)).GET());
        if (r.statusCode() >= 300) {
            throw problem(r);
        }
        return r;
    }

    JsonNode list(SfUri where, boolean recursive, String cont) {
        StringBuilder q = new StringBuilder("?prefix=").append(enc(where.key()));
        if (!recursive) {
            q.append("&delimiter=%2F");
        }
        if (cont != null) {
            q.append("&continue=").append(enc(cont));
        }
        String path = "/data/v1/namespaces/" + enc(where.namespace()) + "/buckets/" + enc(where.bucket()) + "/objects" + q;
        return json(send(request(path).GET()));
    }

    private HttpRequest.Builder request(String path) {
        // No request timeout: a multi-GiB transfer may legitimately take long; the connect timeout still applies.
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder b) {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
                throw new SkyforgeException(ErrorCode.UNAVAILABLE, "cannot reach the Skyforge server at " + server
                        + " (connection refused); start one with `./skyforge server` or point --server / SKYFORGE_SERVER at it", e);
            }
            throw new SkyforgeException(ErrorCode.IO, "transfer with " + server + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkyforgeException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    private static JsonNode json(HttpResponse<InputStream> r) {
        if (r.statusCode() >= 300) {
            throw problem(r);
        }
        try (InputStream in = r.body()) {
            return Json.MAPPER.readTree(in);
        } catch (IOException | JacksonException e) {
            throw new SkyforgeException(ErrorCode.INTERNAL, "the server answered something that is not JSON");
        }
    }

    private static SkyforgeException problem(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            return ApiClient.problem(r.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new SkyforgeException(ErrorCode.IO, "the server answered HTTP " + r.statusCode());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
