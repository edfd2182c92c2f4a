package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.codec.Json;
import io.skyforge.server.ServerSettings;
import io.skyforge.server.SkyforgeServer;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jclouds.blobstore.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7's "Done when" through the real server: a write to lb-123 on CLOUD_A shows up in CLOUD_B's physical
 * bucket (read straight from that S3 endpoint, with the AWS SDK and the AWS CLI); the same key written on
 * both clouds at once ends with both copies holding the same winner and the loser listed by the conflicts
 * REST endpoint and {@code skyforge conflicts}. Also, at the server level: one replication write per user
 * write counted at the S3 servers, a backlog built while a cloud's link is cut drains by itself, and a wiped
 * physical bucket pauses sync instead of spreading the deletes, until {@code skyforge sync resync}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncDoneWhenIT {

    static final Duration WAIT = Duration.ofSeconds(90);

    Path dir;
    S3ProxyServer cloudA;
    S3ProxyServer cloudB;
    TcpGate linkB;
    /** Calls that reached each S3 server's blob store, by "method container". */
    final Map<String, AtomicLong> callsA = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> callsB = new ConcurrentHashMap<>();
    SkyforgeServer server;
    String token;
    HttpClient http;
    S3Client s3a;
    S3Client s3b;

    record Run(int exit, String out, String err) {
    }

    record Answer(int status, String body) {
        JsonNode json() {
            return Json.MAPPER.readTree(body);
        }
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("skyforge-sync-done-when");
        Path dataDir = dir.resolve("data");
        Files.createDirectories(dataDir.resolve("secrets"));
        Files.writeString(dataDir.resolve("secrets/S3_SECRET"), S3ProxyServer.SECRET_KEY);
        cloudA = S3ProxyServer.start(dir.resolve("cloud-a"), store -> counting(store, callsA));
        cloudB = S3ProxyServer.start(dir.resolve("cloud-b"), store -> counting(store, callsB));
        // CLOUD_B is reached through a link the test can cut; the test itself reads CLOUD_B directly.
        linkB = new TcpGate(cloudB.endpoint());
        Path config = dir.resolve("skyforge.yaml");
        Files.writeString(config, "storage_providers:\n" + cloud("CLOUD_A", cloudA.endpoint()) + cloud("CLOUD_B", linkB.endpoint()));
        System.setProperty("skyforge.cloud.probe-interval", "500ms");
        System.setProperty("skyforge.bucket.resync-interval", "500ms");
        System.setProperty("skyforge.sync.scan-interval", "1s");
        System.setProperty("skyforge.sync.retry-interval", "200ms");
        server = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dataDir, null, config));
        token = Files.readString(server.adminTokenFile()).strip();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        s3a = PhysicalBuckets.client(cloudA.endpoint());
        s3b = PhysicalBuckets.client(cloudB.endpoint());
        for (String c : List.of("CLOUD_A", "CLOUD_B")) {
            Run ready = cli("wait", "cloud/" + c, "--for=condition=Ready", "--timeout=90s");
            assertThat(ready.exit()).as(c + ": " + ready.err()).isZero();
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (String p : List.of("skyforge.cloud.probe-interval", "skyforge.bucket.resync-interval", "skyforge.sync.scan-interval",
                "skyforge.sync.retry-interval")) {
            System.clearProperty(p);
        }
        for (AutoCloseable c : new AutoCloseable[] {server, s3a, s3b, linkB, cloudA, cloudB}) {
            if (c != null) {
                c.close();
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    // ------------------------------------------------------------------ the issue's "Done when"

    @Test
    void shouldShowAWriteOnCloudAInCloudBsBucketAndAgreeOnTheWinnerOfConcurrentWritesWithTheLoserListed() throws Exception {
        Run apply = cli("apply", "-f", Path.of("..", "examples", "seed", "lb-123.json").toString());
        assertThat(apply.exit()).as(apply.err()).isZero();
        awaitBucket("lb-123");

        byte[] report = "id,amount\n1,9.50\n2,3.25\n".getBytes(StandardCharsets.UTF_8);
        Answer put = put("lb-123", "reports/q1.csv", "CLOUD_A", report);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().path("cloud").asString()).isEqualTo("CLOUD_A");
        String version = put.json().path("version").asString();
        assertThat(version).endsWith("@CLOUD_A");
        await("reports/q1.csv in CLOUD_B's container-y", () -> PhysicalBuckets.head(s3b, "container-y", "reports/q1.csv") != null);
        HeadObjectResponse onB = PhysicalBuckets.head(s3b, "container-y", "reports/q1.csv");
        assertThat(onB.metadata()).containsEntry("sync_origin", "CLOUD_A").containsEntry("sync_hlc", version.split("@")[0]);
        assertThat(s3b.getObjectAsBytes(b -> b.bucket("container-y").key("reports/q1.csv")).asByteArray()).isEqualTo(report);
        assertThat(awsCli(cloudB.endpoint(), "container-y", "reports/q1.csv")).as("what the AWS CLI reads from CLOUD_B").isEqualTo(report);

        // Both clouds take a write of the same key at once. Replication is held meanwhile, so neither write can
        // have seen the other: they are concurrent, whatever the machine's timing.
        assertThat(cli("sync", "pause", "lb-123", "--reason", "concurrent writes").exit()).isZero();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Map<String, byte[]> bodies = Map.of("CLOUD_A", "written on A".getBytes(StandardCharsets.UTF_8),
                "CLOUD_B", "written on B".getBytes(StandardCharsets.UTF_8));
        List<Future<Answer>> writes = new ArrayList<>();
        for (String cloud : List.of("CLOUD_A", "CLOUD_B")) {
            writes.add(pool.submit(() -> {
                go.await();
                return put("lb-123", "shared/state.json", cloud, bodies.get(cloud));
            }));
        }
        go.countDown();
        List<String> versions = new ArrayList<>();
        for (Future<Answer> w : writes) {
            Answer a = w.get(60, TimeUnit.SECONDS);
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            versions.add(a.json().path("version").asString());
        }
        pool.shutdown();
        assertThat(cli("sync", "resume", "lb-123").exit()).isZero();
        // Last writer wins: the higher HLC (fixed-width hex, so string order), then the higher cloud id.
        List<String> ordered = versions.stream().sorted(Comparator.comparing((String v) -> v.split("@")[0])
                .thenComparing(v -> v.split("@")[1])).toList();
        String loser = ordered.get(0);
        String winner = ordered.get(1);
        String winnerCloud = winner.split("@")[1];
        await("both copies hold the winner " + winner, () -> winner.equals(PhysicalBuckets.versionOn(s3a, "bucket-x", "shared/state.json"))
                && winner.equals(PhysicalBuckets.versionOn(s3b, "container-y", "shared/state.json")));
        assertThat(s3a.getObjectAsBytes(b -> b.bucket("bucket-x").key("shared/state.json")).asByteArray())
                .isEqualTo(bodies.get(winnerCloud));
        assertThat(s3b.getObjectAsBytes(b -> b.bucket("container-y").key("shared/state.json")).asByteArray())
                .isEqualTo(bodies.get(winnerCloud));

        JsonNode conflicts = get("/data/v1/namespaces/default/buckets/lb-123/conflicts").json();
        assertThat(conflicts.path("items")).hasSize(1);
        JsonNode record = conflicts.path("items").get(0);
        assertThat(record.path("key").asString()).isEqualTo("shared/state.json");
        assertThat(record.path("winner").path("version").asString()).isEqualTo(winner);
        assertThat(record.path("loser").path("version").asString()).isEqualTo(loser);
        assertThat(record.path("foundOn").asString()).isEqualTo(loser.split("@")[1]);
        Run listed = cli("conflicts", "lb-123");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("KEY", "WINNER", "LOSER", "shared/state.json", winner, loser);

        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics).contains(
                "skyforge_sync_replication_lag_seconds_bucket{bucket=\"default/lb-123\",source=\"CLOUD_A\",target=\"CLOUD_B\"",
                "skyforge_sync_replicated_bytes_total{bucket=\"default/lb-123\",source=\"CLOUD_A\",target=\"CLOUD_B\"}",
                "skyforge_sync_conflicts_total{bucket=\"default/lb-123\",source=\"" + winnerCloud + "\",target=\""
                        + loser.split("@")[1] + "\"} 1.0");

        awaitInSync("lb-123");
        Run status = cli("sync", "status", "lb-123");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("default/lb-123 (active-active): in sync", "CLOUD_A", "bucket-x", "CLOUD_B", "container-y");
    }

    // ------------------------------------------------------------------ safety, at the server level

    @Test
    void shouldCauseExactlyOneReplicationWritePerUserWriteCountedAtTheServers() throws Exception {
        bucket("loops");
        awaitInSync("loops");
        for (int i = 0; i < 20; i++) {
            assertThat(put("loops", "obj/" + i, "A", ("v" + i).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        }
        await("20 objects on CLOUD_B", () -> PhysicalBuckets.keys(s3b, "loops-b").size() == 20);
        awaitInSync("loops");
        // Several scans later (one a second) a replicated copy is still recognised as the origin's version.
        Thread.sleep(3_000);
        awaitInSync("loops");
        assertThat(count(callsA, "putBlob loops-a")).as("user writes reaching CLOUD_A").isEqualTo(20);
        assertThat(count(callsB, "putBlob loops-b")).as("replication writes reaching CLOUD_B").isEqualTo(20);
        assertThat(count(callsA, "removeBlob loops-a") + count(callsB, "removeBlob loops-b")).isZero();
        assertThat(get("/actuator/prometheus").body())
                .contains("skyforge_sync_replicated_objects_total{bucket=\"default/loops\",source=\"CLOUD_A\",target=\"CLOUD_B\"} 20.0");
    }

    @Test
    void shouldDrainTheBacklogWhenACutOffCloudReturns() throws Exception {
        bucket("outage");
        for (int i = 0; i < 20; i++) {
            assertThat(put("outage", "old/" + i, "A", ("o" + i).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        }
        await("20 objects on CLOUD_B", () -> PhysicalBuckets.keys(s3b, "outage-b").size() == 20);
        linkB.cut();
        try {
            for (int i = 0; i < 30; i++) {
                assertThat(put("outage", "new/" + i, "A", ("n" + i).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
            }
            for (int i = 0; i < 10; i++) {
                assertThat(send("DELETE", "/data/v1/namespaces/default/buckets/outage/objects/old/" + i + "?cloud=CLOUD_A", null)
                        .status()).isEqualTo(204);
            }
            await("CLOUD_B unreachable with 40 changes pending", () -> {
                JsonNode b = copy(get("/data/v1/namespaces/default/buckets/outage/sync").json(), "CLOUD_B");
                return !b.path("reachable").asBoolean() && b.path("pendingObjects").asLong() == 40;
            });
            assertThat(get("/actuator/prometheus").body())
                    .contains("skyforge_sync_pending_objects{bucket=\"default/outage\",source=\"*\",target=\"CLOUD_B\"} 40.0");
            Run status = cli("sync", "status", "outage");
            assertThat(status.out()).contains("CLOUD_B", "no", "40", "SF-UNAVAILABLE");
            assertThat(PhysicalBuckets.keys(s3b, "outage-b")).as("nothing reached CLOUD_B meanwhile").hasSize(20);
        } finally {
            linkB.restore();
        }
        awaitInSync("outage");
        Set<String> expected = new TreeSet<>();
        for (int i = 10; i < 20; i++) {
            expected.add("old/" + i);
        }
        for (int i = 0; i < 30; i++) {
            expected.add("new/" + i);
        }
        await("CLOUD_B caught up", () -> PhysicalBuckets.keys(s3b, "outage-b").equals(expected));
        assertThat(PhysicalBuckets.keys(s3a, "outage-a")).isEqualTo(expected);
    }

    @Test
    void shouldPauseInsteadOfSpreadingAWipeAndRestoreTheWipedCopyOnResync() throws Exception {
        bucket("guard");
        for (int i = 0; i < 30; i++) {
            assertThat(put("guard", "data/" + i, "A", ("g" + i).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        }
        await("30 objects on CLOUD_B", () -> PhysicalBuckets.keys(s3b, "guard-b").size() == 30);
        awaitInSync("guard");
        // Someone empties CLOUD_B's bucket behind Skyforge's back: the next listing of it comes back empty.
        for (String k : PhysicalBuckets.keys(s3b, "guard-b")) {
            s3b.deleteObject(b -> b.bucket("guard-b").key(k));
        }
        await("the guard pauses the bucket", () -> get("/data/v1/namespaces/default/buckets/guard/sync").json()
                .path("paused").asBoolean());
        JsonNode status = get("/data/v1/namespaces/default/buckets/guard/sync").json();
        // Depending on when the scan lists it, the bucket is empty or partly wiped: either way far beyond the allowed share.
        assertThat(status.path("pausedReason").asString()).contains("CLOUD_B", "known objects vanished from one listing",
                "no deletes were made", "skyforge sync resync");
        assertThat(get("/actuator/prometheus").body()).contains("skyforge_sync_paused{bucket=\"default/guard\"} 1.0");
        Thread.sleep(2_000);
        assertThat(PhysicalBuckets.keys(s3a, "guard-a")).as("no delete reached CLOUD_A").hasSize(30);
        assertThat(count(callsA, "removeBlob guard-a")).isZero();

        Run resync = cli("sync", "resync", "guard");
        assertThat(resync.exit()).as(resync.err()).isZero();
        assertThat(resync.out()).contains("resync of default/guard started");
        await("CLOUD_B restored", () -> PhysicalBuckets.keys(s3b, "guard-b").size() == 30);
        awaitInSync("guard");
        assertThat(get("/data/v1/namespaces/default/buckets/guard/sync").json().path("paused").asBoolean()).isFalse();
        assertThat(PhysicalBuckets.keys(s3a, "guard-a")).hasSize(30);
    }

    // ------------------------------------------------------------------ helpers

    static String cloud(String name, URI endpoint) {
        return "  - name: " + name + "\n    type: s3\n    endpoint: " + endpoint + "\n    region: " + S3ProxyServer.REGION
                + "\n    access_key: " + S3ProxyServer.ACCESS_KEY + "\n    secret_key: ${S3_SECRET}\n";
    }

    /** A blob store that counts the calls reaching it, by method and container. */
    static BlobStore counting(BlobStore delegate, Map<String, AtomicLong> calls) {
        return (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class},
                (proxy, method, args) -> {
                    String container = args != null && args.length > 0 && args[0] instanceof String s ? " " + s : "";
                    calls.computeIfAbsent(method.getName() + container, k -> new AtomicLong()).incrementAndGet();
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static long count(Map<String, AtomicLong> calls, String what) {
        AtomicLong n = calls.get(what);
        return n == null ? 0 : n.get();
    }

    /** A two-copy bucket NAME over NAME-a on CLOUD_A and NAME-b on CLOUD_B, Ready. */
    void bucket(String name) {
        Answer r = send("PUT", "/apis/storage.mcp/v1/namespaces/default/logicalbuckets/" + name + "?upsert=true",
                ("{\"apiVersion\":\"storage.mcp/v1\",\"kind\":\"LogicalBucket\",\"metadata\":{\"name\":\"" + name + "\"},"
                        + "\"spec\":{\"providers\":[{\"cloud\":\"CLOUD_A\",\"physicalId\":\"" + name + "-a\"},"
                        + "{\"cloud\":\"CLOUD_B\",\"physicalId\":\"" + name + "-b\"}]}}").getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        awaitBucket(name);
    }

    void awaitBucket(String name) {
        Run ready = cli("wait", "logicalbucket/" + name, "--for=condition=Ready", "--timeout=90s");
        assertThat(ready.exit()).as(ready.err()).isZero();
    }

    void awaitInSync(String bucket) throws InterruptedException {
        await(bucket + " in sync", () -> get("/data/v1/namespaces/default/buckets/" + bucket + "/sync").json()
                .path("inSync").asBoolean());
    }

    static JsonNode copy(JsonNode status, String cloud) {
        for (JsonNode c : status.path("copies")) {
            if (c.path("cloud").asString().equals(cloud)) {
                return c;
            }
        }
        throw new AssertionError("no copy on " + cloud + " in " + status);
    }

    Answer put(String bucket, String key, String cloud, byte[] body) {
        return send("PUT", "/data/v1/namespaces/default/buckets/" + bucket + "/objects/" + key
                + "?cloud=" + (cloud.length() == 1 ? "CLOUD_" + cloud : cloud), body);
    }

    Answer get(String path) {
        return send("GET", path, null);
    }

    Answer send(String method, String path, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, condition, () -> "");
    }

    static void await(String what, BooleanSupplier condition, Supplier<String> detail) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + " " + detail.get());
            }
            Thread.sleep(100);
        }
    }

    Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server=" + server.url());
        all.add("--token=" + token);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    /** The object as an independent client reads it: {@code aws s3 cp} straight from the physical bucket. */
    byte[] awsCli(URI endpoint, String bucket, String key) throws Exception {
        Path witness = dir.resolve("aws-" + System.nanoTime() + ".bin");
        ProcessBuilder pb = new ProcessBuilder("aws", "s3", "cp", "s3://" + bucket + "/" + key, witness.toString(),
                "--endpoint-url", endpoint.toString(), "--no-progress").redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", S3ProxyServer.REGION);
        env.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        env.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        env.remove("AWS_CA_BUNDLE");
        env.remove("AWS_PROFILE");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return Files.readAllBytes(witness);
    }
}
