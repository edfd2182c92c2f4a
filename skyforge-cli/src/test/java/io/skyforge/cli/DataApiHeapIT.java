package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.codec.Json;
import io.skyforge.spi.storage.PartPump;
import io.skyforge.testkit.storage.GeneratedInputStream;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 3's streaming guarantee: a 1 GiB PUT and GET through the data API of the runnable jar
 * started with {@code -Xmx256m}, to an S3 cloud (so the body goes through the part pump and the
 * upload budget), with the sha256 of what was sent, what the server stored and what came back equal.
 */
class DataApiHeapIT {

    static final long GIB = 1024L * 1024 * 1024;

    Path dir;
    S3ProxyServer s3;
    Process server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
        if (s3 != null) {
            s3.close();
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void shouldStreamAGibibyteUpAndDownThroughAServerWithA256MiBHeap() throws Exception {
        dir = Files.createTempDirectory("skyforge-heap-it");
        s3 = S3ProxyServer.start(dir.resolve("s3"));
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("secrets"));
        Files.writeString(data.resolve("secrets/HEAP_S3_SECRET"), S3ProxyServer.SECRET_KEY);
        Path config = dir.resolve("skyforge.yaml");
        Files.writeString(config, "storage_providers:\n"
                + "  - name: HEAP\n    type: s3\n    endpoint: " + s3.endpoint() + "\n    region: us-east-1\n"
                + "    access_key: " + S3ProxyServer.ACCESS_KEY + "\n    secret_key: ${HEAP_S3_SECRET}\n"
                + "resources:\n"
                + "  - apiVersion: storage.mcp/v1\n    kind: LogicalBucket\n    metadata: {name: heap, namespace: default}\n"
                + "    spec:\n      providers: [{cloud: HEAP, physicalId: heap-data}]\n");
        Path jar = Path.of("target", "skyforge.jar").toAbsolutePath();
        assertThat(jar).as("the runnable jar (built in the package phase)").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "server", "--port", "0",
                "--data-dir", data.toString(), "--config", config.toString())
                .redirectErrorStream(true).start();
        String url = awaitListening(server);
        String token = Files.readString(data.resolve("admin.token")).strip();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        URI object = URI.create(url + "/data/v1/namespaces/default/buckets/heap/objects/big/one-gib.bin");
        awaitBucketReady(http, url, token);

        long seed = 20261128L;
        MessageDigest sent = PartPump.sha256();
        HttpRequest put = HttpRequest.newBuilder(object).header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new DigestInputStream(new GeneratedInputStream(GIB, seed), sent)), GIB))
                .build();
        HttpResponse<String> stored = http.send(put, HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        String want = PartPump.hex(sent);
        JsonNode answer = Json.MAPPER.readTree(stored.body());
        assertThat(answer.path("size").asLong()).isEqualTo(GIB);
        assertThat(answer.path("sha256").asString()).isEqualTo(want);

        HttpResponse<InputStream> got = http.send(HttpRequest.newBuilder(object).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(got.statusCode()).isEqualTo(200);
        MessageDigest received = PartPump.sha256();
        long n = 0;
        try (InputStream in = got.body()) {
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) >= 0) {
                received.update(buf, 0, r);
                n += r;
            }
        }
        assertThat(n).isEqualTo(GIB);
        assertThat(PartPump.hex(received)).isEqualTo(want);
        assertThat(server.isAlive()).as("the server survived both transfers").isTrue();
    }

    /** Reads the server's output until it prints its URL; keeps draining it afterwards so it never blocks. */
    private static String awaitListening(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (!url.isDone()) {
                        seen.append(line).append('\n');
                        int at = line.indexOf("listening on ");
                        if (at >= 0) {
                            url.complete(line.substring(at + "listening on ".length()).strip());
                        }
                    }
                }
            } catch (Exception e) {
                // the process ended; the wait below reports what it printed
            }
            url.completeExceptionally(new AssertionError("the server exited before listening:\n" + seen));
        }, "heap-it-server-output");
        reader.setDaemon(true);
        reader.start();
        return url.get(180, TimeUnit.SECONDS);
    }

    private static void awaitBucketReady(HttpClient http, String url, String token) throws Exception {
        URI bucket = URI.create(url + "/apis/storage.mcp/v1/namespaces/default/logicalbuckets/heap");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(bucket).header("Authorization", "Bearer " + token)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            last = r.body();
            if (r.statusCode() == 200) {
                for (JsonNode c : Json.MAPPER.readTree(r.body()).path("status").path("conditions")) {
                    if (c.path("type").asString("").equals("Ready") && c.path("status").asString("").equals("True")) {
                        return;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("LogicalBucket default/heap did not become Ready: " + last);
    }
}
