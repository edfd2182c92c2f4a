package io.skyforge.server.data;

import io.skyforge.core.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** A test client for the resource and data APIs, independent of the CLI's. */
final class DataHttp {

    final String base;
    final String token;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DataHttp(String base, String token) {
        this.base = base;
        this.token = token;
    }

    record Response(int status, byte[] body, java.net.http.HttpHeaders headers) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return Json.MAPPER.readTree(text());
        }

        String code() {
            return json().path("code").asString("");
        }
    }

    static String object(String ns, String bucket, String key) {
        StringBuilder p = new StringBuilder("/data/v1/namespaces/" + ns + "/buckets/" + bucket + "/objects");
        for (String segment : key.split("/", -1)) {
            p.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return p.toString();
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response get(String path) {
        return send(request(path).GET());
    }

    Response put(String path, byte[] body) {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    Response apply(String path, String yaml) {
        return send(request(path + "?upsert=true").header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(yaml)));
    }

    /** Polls a resource until {@code condition} holds on its JSON; fails with the last state seen. */
    JsonNode await(String path, Predicate<JsonNode> condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            Response r = get(path);
            if (r.status() == 200) {
                last = r.json();
                if (condition.test(last)) {
                    return last;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("condition not met within " + timeout + " on " + path + "; last state: " + last);
    }

    static Predicate<JsonNode> ready(String status) {
        return n -> {
            for (JsonNode c : n.path("status").path("conditions")) {
                if ("Ready".equals(c.path("type").asString())) {
                    return status.equals(c.path("status").asString());
                }
            }
            return false;
        };
    }

    static JsonNode readyCondition(JsonNode n) {
        for (JsonNode c : n.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asString())) {
                return c;
            }
        }
        return null;
    }
}
