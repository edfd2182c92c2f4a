package io.skyforge.cli;

import io.skyforge.core.codec.Json;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.core.codec.ResourceJson;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The CLI's REST client: JDK HttpClient (no Spring on the client path, so commands start fast),
 * bearer token, and problem+json answers turned back into {@link SkyforgeException} with the
 * server's code and violations.
 */
public final class ApiClient {

    private final URI server;
    private final String token;
    private final HttpClient http;

    public ApiClient(String server, String token) {
        this.server = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    public String server() {
        return server.toString();
    }

    public Optional<Resource> get(ResourceKind kind, String namespace, String name) {
        HttpResponse<String> r = send(request(objectPath(kind, namespace, name)).GET());
        if (r.statusCode() == 404 && problemCode(r).equals(ErrorCode.NOT_FOUND.code())) {
            return Optional.empty();
        }
        return Optional.of(ResourceJson.read(body(r)));
    }

    public JsonNode list(ResourceKind kind, String namespace, String labelSelector, int limit, String cont) {
        StringBuilder q = new StringBuilder();
        if (labelSelector != null) {
            q.append("&labelSelector=").append(enc(labelSelector));
        }
        if (limit > 0) {
            q.append("&limit=").append(limit);
        }
        if (cont != null) {
            q.append("&continue=").append(enc(cont));
        }
        String path = (namespace == null || !kind.namespaced())
                ? "/apis/" + kind.group() + "/" + kind.version() + "/" + kind.plural()
                : kind.collectionPath(namespace);
        return body(send(request(path + (q.length() > 0 ? "?" + q.substring(1) : "")).GET()));
    }

    /** Creates or replaces; answers the stored object and whether it was created. */
    public Applied apply(Resource r) {
        ResourceKind kind = io.skyforge.core.model.Kinds.of(r);
        String json = ResourceCodec.toCompactJson(ResourceJson.write(r));
        HttpResponse<String> resp = send(request(objectPath(kind, r.namespace(), r.name()) + "?upsert=true")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
        return new Applied(ResourceJson.read(body(resp)), resp.statusCode() == 201);
    }

    /** POSTs a JSON body to a non-resource API (the worker API) and answers the JSON reply. */
    public JsonNode post(String path, JsonNode json) {
        return body(send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.toString()))));
    }

    public Resource delete(ResourceKind kind, String namespace, String name) {
        return ResourceJson.read(body(send(request(objectPath(kind, namespace, name)).DELETE())));
    }

    /** GET of any JSON endpoint (the data API's sync and conflicts), with problem+json turned into an exception. */
    public JsonNode getJson(String path) {
        return body(send(request(path).GET()));
    }

    /** POST without a body to any JSON endpoint. */
    public JsonNode postJson(String path) {
        return body(send(request(path).POST(HttpRequest.BodyPublishers.noBody())));
    }

    public static String objectPath(ResourceKind kind, String namespace, String name) {
        return kind.collectionPath(namespace) + "/" + enc(name);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkyforgeException(ErrorCode.INTERNAL, "interrupted");
        }
    }

    private SkyforgeException unreachable(IOException e) {
        String why = e instanceof ConnectException || e instanceof HttpConnectTimeoutException
                ? "connection refused or timed out"
                : e instanceof HttpTimeoutException ? "no answer in time" : e.getClass().getSimpleName();
        return new SkyforgeException(ErrorCode.UNAVAILABLE, "cannot reach the Skyforge server at " + server + " (" + why
                + "); start one with `./skyforge server` or point --server / SKYFORGE_SERVER at it", e);
    }

    private static JsonNode body(HttpResponse<String> r) {
        if (r.statusCode() >= 300) {
            throw problem(r.statusCode(), r.body());
        }
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (JacksonException e) {
            throw new SkyforgeException(ErrorCode.INTERNAL, "the server answered something that is not JSON");
        }
    }

    private static String problemCode(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body()).path("code").asString("");
        } catch (JacksonException e) {
            return "";
        }
    }

    static SkyforgeException problem(int status, String text) {
        try {
            JsonNode p = Json.MAPPER.readTree(text);
            ErrorCode code = ErrorCode.fromCode(p.path("code").asString(""));
            List<Violation> vs = new ArrayList<>();
            for (JsonNode v : p.path("violations")) {
                vs.add(new Violation(v.path("source").asString(""), v.path("path").asString(""), v.path("line").asInt(0),
                        v.path("column").asInt(0), v.path("message").asString("")));
            }
            return new SkyforgeException(code, p.path("detail").asString("HTTP " + status), vs);
        } catch (JacksonException e) {
            return new SkyforgeException(status >= 500 ? ErrorCode.INTERNAL : ErrorCode.VALIDATION,
                    "the server answered HTTP " + status);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The outcome of an apply. */
    public record Applied(Resource resource, boolean created) {
    }
}
