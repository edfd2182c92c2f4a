package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.codec.Json;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * {@code kill -9} of the control plane (a real child process, {@code java -jar target/skyforge.jar server})
 * while writers are busy and replication is behind them (CLOUD_B's link was cut part-way, so a backlog is
 * held only in the dead process's memory): after a restart on the same data dir it converges, and every write
 * the data API acknowledged is on both clouds with its content.
 */
class SyncCrashIT {

    static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void shouldConvergeWithEveryAcknowledgedWriteAfterTheControlPlaneIsKilledMidReplication() throws Exception {
        Path dir = Files.createTempDirectory("skyforge-sync-crash");
        Process server = null;
        try (S3ProxyServer cloudA = S3ProxyServer.start(dir.resolve("cloud-a"));
             S3ProxyServer cloudB = S3ProxyServer.start(dir.resolve("cloud-b"));
             TcpGate linkB = new TcpGate(cloudB.endpoint());
             S3Client s3a = PhysicalBuckets.client(cloudA.endpoint());
             S3Client s3b = PhysicalBuckets.client(cloudB.endpoint())) {
            Path dataDir = dir.resolve("data");
            Files.createDirectories(dataDir.resolve("secrets"));
            Files.writeString(dataDir.resolve("secrets/S3_SECRET"), S3ProxyServer.SECRET_KEY);
            Path config = dir.resolve("skyforge.yaml");
            Files.writeString(config, "storage_providers:\n" + SyncDoneWhenIT.cloud("CLOUD_A", cloudA.endpoint())
                    + SyncDoneWhenIT.cloud("CLOUD_B", linkB.endpoint()));
            int port = freePort();
            String url = "http://127.0.0.1:" + port;
            server = startServer(dir, dataDir, config, port, "first");
            Api api = new Api(url, Files.readString(dataDir.resolve("admin.token")).strip());
            for (String c : List.of("CLOUD_A", "CLOUD_B")) {
                api.await("cloud " + c + " Ready", () -> ready(api.get("/apis/core.mcp/v1/clouds/" + c)));
            }
            Api.Answer applied = api.send("PUT", "/apis/storage.mcp/v1/namespaces/default/logicalbuckets/crash?upsert=true",
                    ("{\"apiVersion\":\"storage.mcp/v1\",\"kind\":\"LogicalBucket\",\"metadata\":{\"name\":\"crash\"},\"spec\":"
                            + "{\"providers\":[{\"cloud\":\"CLOUD_A\",\"physicalId\":\"crash-a\"},"
                            + "{\"cloud\":\"CLOUD_B\",\"physicalId\":\"crash-b\"}]}}").getBytes(StandardCharsets.UTF_8));
            assertThat(applied.status()).as(applied.body()).isIn(200, 201);
            api.await("bucket Ready", () -> ready(api.get("/apis/storage.mcp/v1/namespaces/default/logicalbuckets/crash")));

            // Writers keep going until the kill; only what the API answered 200 counts as acknowledged.
            Map<String, String> acknowledged = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger next = new AtomicInteger();
            ExecutorService writers = Executors.newFixedThreadPool(4);
            for (int w = 0; w < 4; w++) {
                writers.execute(() -> {
                    while (!stop.get()) {
                        int i = next.getAndIncrement();
                        byte[] body = new byte[16 * 1024];
                        new Random(i).nextBytes(body);
                        try {
                            Api.Answer a = api.send("PUT", "/data/v1/namespaces/default/buckets/crash/objects/obj/" + i
                                    + "?cloud=CLOUD_A", body);
                            if (a.status() == 200) {
                                acknowledged.put("obj/" + i, sha256(body));
                            }
                        } catch (RuntimeException e) {
                            // the server died under this request: not acknowledged
                        }
                    }
                });
            }
            api.await("50 acknowledged writes", () -> acknowledged.size() >= 50);
            linkB.cut();
            api.await("200 acknowledged writes", () -> acknowledged.size() >= 200);
            server.destroyForcibly();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            int onB = PhysicalBuckets.keys(s3b, "crash-b").size();
            System.out.printf("killed the control plane after %d acknowledged writes; %d objects were on CLOUD_B%n",
                    acknowledged.size(), onB);
            assertThat(onB).as("replication was behind when the control plane died").isLessThan(acknowledged.size());
            linkB.restore();

            server = startServer(dir, dataDir, config, port, "second");
            Api again = new Api(url, Files.readString(dataDir.resolve("admin.token")).strip());
            again.await("every acknowledged write on both clouds", () -> {
                var onA = PhysicalBuckets.keys(s3a, "crash-a");
                var onB2 = PhysicalBuckets.keys(s3b, "crash-b");
                return onA.containsAll(acknowledged.keySet()) && onB2.containsAll(acknowledged.keySet()) && onA.equals(onB2);
            });
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                for (S3Client s3 : List.of(s3a, s3b)) {
                    String bucket = s3 == s3a ? "crash-a" : "crash-b";
                    byte[] content = s3.getObjectAsBytes(b -> b.bucket(bucket).key(e.getKey())).asByteArray();
                    assertThat(sha256(content)).as(e.getKey() + " on " + bucket).isEqualTo(e.getValue());
                }
            }
            again.await("in sync", () -> again.get("/data/v1/namespaces/default/buckets/crash/sync").json().path("inSync").asBoolean());
            assertThat(again.get("/data/v1/namespaces/default/buckets/crash/conflicts").json().path("items")).isEmpty();
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor(30, TimeUnit.SECONDS);
            }
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static Process startServer(Path dir, Path dataDir, Path config, int port, String name) throws Exception {
        Path jar = Path.of("target", "skyforge.jar");
        assertThat(jar).as("the runnable jar (built by the package phase)").exists();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dskyforge.cloud.probe-interval=500ms", "-Dskyforge.bucket.resync-interval=500ms",
                "-Dskyforge.sync.scan-interval=2s", "-Dskyforge.sync.retry-interval=200ms",
                "-jar", jar.toString(), "server", "--port", Integer.toString(port), "--data-dir", dataDir.toString(),
                "--config", config.toString()));
        Path log = dir.resolve("server-" + name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Api health = new Api("http://127.0.0.1:" + port, null);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                if (health.send("GET", "/actuator/health", null).status() == 200 && Files.exists(dataDir.resolve("admin.token"))) {
                    return p;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("the " + name + " server did not come up: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    static boolean ready(Api.Answer r) {
        if (r.status() != 200) {
            return false;
        }
        for (JsonNode c : r.json().path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asString())) {
                return "True".equals(c.path("status").asString());
            }
        }
        return false;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bearer-token JSON client for one server. */
    record Api(String url, String token) {

        static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();

        record Answer(int status, String body) {
            JsonNode json() {
                return Json.MAPPER.readTree(body);
            }
        }

        Answer get(String path) {
            return send("GET", path, null);
        }

        Answer send(String method, String path, byte[] body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            try {
                HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return new Answer(r.statusCode(), r.body());
            } catch (IOException e) {
                throw new IllegalStateException(method + " " + path + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                try {
                    if (condition.getAsBoolean()) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // a server starting up or a store between states: look again
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for " + what);
                }
                Thread.sleep(100);
            }
        }
    }
}
