package io.skyforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.codec.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** The REST API against a real server on a free port, run once per store backend (H2 and PostgreSQL). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractServerApiIT {

    static final String JOBS = "/apis/batch.mcp/v1/namespaces/default/datajobs";
    static final String DATASETS = "/apis/data.mcp/v1/namespaces/default/datasets";
    static final String CLOUDS = "/apis/core.mcp/v1/clouds";

    Path dataDir;

    SkyforgeServer server;
    Http http;

    /** null for the embedded H2. */
    abstract String dbUrl();

    @BeforeAll
    void start() throws Exception {
        dataDir = Files.createTempDirectory("skyforge-api-it");
        server = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dataDir, dbUrl(), null));
        http = new Http(server.url(), Files.readString(server.adminTokenFile()).strip());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        TestFiles.deleteRecursively(dataDir);
    }

    /**
     * A Dataset: the generic API tests below use a kind no controller writes, so a status write of
     * the DataJob controller can never slip between a test's read and its versioned update.
     */
    static String dataset(String name, String extraSpec) {
        return "apiVersion: data.mcp/v1\nkind: Dataset\nmetadata:\n  name: " + name
                + "\n  labels: {team: a}\nspec:\n  tables: [{name: t, rows: 1, columns: [{name: id, type: bigint,"
                + " generator: sequence}]}]\n" + extraSpec;
    }

    static String job(String name, String extraSpec) {
        return "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata:\n  name: " + name
                + "\n  labels: {team: a}\nspec:\n  image: proc:v1\n" + extraSpec;
    }

    @Test
    void shouldCreateGetListAndDeleteANamespacedResource() {
        Http.Response created = http.post(JOBS, job("crud", ""), "application/yaml");
        assertThat(created.status()).isEqualTo(201);
        JsonNode meta = created.json().path("metadata");
        assertThat(meta.path("uid").asString()).isNotEmpty();
        assertThat(meta.path("generation").asLong()).isEqualTo(1);
        assertThat(meta.path("namespace").asString()).isEqualTo("default");
        assertThat(created.json().path("status").path("phase").asString()).isEqualTo("Pending");

        Http.Response got = http.get(JOBS + "/crud");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().path("spec").path("image").asString()).isEqualTo("proc:v1");
        assertThat(http.get(JOBS).json().path("items")).extracting(n -> n.path("metadata").path("name").asString())
                .contains("crud");

        assertThat(http.delete(JOBS + "/crud").status()).isEqualTo(200);
        Http.Response gone = http.get(JOBS + "/crud");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.code()).isEqualTo("SF-NOT-FOUND");
        assertThat(gone.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
    }

    @Test
    void shouldServeCloudsClusterScopedAndNeverReturnTheirSecrets() throws Exception {
        Http.Response r = http.post(CLOUDS, "apiVersion: core.mcp/v1\nkind: Cloud\nmetadata: {name: CLOUD_S}\n"
                + "spec: {type: s3, endpoint: 'http://127.0.0.1:9', accessKey: AK, secretKey: hunter2}\n", "application/yaml");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body()).doesNotContain("hunter2");
        assertThat(http.get(CLOUDS + "/CLOUD_S").json().path("spec").path("secretKey").asString()).isEqualTo("******");
        // Stored encrypted, not in plain text: the raw store holds ciphertext.
        var stored = server.context().getBean(io.skyforge.control.store.ResourceStore.class)
                .get(io.skyforge.core.model.Kinds.CLOUD, null, "CLOUD_S").orElseThrow();
        assertThat(stored.spec().path("secretKey").asString()).startsWith("enc:v1:").doesNotContain("hunter2");
        // Re-applying what was read (with the redacted marker) keeps the secret.
        String echoed = http.get(CLOUDS + "/CLOUD_S").body();
        assertThat(http.put(CLOUDS + "/CLOUD_S", echoed).status()).isEqualTo(200);
        var again = server.context().getBean(io.skyforge.control.resources.ResourceService.class)
                .unsealed(server.context().getBean(io.skyforge.control.store.ResourceStore.class)
                        .get(io.skyforge.core.model.Kinds.CLOUD, null, "CLOUD_S").orElseThrow());
        assertThat(again.spec().path("secretKey").asString()).isEqualTo("hunter2");
        assertThat(http.get("/apis/core.mcp/v1/namespaces/default/clouds").status()).isEqualTo(404);
    }

    @Test
    void shouldRefuseAStaleResourceVersionWithConflict() {
        JsonNode created = http.post(DATASETS, dataset("stale", ""), "application/yaml").json();
        String rv = created.path("metadata").path("resourceVersion").asString();
        String update = dataset("stale", "  seed: 2\n") + "";
        String withRv = update.replace("  labels: {team: a}", "  labels: {team: a}\n  resourceVersion: '" + rv + "'");
        assertThat(http.post(DATASETS, dataset("other", ""), "application/yaml").status()).isEqualTo(201);
        Http.Response first = http.send(DATASETS + "/stale", withRv);
        assertThat(first.status()).isEqualTo(200);
        Http.Response second = http.send(DATASETS + "/stale", withRv.replace("seed: 2", "seed: 3"));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.code()).isEqualTo("SF-CONFLICT");
        assertThat(http.get(DATASETS + "/stale").json().path("spec").path("seed").asInt()).isEqualTo(2);
    }

    @Test
    void shouldLetExactlyOneOfTwoConcurrentUpdatesWithTheSameVersionWin() throws Exception {
        JsonNode created = http.post(DATASETS, dataset("race", ""), "application/yaml").json();
        String rv = created.path("metadata").path("resourceVersion").asString();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                String body = dataset("race", "  seed: " + i + "\n")
                        .replace("  labels: {team: a}", "  labels: {team: a}\n  resourceVersion: '" + rv + "'");
                Callable<Integer> c = () -> {
                    go.await();
                    return http.send(DATASETS + "/race", body).status();
                };
                results.add(pool.submit(c));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldBumpGenerationOnlyWhenTheSpecChanges() {
        http.post(JOBS, job("gen", ""), "application/yaml");
        assertThat(http.send(JOBS + "/gen", job("gen", "").replace("team: a", "team: b")).json()
                .path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(http.send(JOBS + "/gen", job("gen", "  parallelism: 4\n")).json()
                .path("metadata").path("generation").asLong()).isEqualTo(2);
    }

    @Test
    void shouldApplyAJsonMergePatch() {
        http.post(JOBS, job("patched", "  parallelism: 2\n"), "application/yaml");
        Http.Response r = http.patch(JOBS + "/patched", "{\"metadata\":{\"labels\":{\"team\":null,\"tier\":\"gold\"}},"
                + "\"spec\":{\"parallelism\":8}}", "application/merge-patch+json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("metadata").path("labels").path("tier").asString()).isEqualTo("gold");
        assertThat(r.json().path("metadata").path("labels").has("team")).isFalse();
        assertThat(r.json().path("spec").path("parallelism").asInt()).isEqualTo(8);
        assertThat(r.json().path("spec").path("image").asString()).isEqualTo("proc:v1");
        Http.Response bad = http.patch(JOBS + "/patched", "{\"spec\":{\"parallelism\":\"x\"}}", "application/merge-patch+json");
        assertThat(bad.status()).isEqualTo(422);
    }

    @Test
    void shouldChangeOnlyTheStatusThroughTheStatusSubresource() {
        http.post(DATASETS, dataset("st", ""), "application/yaml");
        Http.Response r = http.patch(DATASETS + "/st/status", "{\"status\":{\"phase\":\"Running\"}}", "application/merge-patch+json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("status").path("phase").asString()).isEqualTo("Running");
        assertThat(r.json().path("metadata").path("generation").asLong()).isEqualTo(1);
        // A spec replace keeps the status a controller wrote.
        Http.Response replaced = http.send(DATASETS + "/st", dataset("st", "  seed: 3\n"));
        assertThat(replaced.json().path("status").path("phase").asString()).isEqualTo("Running");
    }

    @Test
    void shouldSelectByLabelsAndPageWithContinueTokens() {
        for (int i = 0; i < 25; i++) {
            String body = "apiVersion: data.mcp/v1\nkind: Dataset\nmetadata:\n  name: ds-" + i + "\n  namespace: paging\n"
                    + "  labels: {parity: " + (i % 2 == 0 ? "even" : "odd") + "}\nspec:\n  tables: [{name: t, rows: 1,"
                    + " columns: [{name: id, type: bigint, generator: sequence}]}]\n";
            assertThat(http.post("/apis/data.mcp/v1/namespaces/paging/datasets", body, "application/yaml").status())
                    .as(body).isEqualTo(201);
        }
        List<String> names = new ArrayList<>();
        String cont = null;
        int pages = 0;
        do {
            String q = "?labelSelector=parity%3Deven&limit=5" + (cont == null ? "" : "&continue=" + cont);
            JsonNode page = http.get("/apis/data.mcp/v1/namespaces/paging/datasets" + q).json();
            page.path("items").forEach(n -> names.add(n.path("metadata").path("name").asString()));
            cont = page.path("metadata").path("continue").asString(null);
            pages++;
        } while (cont != null);
        assertThat(names).hasSize(13).doesNotHaveDuplicates().allMatch(n -> Integer.parseInt(n.substring(3)) % 2 == 0);
        assertThat(pages).isGreaterThanOrEqualTo(3);
        JsonNode notin = http.get("/apis/data.mcp/v1/namespaces/paging/datasets?labelSelector=parity%20notin%20(even)").json();
        assertThat(notin.path("items").size()).isEqualTo(12);
        assertThat(http.get("/api/v1/namespaces").body()).contains("\"paging\"").contains("\"default\"");
    }

    @Test
    void shouldStreamChangesAsServerSentEvents() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        var request = http.builder("/apis/data.mcp/v1/namespaces/watched/datasets?watch=true")
                .timeout(java.time.Duration.ofMinutes(2)).header("Accept", "text/event-stream").GET().build();
        HttpResponse<java.io.InputStream> resp = http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(resp.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> {
            try (BufferedReader br = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = br.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        events.add(line.substring(5).strip());
                    }
                }
            } catch (java.io.IOException e) {
                // the stream ends when the test closes it
            }
        });
        reader.setDaemon(true);
        reader.start();
        String ns = "/apis/data.mcp/v1/namespaces/watched/datasets";
        http.post(ns, dataset("w1", ""), "application/yaml");
        http.patch(ns + "/w1", "{\"spec\":{\"seed\":2}}", "application/merge-patch+json");
        http.delete(ns + "/w1");
        List<String> types = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String e = events.poll(20, TimeUnit.SECONDS);
            assertThat(e).as("event %d", i).isNotNull();
            JsonNode n = Json.MAPPER.readTree(e);
            assertThat(n.path("object").path("metadata").path("name").asString()).isEqualTo("w1");
            types.add(n.path("type").asString());
        }
        assertThat(types).containsExactly("ADDED", "MODIFIED", "DELETED");
        resp.body().close();
    }

    @Test
    void shouldAnswerHealthWithoutATokenAndEverythingElseOnlyWithOne() throws Exception {
        Http anonymous = http.withToken(null);
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        Http.Response denied = anonymous.get(JOBS);
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.code()).isEqualTo("SF-UNAUTHORIZED");
        assertThat(denied.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(http.withToken("sft_wrong").get(JOBS).status()).isEqualTo(401);
        assertThat(anonymous.get("/actuator/prometheus").status()).isEqualTo(401);
        Http.Response metrics = http.get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("skyforge_store_resource_version");
        assertThat(Files.getPosixFilePermissions(server.adminTokenFile()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String tokens = Files.readString(dataDir.resolve("tokens"));
        assertThat(tokens).doesNotContain(Files.readString(server.adminTokenFile()).strip());
    }
}
