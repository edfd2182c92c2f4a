package io.skyforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A {@code compute.type: worker} cloud that no worker process calls does not swallow jobs: its
 * {@code Workers} condition says {@code no live workers}, placement's capacity filter refuses it
 * with that reason (what {@code skyforge explain job} shows), the job waits queued — and is placed
 * as soon as a worker calls in. The test plays the worker over the worker API.
 */
class WorkerLivenessIT {

    static final List<String> PROPERTIES = List.of("skyforge.jobs.worker-timeout", "skyforge.cloud.probe-interval",
            "skyforge.jobs.reconcile-interval");

    @Test
    void shouldQueueAJobForAWorkerCloudWithoutLiveWorkersAndPlaceItWhenOneCallsIn() throws Exception {
        Path dir = Files.createTempDirectory("skyforge-worker-liveness");
        Path config = dir.resolve("skyforge.yaml");
        Files.writeString(config, """
                storage_providers:
                  - name: fleet
                    type: filesystem
                    root: %s
                    compute: {type: worker, slots: 2}
                """.formatted(dir.resolve("fleet")));
        System.setProperty("skyforge.jobs.worker-timeout", "2s");
        System.setProperty("skyforge.cloud.probe-interval", "1s");
        System.setProperty("skyforge.jobs.reconcile-interval", "100ms");
        try (SkyforgeServer server = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dir.resolve("data"), null, config))) {
            Http http = new Http(server.url(), Files.readString(server.adminTokenFile()).strip());
            await(() -> workers(http).path("status").asString().equals("False"), () -> cloud(http).toString());
            assertThat(workers(http).path("reason").asString()).isEqualTo("NoLiveWorkers");
            assertThat(workers(http).path("message").asString())
                    .startsWith("no live workers (none has called this control plane yet)")
                    .contains("skyforge worker --cloud fleet");

            String dataset = Files.readString(Path.of("..", "examples", "datasets", "shop.yaml")).replace("namespace: demo",
                    "namespace: default");
            assertThat(http.post("/apis/data.mcp/v1/namespaces/default/datasets", dataset, "application/yaml").status())
                    .isEqualTo(201);
            assertThat(http.post("/apis/storage.mcp/v1/namespaces/default/logicalbuckets", """
                    apiVersion: storage.mcp/v1
                    kind: LogicalBucket
                    metadata: {name: out}
                    spec: {providers: [{cloud: fleet, physicalId: out}]}
                    """, "application/yaml").status()).isEqualTo(201);
            assertThat(http.post("/apis/batch.mcp/v1/namespaces/default/datajobs", """
                    apiVersion: batch.mcp/v1
                    kind: DataJob
                    metadata: {name: waits}
                    spec:
                      generate: {dataset: shop}
                      output: {bucket: out, prefix: waits, format: csv}
                      parallelism: 2
                    """, "application/yaml").status()).isEqualTo(201);
            await(() -> job(http).path("status").path("placement").path("outcome").asString().equals("QUEUED"),
                    () -> job(http).toString());
            JsonNode status = job(http).path("status");
            assertThat(status.path("phase").asString()).isEqualTo("Pending");
            assertThat(status.path("placement").path("reason").asString())
                    .startsWith("queued: no allowed cloud can take a task now (fleet: no live workers");
            JsonNode capacity = null;
            for (JsonNode f : status.path("placement").path("candidates").get(0).path("filters")) {
                if (f.path("filter").asString().equals("capacity")) {
                    capacity = f;
                }
            }
            assertThat(capacity).isNotNull();
            assertThat(capacity.path("passed").asBoolean()).isFalse();
            assertThat(capacity.path("reason").asString()).startsWith("no live workers (");
            // What `skyforge explain job waits` prints from the stored decision.
            assertThat(io.skyforge.control.placement.PlacementExplainer.render(
                    io.skyforge.control.placement.PlacementDecision.fromJson(status.path("placement"))))
                    .containsPattern("capacity\\s+FAIL\\s+no live workers \\(none has called this control plane yet\\)");

            // A worker calls in: the cloud has live workers again and the job is placed without waiting for a full pass.
            long calledAt = System.nanoTime();
            assertThat(http.post("/tasks/v1/claims", "{\"cloud\":\"fleet\",\"owner\":\"worker-x\"}", "application/json")
                    .json().path("outcome").asString()).isEqualTo("NONE");
            await(() -> job(http).path("status").path("phase").asString().equals("Running"), () -> job(http).toString());
            assertThat(Duration.ofNanos(System.nanoTime() - calledAt)).as("placed at once, not at the next 10 s full pass")
                    .isLessThan(Duration.ofSeconds(8));
            assertThat(workers(http).path("status").asString()).isEqualTo("True");
            assertThat(workers(http).path("message").asString()).isEqualTo("1 live worker(s): worker-x");
            assertThat(http.post("/tasks/v1/claims", "{\"cloud\":\"fleet\",\"owner\":\"worker-x\"}", "application/json")
                    .json().path("outcome").asString()).isEqualTo("CLAIMED");

            // Then it falls silent: the verdict names who was last seen.
            await(() -> workers(http).path("status").asString().equals("False"), () -> cloud(http).toString());
            assertThat(workers(http).path("message").asString()).startsWith("no live workers (last seen: worker-x at ");
        } finally {
            PROPERTIES.forEach(System::clearProperty);
            TestFiles.deleteRecursively(dir);
        }
    }

    static JsonNode cloud(Http http) {
        return http.get("/apis/core.mcp/v1/clouds/fleet").json();
    }

    static JsonNode workers(Http http) {
        for (JsonNode c : cloud(http).path("status").path("conditions")) {
            if (c.path("type").asString().equals("Workers")) {
                return c;
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    static JsonNode job(Http http) {
        return http.get("/apis/batch.mcp/v1/namespaces/default/datajobs/waits").json();
    }

    static void await(BooleanSupplier done, Supplier<String> why) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(why.get()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
