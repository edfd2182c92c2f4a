package io.skyforge.control.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.control.placement.PlacementDecision;
import io.skyforge.control.placement.PlacementExplainer;
import io.skyforge.control.placement.Placer;
import io.skyforge.control.resources.Admission;
import io.skyforge.control.resources.ResourceService;
import io.skyforge.control.store.JdbcResourceStore;
import io.skyforge.control.store.ResourceStore;
import io.skyforge.core.Manifests;
import io.skyforge.core.codec.Json;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.secret.EnvReferences;
import io.skyforge.core.secret.SecretCipher;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A DataJob applied without a cloud is placed on the cheaper allowed cloud, runs on the local
 * backend, and succeeds with its manifest; the decision is kept for `skyforge explain`.
 */
class DataJobControllerTest extends JobFixture {

    @TempDir
    Path storeDir;

    @Test
    void shouldPlaceRunAndCommitAJobFromApplyToSucceeded() throws Exception {
        try (JdbcResourceStore store = JdbcResourceStore.openDataDir(storeDir)) {
            ResourceService service = new ResourceService(store, SecretCipher.forDataDir(storeDir, null),
                    new Admission(EnvReferences.of(Map.of()), Clock.systemUTC()));
            String clouds = """
                    apiVersion: core.mcp/v1
                    kind: Cloud
                    metadata: {name: A, labels: {jurisdiction: eu}}
                    spec: {type: filesystem, compute: {type: local, slots: 2}, pricing: {cpuHour: 0.10, egressGb: 0.02}}
                    ---
                    apiVersion: core.mcp/v1
                    kind: Cloud
                    metadata: {name: B, labels: {jurisdiction: eu}}
                    spec: {type: filesystem, compute: {type: local, slots: 2}, pricing: {cpuHour: 0.01, egressGb: 0.02}}
                    ---
                    apiVersion: core.mcp/v1
                    kind: Cloud
                    metadata: {name: C, labels: {jurisdiction: us}}
                    spec: {type: filesystem, compute: {type: local, slots: 2}, pricing: {cpuHour: 0.001, egressGb: 0.02}}
                    """;
            for (Resource c : Manifests.read("clouds.yaml", clouds)) {
                Resource created = service.create(Kinds.CLOUD, null, c);
                var status = Json.MAPPER.createObjectNode();
                status.putArray("conditions").addObject().put("type", "Ready").put("status", "True").put("reason", "Probed");
                service.replaceStatus(Kinds.CLOUD, null, created.name(), status, null);
            }
            service.create(Kinds.DATASET, "default", dataset.withMetadata(dataset.metadata().withNamespace("default")));
            service.create(Kinds.LOGICAL_BUCKET, "default", Manifests.read("lb.yaml", "apiVersion: storage.mcp/v1\n"
                    + "kind: LogicalBucket\nmetadata: {name: out}\nspec: {primary: B, residency: {allowed: [eu]},"
                    + " providers: [{cloud: A, physicalId: bucket-a}, {cloud: B, physicalId: bucket-b}]}\n").get(0));
            Resource job = service.create(Kinds.DATA_JOB, "default", job("  parallelism: 2\n  priority: critical\n"
                    + "  placement: {policy: cheapest}\n"));

            JobRuntime live = new JobRuntime() {
                @Override
                public Optional<Resource> dataJob(String namespace, String name) {
                    return service.get(Kinds.DATA_JOB, namespace, name);
                }

                @Override
                public Optional<Resource> dataset(String namespace, String name) {
                    return service.get(Kinds.DATASET, namespace, name);
                }

                @Override
                public Optional<Resource> logicalBucket(String namespace, String name) {
                    return service.get(Kinds.LOGICAL_BUCKET, namespace, name);
                }

                @Override
                public io.skyforge.spi.storage.ObjectStore objectStore(String cloud) {
                    return runtime.objectStore(cloud);
                }
            };
            TaskQueue queue = new TaskQueue(store.dataSource(), Clock.systemUTC());
            PartitionRunner runner = new PartitionRunner(live, uploads, 1);
            try (DataJobController controller = new DataJobController(service, queue, runner, new Placer(), Clock.systemUTC(),
                    Duration.ofMillis(100));
                 LocalComputeBackend a = new LocalComputeBackend("A", 2, queue, runner, live, Duration.ofSeconds(10), "t");
                 LocalComputeBackend b = new LocalComputeBackend("B", 2, queue, runner, live, Duration.ofSeconds(10), "t");
                 LocalComputeBackend c = new LocalComputeBackend("C", 2, queue, runner, live, Duration.ofSeconds(10), "t")) {
                controller.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && !service.get(Kinds.DATA_JOB, "default", job.name()).orElseThrow()
                        .status().path("phase").asString().matches("Succeeded|Failed")) {
                    Thread.sleep(100);
                }
            }
            Resource done = service.get(Kinds.DATA_JOB, "default", job.name()).orElseThrow();
            JsonNode status = done.status();
            assertThat(status.path("phase").asString()).as(status.toString()).isEqualTo("Succeeded");
            assertThat(status.path("clouds").get(0).asString()).as("cheapest allowed cloud; C is outside the residency")
                    .isEqualTo("B");
            assertThat(status.path("partitions").path("succeeded").asInt()).isEqualTo(status.path("partitions").path("total").asInt());
            assertThat(status.path("rows").asLong()).isPositive();
            assertThat(status.path("history")).extracting(h -> h.path("phase").asString()).containsSubsequence("Running", "Succeeded");
            assertThat(runtime.objectStore("B").head("bucket-b", "shop/v1/_manifest.json")).isPresent();
            String explained = PlacementExplainer.render(PlacementDecision.fromJson(status.path("placement")));
            assertThat(explained).contains("A", "B", "C");
            assertThat(queue.tasks(done.metadata().uid())).allSatisfy(t -> assertThat(t.cloud()).isEqualTo("B"));
        }
    }

    /**
     * With many jobs stored, a pass looks only at the jobs a watch event named and the running ones;
     * every stored job is read only on the rare full pass. Reading them all on every pass once cost
     * a quarter of a core and most of the API's tail latency with 10,000 jobs stored.
     */
    @Test
    void shouldReadAllJobsOnlyOnFullPassesAndReactToNewJobsThroughTheWatch() throws Exception {
        try (JdbcResourceStore real = JdbcResourceStore.openDataDir(storeDir)) {
            AtomicInteger jobLists = new AtomicInteger();
            ResourceStore counting = (ResourceStore) Proxy.newProxyInstance(ResourceStore.class.getClassLoader(),
                    new Class<?>[] {ResourceStore.class}, (proxy, method, args) -> {
                        if (method.getName().equals("list") && args[0] == Kinds.DATA_JOB) {
                            jobLists.incrementAndGet();
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            ResourceService service = new ResourceService(counting, SecretCipher.forDataDir(storeDir, null),
                    new Admission(EnvReferences.of(Map.of()), Clock.systemUTC()));
            for (int i = 0; i < 50; i++) {
                service.create(Kinds.DATA_JOB, "default", containerJob("stored-" + i));
            }
            TaskQueue queue = new TaskQueue(real.dataSource(), Clock.systemUTC());
            try (DataJobController controller = new DataJobController(service, queue, new PartitionRunner(runtime, uploads, 1),
                    new Placer(), Clock.systemUTC(), Duration.ofMillis(10))) {
                controller.start();
                awaitPhase(service, "stored-49", "Pending");
                Thread.sleep(1000); // about 100 passes at a 10 ms interval
                assertThat(jobLists.get()).as("full passes in the first second, of ~100 passes").isLessThanOrEqualTo(2);

                service.create(Kinds.DATA_JOB, "default", containerJob("late"));
                awaitPhase(service, "late", "Pending");
                assertThat(jobLists.get()).as("a new job is found through the watch, not a full pass").isLessThanOrEqualTo(2);
            }
        }
    }

    private static Resource containerJob(String name) {
        return Manifests.read(name + ".yaml", "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: " + name
                + ", namespace: default}\nspec: {image: 'proc:v1', parallelism: 1}\n").get(0);
    }

    private static void awaitPhase(ResourceService service, String name, String phase) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !phase.equals(service.get(Kinds.DATA_JOB, "default", name)
                .map(j -> j.status().path("phase").asString("")).orElse(""))) {
            Thread.sleep(20);
        }
        assertThat(service.get(Kinds.DATA_JOB, "default", name).orElseThrow().status().path("phase").asString())
                .isEqualTo(phase);
    }
}
