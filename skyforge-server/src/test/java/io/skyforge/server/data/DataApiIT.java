package io.skyforge.server.data;

import static io.skyforge.server.data.DataHttp.object;
import static io.skyforge.server.data.DataHttp.ready;
import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.control.cloud.CloudRegistry;
import io.skyforge.spi.storage.PutOptions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** The data API, the cloud and bucket controllers and the journal against real S3Proxy, Azurite and disk. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataApiIT {

    static final String CLOUDS = "/apis/core.mcp/v1/clouds/";
    static final String BUCKETS = "/apis/storage.mcp/v1/namespaces/team-d/logicalbuckets/";
    static final Duration WAIT = Duration.ofSeconds(60);

    StorageFixture f;
    DataHttp http;

    @BeforeAll
    void start() {
        f = new StorageFixture("");
        http = f.http;
        for (String c : List.of("CLOUD_A", "CLOUD_B", "AZURE", "LOCAL")) {
            http.await(CLOUDS + c, ready("True"), WAIT);
        }
        bucket("mixed", "CLOUD_A", "mixed-a", "AZURE", "mixed-az", null);
        http.await(BUCKETS + "mixed", ready("True"), WAIT);
    }

    @AfterAll
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    void bucket(String name, String cloud1, String physical1, String cloud2, String physical2, String extra) {
        String yaml = "apiVersion: storage.mcp/v1\nkind: LogicalBucket\nmetadata: {name: " + name + ", namespace: team-d}\n"
                + "spec:\n  providers:\n    - {cloud: " + cloud1 + ", physicalId: " + physical1 + "}\n"
                + (cloud2 != null ? "    - {cloud: " + cloud2 + ", physicalId: " + physical2 + "}\n" : "")
                + (extra != null ? extra : "");
        DataHttp.Response r = http.apply(BUCKETS + name, yaml);
        assertThat(r.status()).as(r.text()).isIn(200, 201);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void shouldReportEveryCloudReadyWithProbeLatencyAndExportMetrics() {
        JsonNode a = http.get(CLOUDS + "CLOUD_A").json();
        assertThat(DataHttp.readyCondition(a).path("reason").asString()).isEqualTo("ProbeSucceeded");
        assertThat(a.path("status").path("probe").path("latencyMs").isNumber()).isTrue();
        assertThat(a.path("status").path("probe").path("lastProbeTime").asString()).isNotEmpty();
        String prom = http.get("/actuator/prometheus").text();
        assertThat(prom).contains("skyforge_cloud_up{cloud=\"CLOUD_A\"} 1.0", "skyforge_cloud_up{cloud=\"AZURE\"} 1.0",
                "skyforge_cloud_probe_latency_seconds_bucket{cloud=\"CLOUD_B\"");
    }

    @Test
    void shouldCreateThePhysicalBucketsAndReportEachProvider() {
        JsonNode lb = http.get(BUCKETS + "mixed").json();
        assertThat(lb.path("status").path("providers").get(0).path("ready").asBoolean()).isTrue();
        assertThat(lb.path("status").path("providers").get(1).path("cloud").asString()).isEqualTo("AZURE");
        assertThat(Files.isDirectory(f.s3a.dataDir().resolve("mixed-a"))).isTrue();
        assertThat(f.server.context().getBean(CloudRegistry.class).store("AZURE").bucketExists("mixed-az")).isTrue();
    }

    @Test
    void shouldRoundTripAnObjectWithRangesListingDeleteAndJournal() throws Exception {
        byte[] data = random(3 * 1024 * 1024 + 17, 1);
        String key = "dir one/日本/a+b%#.bin";
        long before = http.get("/data/v1/journal?after=0&limit=10000").json().path("lastPosition").asLong();
        DataHttp.Response put = http.put(object("team-d", "mixed", key), data);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        assertThat(put.json().path("sha256").asString()).isEqualTo(sha256(data));
        String cloud = put.json().path("cloud").asString();
        assertThat(cloud).isIn("CLOUD_A", "AZURE");

        DataHttp.Response get = http.get(object("team-d", "mixed", key));
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(data);
        assertThat(get.headers().firstValue("ETag")).isPresent();

        DataHttp.Response range = http.send(http.request(object("team-d", "mixed", key)).header("Range", "bytes=100-199").GET());
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 200));
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 100-199/" + data.length);
        DataHttp.Response suffix = http.send(http.request(object("team-d", "mixed", key)).header("Range", "bytes=-10").GET());
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(data, data.length - 10, data.length));
        DataHttp.Response past = http.send(http.request(object("team-d", "mixed", key))
                .header("Range", "bytes=" + data.length + "-").GET());
        assertThat(past.status()).isEqualTo(416);
        assertThat(past.code()).isEqualTo("SF-RANGE-NOT-SATISFIABLE");

        DataHttp.Response head = http.send(http.request(object("team-d", "mixed", key))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(data.length));
        assertThat(head.headers().firstValue("x-skyforge-cloud")).hasValue(cloud);

        for (int i = 0; i < 5; i++) {
            assertThat(http.put(object("team-d", "mixed", "page/k" + i), new byte[] {(byte) i}).status()).isEqualTo(200);
        }
        List<String> keys = new ArrayList<>();
        String cont = null;
        int pages = 0;
        do {
            JsonNode page = http.get("/data/v1/namespaces/team-d/buckets/mixed/objects?prefix=page/&limit=2"
                    + (cont != null ? "&continue=" + cont : "")).json();
            page.path("items").forEach(i -> keys.add(i.path("key").asString()));
            cont = page.path("continue").isNull() ? null : page.path("continue").asString();
            pages++;
        } while (cont != null);
        assertThat(keys).containsExactly("page/k0", "page/k1", "page/k2", "page/k3", "page/k4");
        assertThat(pages).isEqualTo(3);

        assertThat(http.send(http.request(object("team-d", "mixed", key)).DELETE()).status()).isEqualTo(204);
        assertThat(http.get(object("team-d", "mixed", key)).code()).isEqualTo("SF-NOT-FOUND");
        assertThat(http.send(http.request(object("team-d", "mixed", key)).DELETE()).status()).as("idempotent").isEqualTo(204);

        JsonNode journal = http.get("/data/v1/journal?after=" + before).json();
        JsonNode first = journal.path("items").get(0);
        assertThat(first.path("key").asString()).isEqualTo(key);
        assertThat(first.path("operation").asString()).isEqualTo("PUT");
        assertThat(first.path("sha256").asString()).isEqualTo(sha256(data));
        assertThat(first.path("size").asLong()).isEqualTo(data.length);
        assertThat(first.path("originCloud").asString()).isEqualTo(cloud);
        JsonNode lastEntry = journal.path("items").get(journal.path("items").size() - 1);
        assertThat(lastEntry.path("operation").asString()).isEqualTo("DELETE");
        assertThat(journal.path("items").size()).isEqualTo(8);
    }

    @Test
    void shouldWriteToThePrimaryAndFallBackToAnotherCopyForReads() throws Exception {
        // Not replicated: the out-of-band object below must stay on CLOUD_A alone for the fallback to show.
        bucket("primary", "CLOUD_A", "prim-a", "CLOUD_B", "prim-b", "  primary: CLOUD_B\n  replication: {mode: none}\n");
        http.await(BUCKETS + "primary", ready("True"), WAIT);
        assertThat(http.put(object("team-d", "primary", "p.txt"), "hi".getBytes()).json().path("cloud").asString())
                .isEqualTo("CLOUD_B");
        // Written out of band to CLOUD_A only: a read must find it whichever copy it tries first.
        byte[] data = "only on A".getBytes(StandardCharsets.UTF_8);
        f.server.context().getBean(CloudRegistry.class).store("CLOUD_A")
                .put("prim-a", "only-a.txt", new ByteArrayInputStream(data), PutOptions.defaults());
        DataHttp.Response r = http.get(object("team-d", "primary", "only-a.txt"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(data);
        assertThat(r.headers().firstValue("x-skyforge-cloud")).hasValue("CLOUD_A");

        // Without replication the copies differ: a listing shows the union, in key order, page by page.
        JsonNode first = http.get("/data/v1/namespaces/team-d/buckets/primary/objects?limit=1").json();
        assertThat(first.path("items").get(0).path("key").asString()).isEqualTo("only-a.txt");
        JsonNode second = http.get("/data/v1/namespaces/team-d/buckets/primary/objects?limit=1&continue="
                + first.path("continue").asString()).json();
        assertThat(second.path("items").get(0).path("key").asString()).isEqualTo("p.txt");
        assertThat(second.path("items").get(0).path("cloud").asString()).isEqualTo("CLOUD_B");
        assertThat(second.path("continue").isNull()).isTrue();
    }

    @Test
    void shouldRedirectToPresignedAndSasUrlsThatWorkWithoutAToken() throws Exception {
        bucket("s3only", "CLOUD_A", "s3only-a", null, null, null);
        bucket("azonly", "AZURE", "azonly-z", null, null, null);
        bucket("fsonly", "LOCAL", "fsonly-l", null, null, null);
        for (String b : List.of("s3only", "azonly", "fsonly")) {
            http.await(BUCKETS + b, ready("True"), WAIT);
        }
        byte[] data = random(70_000, 2);
        for (String b : List.of("s3only", "azonly")) {
            assertThat(http.put(object("team-d", b, "r/x.bin"), data).status()).isEqualTo(200);
            DataHttp.Response r = http.get(object("team-d", b, "r/x.bin") + "?redirect=true");
            assertThat(r.status()).as(r.text()).isEqualTo(307);
            String location = r.headers().firstValue("Location").orElseThrow();
            DataHttp anonymous = new DataHttp("", null);
            DataHttp.Response direct = anonymous.send(HttpRequest.newBuilder(java.net.URI.create(location)).GET());
            assertThat(direct.status()).as(b + " " + direct.text()).isEqualTo(200);
            assertThat(direct.body()).isEqualTo(data);
        }
        assertThat(http.put(object("team-d", "fsonly", "x"), data).status()).isEqualTo(200);
        assertThat(http.get(object("team-d", "fsonly", "x") + "?redirect=true").code()).isEqualTo("SF-UNSUPPORTED");
        assertThat(http.put(object("team-d", "s3only", "y") + "?redirect=true", data).code()).isEqualTo("SF-UNSUPPORTED");
    }

    @Test
    void shouldReportWrongCredentialsAsAccessDeniedWithoutPrintingTheSecret() {
        String secret = "wrong-secret-d7f3a9c2e1";
        DataHttp.Response r = http.apply(CLOUDS + "badcreds", "apiVersion: core.mcp/v1\nkind: Cloud\nmetadata: {name: badcreds}\n"
                + "spec: {type: s3, endpoint: '" + f.s3a.endpoint() + "', region: us-east-1, accessKey: skyforge-local, "
                + "secretKey: " + secret + "}\n");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        JsonNode c = http.await(CLOUDS + "badcreds", ready("False"), WAIT);
        JsonNode cond = DataHttp.readyCondition(c);
        assertThat(cond.path("reason").asString()).isEqualTo("AccessDenied");
        assertThat(cond.path("message").asString()).contains("SF-ACCESS-DENIED");
        assertThat(c.toString()).doesNotContain(secret);
        assertThat(http.get("/actuator/prometheus").text()).contains("skyforge_cloud_up{cloud=\"badcreds\"} 0.0");
    }

    @Test
    void shouldMarkAnUnreachableCloudNotReadyAndKeepServing() {
        assertThat(http.apply(CLOUDS + "nowhere", "apiVersion: core.mcp/v1\nkind: Cloud\nmetadata: {name: nowhere}\n"
                + "spec: {type: s3, endpoint: 'http://127.0.0.1:9', region: us-east-1, accessKey: k, secretKey: s}\n")
                .status()).isEqualTo(201);
        JsonNode c = http.await(CLOUDS + "nowhere", ready("False"), WAIT);
        assertThat(DataHttp.readyCondition(c).path("reason").asString()).isEqualTo("Unreachable");
        assertThat(DataHttp.readyCondition(c).path("message").asString()).contains("SF-UNAVAILABLE");
        assertThat(http.get("/actuator/health").status()).isEqualTo(200);
        bucket("halfdown", "nowhere", "hd-n", "CLOUD_A", "hd-a", null);
        JsonNode lb = http.await(BUCKETS + "halfdown", n -> n.path("status").path("providers").size() == 2
                && n.path("status").path("providers").get(1).path("ready").asBoolean(), WAIT);
        assertThat(lb.path("status").path("providers").get(0).path("reason").asString()).isEqualTo("CloudNotReady");
        assertThat(http.put(object("team-d", "halfdown", "k"), new byte[] {1}).json().path("cloud").asString())
                .isEqualTo("CLOUD_A");
    }

    @Test
    void shouldKeepACloudWithAMissingVariableNotReady() {
        assertThat(http.apply(CLOUDS + "novar", "apiVersion: core.mcp/v1\nkind: Cloud\nmetadata: {name: novar}\n"
                + "spec: {type: s3, endpoint: 'http://127.0.0.1:9', accessKey: k, secretKey: '${SKYFORGE_IT_UNSET_VAR}'}\n")
                .status()).isEqualTo(201);
        JsonNode c = http.await(CLOUDS + "novar", n -> ready("False").test(n)
                && n.path("status").has("observedGeneration"), WAIT);
        assertThat(DataHttp.readyCondition(c).path("reason").asString()).isEqualTo("MissingVariable");
        assertThat(DataHttp.readyCondition(c).path("message").asString()).contains("SKYFORGE_IT_UNSET_VAR");
    }

    @Test
    void shouldRefuseAnUnknownProviderType() {
        DataHttp.Response r = http.apply(CLOUDS + "typo", "apiVersion: core.mcp/v1\nkind: Cloud\nmetadata: {name: typo}\n"
                + "spec: {type: s4, endpoint: 'http://127.0.0.1:9'}\n");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("SF-VALIDATION");
        assertThat(r.text()).contains("spec.type");
    }

    @Test
    void shouldEnforceResidencyAtApplyAndAcceptCloudsThatDoNotExistYet() {
        DataHttp.Response r = http.apply(BUCKETS + "eu-only", "apiVersion: storage.mcp/v1\nkind: LogicalBucket\n"
                + "metadata: {name: eu-only, namespace: team-d}\nspec:\n  providers:\n"
                + "    - {cloud: CLOUD_A, physicalId: eu-a}\n    - {cloud: CLOUD_B, physicalId: eu-b}\n"
                + "  residency: {allowed: [eu]}\n");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("SF-RESIDENCY");
        assertThat(r.text()).contains("Cloud CLOUD_B is in jurisdiction 'cn'", "spec.providers[1].cloud");
        assertThat(http.get(BUCKETS + "eu-only").status()).isEqualTo(404);

        DataHttp.Response later = http.apply(BUCKETS + "eu-later", "apiVersion: storage.mcp/v1\nkind: LogicalBucket\n"
                + "metadata: {name: eu-later, namespace: team-d}\nspec:\n  providers:\n"
                + "    - {cloud: CLOUD_A, physicalId: eu-later-a}\n    - {cloud: FUTURE, physicalId: eu-later-f}\n"
                + "  residency: {allowed: [eu]}\n");
        assertThat(later.status()).isEqualTo(201);
        JsonNode lb = http.await(BUCKETS + "eu-later", n -> n.path("status").path("providers").size() == 2, WAIT);
        assertThat(lb.path("status").path("providers").get(1).path("reason").asString()).isEqualTo("CloudNotFound");
    }

    @Test
    void shouldReportABucketNameTheBackendRejects() {
        bucket("badname", "CLOUD_A", "Not_A_Bucket", null, null, null);
        JsonNode lb = http.await(BUCKETS + "badname", n -> n.path("status").path("providers").size() == 1, WAIT);
        JsonNode p = lb.path("status").path("providers").get(0);
        assertThat(p.path("reason").asString()).isEqualTo("InvalidBucketName");
        assertThat(p.path("message").asString()).contains("SF-VALIDATION", "Not_A_Bucket");
        assertThat(DataHttp.readyCondition(lb).path("status").asString()).isEqualTo("False");
    }

    @Test
    void shouldRefuseBadKeysAndUnknownBuckets() {
        DataHttp.Response longKey = http.put(object("team-d", "mixed", "k".repeat(1025)), new byte[] {1});
        assertThat(longKey.status()).isEqualTo(400);
        assertThat(longKey.code()).isEqualTo("SF-INVALID-KEY");
        assertThat(longKey.text()).contains("at most 1024 bytes");
        DataHttp.Response missing = http.get(object("team-d", "nope", "k"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("SF-BUCKET-NOT-FOUND");
        assertThat(http.get(object("team-d", "mixed", "absent")).code()).isEqualTo("SF-NOT-FOUND");
    }

    @Test
    void shouldNeverLetATraversalKeyEscapeTheFilesystemRoot() throws Exception {
        bucket("fstrav", "LOCAL", "fstrav-l", null, null, null);
        http.await(BUCKETS + "fstrav", ready("True"), WAIT);
        for (String raw : List.of("a/%2e%2e/%2e%2e/%2e%2e/escaped.txt", "a/..%2f..%2f..%2fescaped.txt", "%2e%2e", "a/./b")) {
            DataHttp.Response r = http.send(http.request("/data/v1/namespaces/team-d/buckets/fstrav/objects/" + raw)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})));
            assertThat(r.status()).as(raw + " " + r.text()).isEqualTo(400);
            // An encoded '/' is refused by Tomcat's connector itself, before any servlet (and its error page) runs.
            if (!raw.contains("%2f")) {
                assertThat(r.code()).as(raw).isEqualTo("SF-INVALID-KEY");
            }
        }
        try (var walk = Files.walk(f.dir)) {
            assertThat(walk.filter(p -> p.getFileName().toString().startsWith("escaped")).toList()).isEmpty();
        }
    }

    @Test
    void shouldLeaveNoObjectWhenTheUploadEndsEarly() throws Exception {
        long before = http.get("/data/v1/journal?after=0&limit=10000").json().path("lastPosition").asLong();
        java.net.URI u = java.net.URI.create(http.base);
        String response;
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT " + object("team-d", "mixed", "truncated.bin") + " HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + http.token + "\r\nContent-Length: 20000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(random(9_000_000, 3));
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(response).startsWith("HTTP/1.1 400").contains("SF-INCOMPLETE-BODY", "9000000", "20000000");
        assertThat(http.get(object("team-d", "mixed", "truncated.bin")).code()).isEqualTo("SF-NOT-FOUND");
        assertThat(http.get("/data/v1/journal?after=" + before).json().path("items").toString()).doesNotContain("truncated.bin");
    }
}
