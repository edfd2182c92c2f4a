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
import io.skyforge.core.model.ComputeSpec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.secret.EnvReferences;
import io.skyforge.core.secret.SecretCipher;
import io.skyforge.core.select.LabelSelector;
import io.skyforge.spi.storage.ObjectStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The DataJob controller against a real store and real filesystem clouds: a job applied without a
 * cloud is placed on the cheaper allowed cloud, handed to that cloud's compute backend, and
 * committed; tasks stuck on a cloud that stops being Ready move to a healthy one; a backend is
 * told about every dispatch and release.
 */
class DataJobControllerTest extends JobFixture {

    static final String CLOUDS = """
            apiVersion: core.mcp/v1
            kind: Cloud
            metadata: {name: A, labels: {jurisdiction: eu}}
            spec: {type: filesystem, compute: {type: local, slots: 2}, pricing: {cpuHour: 0.10, egressGb: 0.02}}
            ---
            apiVersion: core.mcp/v1
            kind: Cloud
            metadata: {name: B, labels: {jurisdiction: eu}}
            spec: {type: filesystem, compute: {type: %s, slots: 2}, pricing: {cpuHour: 0.01, egressGb: 0.02}}
            ---
            apiVersion: core.mcp/v1
            kind: Cloud
            metadata: {name: C, labels: {jurisdiction: us}}
            spec: {type: filesystem, compute: {type: local, slots: 2}, pricing: {cpuHour: 0.001, egressGb: 0.02}}
            """;

    @TempDir
    Path storeDir;

    JdbcResourceStore store;
    /** How often the controller listed every DataJob: once per full pass. */
    final AtomicInteger jobLists = new AtomicInteger();
    ResourceService service;
    TaskQueue queue;
    PartitionRunner runner;
    QueueLeases leases;
    JobRuntime live;
    final List<ComputeBackendFactory> factories = new ArrayList<>(List.of(new LocalComputeBackend.Factory(),
            new WorkerComputeBackend.Factory()));

    @BeforeEach
    void openControlPlane() {
        store = JdbcResourceStore.openDataDir(storeDir);
        service = new ResourceService(countingJobLists(store, jobLists), SecretCipher.forDataDir(storeDir, null),
                new Admission(EnvReferences.of(Map.of()), Clock.systemUTC()));
        live = new JobRuntime() {
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
            public ObjectStore objectStore(String cloud) {
                return runtime.objectStore(cloud);
            }
        };
        queue = new TaskQueue(store.dataSource(), Clock.systemUTC());
        runner = new PartitionRunner(live, uploads, 1);
        leases = new QueueLeases(queue, live, Duration.ofSeconds(10), new RetryBackoff(Duration.ofMillis(100),
                Duration.ofSeconds(1)), Clock.systemUTC());
    }

    @AfterEach
    void closeControlPlane() {
        store.close();
    }

    /** Clouds A, B (B's compute of the given type) and C, all Ready; the shop dataset; bucket `out` on A and B, EU only. */
    void applyWorld(String computeOfB) {
        for (Resource c : Manifests.read("clouds.yaml", CLOUDS.formatted(computeOfB))) {
            service.create(Kinds.CLOUD, null, c);
            setReady(c.name(), true);
        }
        service.create(Kinds.DATASET, "default", dataset.withMetadata(dataset.metadata().withNamespace("default")));
        service.create(Kinds.LOGICAL_BUCKET, "default", Manifests.read("lb.yaml", "apiVersion: storage.mcp/v1\n"
                + "kind: LogicalBucket\nmetadata: {name: out}\nspec: {primary: B, residency: {allowed: [eu]},"
                + " providers: [{cloud: A, physicalId: bucket-a}, {cloud: B, physicalId: bucket-b}]}\n").get(0));
    }

    void setReady(String cloud, boolean ready) {
        var status = Json.MAPPER.createObjectNode();
        status.putArray("conditions").addObject().put("type", "Ready").put("status", ready ? "True" : "False")
                .put("reason", ready ? "Probed" : "ProbeFailed").put("message", ready ? "ok" : "connection refused");
        service.replaceStatus(Kinds.CLOUD, null, cloud, status, null);
    }

    ComputeBackends backends() {
        ComputeBackends b = new ComputeBackends(factories, new ComputeContext(leases, queue, runner, live, "t", null),
                () -> service.list(Kinds.CLOUD, null, LabelSelector.EVERYTHING, 0, null).items());
        b.refresh();
        return b;
    }

    DataJobController controller(ComputeBackends backends) {
        return new DataJobController(service, queue, runner, new Placer(), backends, Clock.systemUTC(), Duration.ofMillis(100));
    }

    Resource awaitJob(String name, Predicate<Resource> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Resource job = service.get(Kinds.DATA_JOB, "default", name).orElseThrow();
        while (System.nanoTime() < deadline && !done.test(job)) {
            Thread.sleep(50);
            job = service.get(Kinds.DATA_JOB, "default", name).orElseThrow();
        }
        return job;
    }

    static boolean finished(Resource job) {
        return job.status().path("phase").asString().matches("Succeeded|Failed");
    }

    @Test
    void shouldPlaceRunAndCommitAJobFromApplyToSucceeded() throws Exception {
        applyWorld("local");
        Resource job = service.create(Kinds.DATA_JOB, "default", job("  parallelism: 2\n  priority: critical\n"
                + "  placement: {policy: cheapest}\n"));
        try (ComputeBackends backends = backends(); DataJobController controller = controller(backends)) {
            controller.start();
            job = awaitJob(job.name(), DataJobControllerTest::finished);
        }
        JsonNode status = job.status();
        assertThat(status.path("phase").asString()).as(status.toString()).isEqualTo("Succeeded");
        assertThat(status.path("clouds").get(0).asString()).as("cheapest allowed cloud; C is outside the residency")
                .isEqualTo("B");
        assertThat(status.path("partitions").path("succeeded").asInt()).isEqualTo(status.path("partitions").path("total").asInt());
        assertThat(status.path("rows").asLong()).isPositive();
        assertThat(status.path("history")).extracting(h -> h.path("phase").asString()).containsSubsequence("Running", "Succeeded");
        assertThat(status.path("conditions")).anySatisfy(c -> {
            assertThat(c.path("type").asString()).isEqualTo("Dispatched");
            assertThat(c.path("status").asString()).isEqualTo("True");
        });
        assertThat(runtime.objectStore("B").head("bucket-b", "shop/v1/_manifest.json")).isPresent();
        String explained = PlacementExplainer.render(PlacementDecision.fromJson(status.path("placement")));
        assertThat(explained).contains("A", "B", "C");
        assertThat(queue.tasks(job.metadata().uid())).allSatisfy(t -> assertThat(t.cloud()).isEqualTo("B"));
    }

    @Test
    void shouldMoveTasksOffACloudThatStopsBeingReadyToTheBestHealthyOne() throws Exception {
        // B (cheapest in the EU) gets the job, but its compute is worker processes and none runs: the
        // tasks wait there. When B's probe fails, they move to A, whose in-process workers finish them.
        applyWorld("worker");
        Resource job = service.create(Kinds.DATA_JOB, "default", job("  parallelism: 2\n  placement: {policy: cheapest}\n"));
        try (ComputeBackends backends = backends(); DataJobController controller = controller(backends)) {
            controller.start();
            awaitJob(job.name(), j -> j.status().path("phase").asString().equals("Running"));
            assertThat(queue.tasks(job.metadata().uid())).allSatisfy(t -> assertThat(t.cloud()).isEqualTo("B"));
            setReady("B", false);
            job = awaitJob(job.name(), DataJobControllerTest::finished);
        }
        JsonNode status = job.status();
        assertThat(status.path("phase").asString()).as(status.toString()).isEqualTo("Succeeded");
        assertThat(queue.tasks(job.metadata().uid())).allSatisfy(t -> {
            assertThat(t.cloud()).isEqualTo("A");
            assertThat(t.attempts()).isEqualTo(1);
        });
        assertThat(status.path("clouds")).extracting(JsonNode::asString).containsExactly("B", "A");
        assertThat(status.path("history")).anySatisfy(h -> assertThat(h.path("message").asString())
                .contains("8 partition(s) moved from cloud B to A: it is not Ready (ProbeFailed (connection refused))"));
        assertThat(runtime.objectStore("A").head("bucket-a", "shop/v1/_manifest.json")).as("manifest on the copy that got the parts")
                .isPresent();
    }

    @Test
    void shouldGenerateAgainElsewhereTheFinishedPartsOfACloudThatStaysDownAndCommit() throws Exception {
        // B (cheapest) gets the job; its compute is worker processes, played here by hand: 7 of 8 parts are written
        // there. Then B goes away for good — its storage gone, not Ready for an hour. Its parts could never get their
        // manifest, so they are generated again on A (with the partition B never ran), and the job commits on A.
        applyWorld("worker");
        Resource job = service.create(Kinds.DATA_JOB, "default", job("  parallelism: 2\n  placement: {policy: cheapest}\n"));
        ScheduledExecutorService beats = TaskWorker.heartbeatScheduler();
        try (ComputeBackends backends = backends(); DataJobController controller = new DataJobController(service, queue, runner,
                new Placer(), backends, Clock.systemUTC(), Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofMinutes(1))) {
            controller.start();
            awaitJob(job.name(), j -> j.status().path("phase").asString().equals("Running"));
            String uid = job.metadata().uid();
            int total = queue.tasks(uid).size();
            TaskWorker hand = new TaskWorker(leases, runner, live, "B", "hand", beats);
            while (queue.summary(uid).get(PartitionTask.State.SUCCEEDED) < total - 1) {
                assertThat(hand.runOnce()).isTrue();
            }
            try (var files = java.nio.file.Files.walk(root.resolve("B"))) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            var status = Json.MAPPER.createObjectNode();
            status.putArray("conditions").addObject().put("type", "Ready").put("status", "False").put("reason", "Unreachable")
                    .put("message", "connection refused")
                    .put("lastTransitionTime", java.time.Instant.now().minus(Duration.ofHours(1)).truncatedTo(
                            java.time.temporal.ChronoUnit.SECONDS).toString());
            service.replaceStatus(Kinds.CLOUD, null, "B", status, null);
            job = awaitJob(job.name(), DataJobControllerTest::finished);
        } finally {
            beats.shutdownNow();
        }
        JsonNode status = job.status();
        assertThat(status.path("phase").asString()).as(status.toString()).isEqualTo("Succeeded");
        assertThat(queue.tasks(job.metadata().uid())).allSatisfy(t -> {
            assertThat(t.cloud()).isEqualTo("A");
            assertThat(t.result()).contains("\"cloud\":\"A\"");
        });
        assertThat(status.path("history")).anySatisfy(h -> assertThat(h.path("message").asString())
                .matches("7 finished partition\\(s\\) to generate again on cloud A: their parts are on cloud B, and it has not"
                        + " been Ready since .* \\(1 min allowed, skyforge.jobs.lost-cloud-after\\)"));
        assertThat(runtime.objectStore("A").head("bucket-a", "shop/v1/_manifest.json")).isPresent();
    }

    @Test
    void shouldDispatchToAndReleaseFromTheBackendOfTheCloudsCompute() throws Exception {
        // A stand-in for the Kubernetes backend: like an Indexed Job, it runs one worker per dispatched
        // index, each claiming exactly its partition (`skyforge worker --job NS/NAME --index K`).
        List<ComputeBackend.Dispatch> dispatches = new CopyOnWriteArrayList<>();
        List<String> releases = new CopyOnWriteArrayList<>();
        ExecutorService pods = Executors.newCachedThreadPool();
        ScheduledExecutorService beats = TaskWorker.heartbeatScheduler();
        factories.add(new ComputeBackendFactory() {
            @Override
            public String type() {
                return "kubernetes";
            }

            @Override
            public ComputeBackend create(String cloud, ComputeSpec compute, ComputeContext context) {
                return new ComputeBackend() {
                    @Override
                    public void dispatched(Dispatch d) {
                        dispatches.add(d);
                        for (int index : d.indexes()) {
                            pods.submit(() -> {
                                TaskWorker pod = new TaskWorker(context.leases(), context.runner(), context.runtime(), cloud,
                                        "pod-" + index, beats);
                                TaskLeases.ClaimAnswer a = context.leases().claim(cloud, pod.owner(), d.job().namespace(),
                                        d.job().name(), index);
                                if (a.outcome() == TaskLeases.Outcome.CLAIMED) {
                                    pod.run(a.claim());
                                }
                            });
                        }
                    }

                    @Override
                    public void released(JobRef job, String reason) {
                        releases.add(job + " " + reason);
                    }

                    @Override
                    public void close() {
                        pods.shutdownNow();
                        beats.shutdownNow();
                    }
                };
            }
        });
        applyWorld("kubernetes");
        Resource job = service.create(Kinds.DATA_JOB, "default", job("  parallelism: 3\n  resources: {cpu: 2, memory: 4Gi}\n"
                + "  placement: {policy: cheapest}\n"));
        try (ComputeBackends backends = backends(); DataJobController controller = controller(backends)) {
            controller.start();
            job = awaitJob(job.name(), j -> finished(j) && !releases.isEmpty());
        }
        assertThat(job.status().path("phase").asString()).as(job.status().toString()).isEqualTo("Succeeded");
        int tasks = job.status().path("partitions").path("total").asInt();
        assertThat(dispatches).hasSize(1);
        ComputeBackend.Dispatch d = dispatches.get(0);
        assertThat(d.job()).isEqualTo(new ComputeBackend.JobRef("default", "shop-job", job.metadata().uid()));
        assertThat(d.cloud()).isEqualTo("B");
        assertThat(d.tasks()).isEqualTo(tasks);
        assertThat(d.indexes()).hasSize(tasks).startsWith(0, 1, 2);
        assertThat(d.resources().cpu()).isEqualTo("2");
        assertThat(d.resources().memory()).isEqualTo("4Gi");
        assertThat(d.image()).isNull();
        assertThat(releases).containsExactly("default/shop-job the job succeeded");
        assertThat(queue.tasks(job.metadata().uid())).allSatisfy(t -> assertThat(t.leaseOwner()).isEqualTo("pod-" + t.index()));
    }

    /**
     * A running job's status is written when a partition finishes, not on every pass: its rate and
     * ETA used to be recomputed from the clock each pass, so the job was rewritten five times a
     * second (store row, watch event) for as long as it ran.
     */
    @Test
    void shouldLeaveARunningJobsStatusAloneWhileNoPartitionFinishes() throws Exception {
        ReportingBackend k8s = new ReportingBackend();
        factories.add(k8s);
        applyWorld("kubernetes");
        Resource job = service.create(Kinds.DATA_JOB, "default", job("  parallelism: 3\n  placement: {policy: cheapest}\n"));
        try (ComputeBackends backends = backends(); DataJobController controller = new DataJobController(service, queue, runner,
                new Placer(), backends, Clock.systemUTC(), Duration.ofMillis(10))) {
            controller.start();
            job = awaitJob(job.name(), j -> !k8s.dispatches.isEmpty() && j.status().path("phase").asString().equals("Running"));
            // one partition finishes by hand; nothing runs the others
            TaskLeases.Claim claim = leases.claim("B", "by-hand").orElseThrow();
            leases.succeed(claim.task().lease(), "{\"rows\": 1000, \"bytes\": 5000}");
            job = awaitJob(job.name(), j -> j.status().path("partitions").path("succeeded").asInt() == 1
                    && j.status().has("rowsPerSecond"));
            Thread.sleep(1000); // about 100 passes at a 10 ms interval
            Resource later = service.get(Kinds.DATA_JOB, "default", job.name()).orElseThrow();
            assertThat(later.status().path("phase").asString()).isEqualTo("Running");
            assertThat(later.metadata().resourceVersion()).as("no status write while no partition finished")
                    .isEqualTo(job.metadata().resourceVersion());
        }
    }

    /** A kubernetes backend as the controller sees it: it records dispatches and reports what the test says. */
    final class ReportingBackend implements ComputeBackendFactory {
        final List<ComputeBackend.Dispatch> dispatches = new CopyOnWriteArrayList<>();
        final List<String> releases = new CopyOnWriteArrayList<>();
        volatile ComputeBackend.Report report = ComputeBackend.Report.NONE;

        @Override
        public String type() {
            return "kubernetes";
        }

        @Override
        public ComputeBackend create(String cloud, ComputeSpec compute, ComputeContext context) {
            return new ComputeBackend() {
                @Override
                public void dispatched(Dispatch d) {
                    dispatches.add(d);
                }

                @Override
                public void released(JobRef job, String reason) {
                    releases.add(job + " " + reason);
                }

                @Override
                public Report report(JobRef job) {
                    return report;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void shouldRunAContainerJobOnKubernetesComputeUntilItsBackendReportsEveryIndexDone() throws Exception {
        ReportingBackend kube = new ReportingBackend();
        factories.add(kube);
        applyWorld("kubernetes");
        Resource job = service.create(Kinds.DATA_JOB, "default", Manifests.read("job.yaml", "apiVersion: batch.mcp/v1\n"
                + "kind: DataJob\nmetadata: {name: clean, namespace: default}\nspec: {image: 'proc:v1', parallelism: 3}\n").get(0));
        String uid = job.metadata().uid();
        try (ComputeBackends backends = backends(); DataJobController controller = controller(backends)) {
            controller.reconcileAll();
            job = service.get(Kinds.DATA_JOB, "default", "clean").orElseThrow();
            assertThat(job.status().path("phase").asString()).as(job.status().toString()).isEqualTo("Running");
            assertThat(kube.dispatches).hasSize(1);
            assertThat(kube.dispatches.get(0).cloud()).isEqualTo("B");
            assertThat(kube.dispatches.get(0).image()).isEqualTo("proc:v1");
            assertThat(kube.dispatches.get(0).indexes()).containsExactly(0, 1, 2);
            assertThat(queue.tasks(uid)).allSatisfy(t -> {
                assertThat(t.state()).isEqualTo(PartitionTask.State.RUNNING);
                assertThat(t.leaseOwner()).as("held for the Kubernetes Job").isEqualTo("kubernetes/B");
            });
            assertThat(queue.claim("B", "a-worker", Duration.ofSeconds(10))).as("no worker takes a container task").isEmpty();

            kube.report = new ComputeBackend.Report(List.of(0, 2), null, new io.skyforge.spi.error.SkyforgeException(
                    io.skyforge.spi.error.ErrorCode.UNAVAILABLE, "Cloud B: cannot reach the Kubernetes API server"));
            controller.reconcileAll();
            job = service.get(Kinds.DATA_JOB, "default", "clean").orElseThrow();
            assertThat(job.status().path("partitions").path("succeeded").asInt()).isEqualTo(2);
            assertThat(condition(job, "Dispatched")).isEqualTo("False SF-UNAVAILABLE: Cloud B: cannot reach the Kubernetes API server");

            kube.report = new ComputeBackend.Report(List.of(0, 1, 2), null, null);
            controller.reconcileAll();
            controller.reconcileAll();
            job = service.get(Kinds.DATA_JOB, "default", "clean").orElseThrow();
        }
        assertThat(job.status().path("phase").asString()).as(job.status().toString()).isEqualTo("Succeeded");
        assertThat(condition(job, "Complete")).isEqualTo("True AllIndexesCompleted: all 3 partitions' pods completed");
        assertThat(condition(job, "Dispatched")).startsWith("True Dispatched");
        assertThat(job.status().has("manifest")).as("nothing is committed for a container job").isFalse();
        assertThat(kube.releases).containsExactly("default/clean the job succeeded");
    }

    @Test
    void shouldFailAContainerJobWhenItsBackendReportsTheJobCannotFinish() {
        ReportingBackend kube = new ReportingBackend();
        factories.add(kube);
        applyWorld("kubernetes");
        Resource job = service.create(Kinds.DATA_JOB, "default", Manifests.read("job.yaml", "apiVersion: batch.mcp/v1\n"
                + "kind: DataJob\nmetadata: {name: crash, namespace: default}\nspec: {image: 'proc:v1', parallelism: 2}\n").get(0));
        try (ComputeBackends backends = backends(); DataJobController controller = controller(backends)) {
            controller.reconcileAll();
            kube.report = new ComputeBackend.Report(List.of(1), "Kubernetes Job x failed: BackoffLimitExceeded", null);
            controller.reconcileAll();
            job = service.get(Kinds.DATA_JOB, "default", "crash").orElseThrow();
        }
        assertThat(job.status().path("phase").asString()).isEqualTo("Failed");
        assertThat(condition(job, "Failed")).isEqualTo("True ComputeFailed: Kubernetes Job x failed: BackoffLimitExceeded");
        assertThat(kube.releases).containsExactly("default/crash the job failed");
        assertThat(queue.runningByCloud()).as("a failed container job is no load").doesNotContainKey("B");
    }

    @Test
    void shouldTellABackendRebuiltForAChangedComputeSpecAboutTheJobsStillRunningThere() {
        ReportingBackend kube = new ReportingBackend();
        factories.add(kube);
        applyWorld("kubernetes");
        try (ComputeBackends backends = backends()) {
            ComputeBackend.JobRef running = new ComputeBackend.JobRef("default", "running", "uid-running");
            ComputeBackend.JobRef done = new ComputeBackend.JobRef("default", "done", "uid-done");
            backends.dispatched(new ComputeBackend.Dispatch(running, "B", List.of(0, 1), 2, null, "proc:v1"));
            backends.dispatched(new ComputeBackend.Dispatch(done, "B", List.of(0), 1, null, "proc:v1"));
            backends.released(done, List.of("B"), "the job succeeded");

            Resource b = service.get(Kinds.CLOUD, null, "B").orElseThrow();
            tools.jackson.databind.node.ObjectNode spec = b.spec().deepCopy();
            ((tools.jackson.databind.node.ObjectNode) spec.get("compute")).put("slots", 5);
            service.replace(Kinds.CLOUD, null, "B", b.withSpec(spec));
            backends.refresh();
        }
        assertThat(kube.dispatches).extracting(d -> d.job().uid()).as("only the running job is told again")
                .containsExactly("uid-running", "uid-done", "uid-running");
    }

    @Test
    void shouldSayWhichCloudHasNoUsableComputeBackendAndKeepTheTasksWaiting() throws Exception {
        applyWorld("kubernetes"); // no kubernetes factory in this control plane
        Resource job = service.create(Kinds.DATA_JOB, "default", job("  placement: {policy: cheapest}\n"));
        try (ComputeBackends backends = backends(); DataJobController controller = controller(backends)) {
            controller.reconcileAll();
            job = service.get(Kinds.DATA_JOB, "default", job.name()).orElseThrow();
        }
        assertThat(job.status().path("phase").asString()).isEqualTo("Running");
        assertThat(job.status().path("conditions")).anySatisfy(c -> {
            assertThat(c.path("type").asString()).isEqualTo("Dispatched");
            assertThat(c.path("status").asString()).isEqualTo("False");
            assertThat(c.path("reason").asString()).isEqualTo("NoComputeBackend");
            assertThat(c.path("message").asString()).contains("cloud B has compute type kubernetes, but this control plane"
                    + " has no backend for it (it has local, worker)", "the tasks wait in the queue");
        });
        assertThat(queue.summary(job.metadata().uid()).get(PartitionTask.State.PENDING)).isPositive();
    }

    /** The condition of a type in a job's status, as "status reason: message". */
    static String condition(Resource job, String type) {
        for (JsonNode c : job.status().path("conditions")) {
            if (c.path("type").asString().equals(type)) {
                return c.path("status").asString() + " " + c.path("reason").asString() + ": " + c.path("message").asString();
            }
        }
        return "none";
    }

    Resource reconciled(String jobSpec) {
        Resource job = service.create(Kinds.DATA_JOB, "default", Manifests.read("job.yaml", "apiVersion: batch.mcp/v1\n"
                + "kind: DataJob\nmetadata: {name: bad, namespace: default}\nspec:\n" + jobSpec).get(0));
        try (ComputeBackends backends = backends(); DataJobController controller = controller(backends)) {
            controller.reconcileAll();
        }
        Resource after = service.get(Kinds.DATA_JOB, "default", job.name()).orElseThrow();
        service.delete(Kinds.DATA_JOB, "default", job.name(), null);
        return after;
    }

    @Test
    void shouldKeepAJobNamingAMissingDatasetBucketOrCloudPendingAndSayWhy() {
        applyWorld("local");
        Resource noDataset = reconciled("  generate: {dataset: nope}\n  output: {bucket: out}\n");
        assertThat(noDataset.status().path("phase").asString()).isEqualTo("Pending");
        assertThat(condition(noDataset, "Ready")).isEqualTo("False InvalidReference: DataJob default/bad names Dataset"
                + " default/nope, which does not exist");

        Resource noBucket = reconciled("  generate: {dataset: shop}\n  output: {bucket: gone}\n");
        assertThat(noBucket.status().path("phase").asString()).isEqualTo("Pending");
        assertThat(condition(noBucket, "Ready")).isEqualTo("False InvalidReference: DataJob default/bad writes to"
                + " LogicalBucket default/gone, which does not exist");

        Resource noCloud = reconciled("  cloud: Bee\n  generate: {dataset: shop}\n  output: {bucket: out}\n");
        assertThat(noCloud.status().path("phase").asString()).isEqualTo("Pending");
        assertThat(condition(noCloud, "Placed")).startsWith("False SF-NOT-FOUND: job default/bad: spec.cloud names cloud"
                + " 'Bee', which does not exist").contains("clouds: A, B, C");
        assertThat(queue.jobUids()).as("nothing was dispatched").isEmpty();
    }

    @Test
    void shouldNotDispatchAContainerJobWhenNoCloudHasKubernetesCompute() {
        applyWorld("local");
        Resource container = reconciled("  image: data-processor:v1\n  resources: {cpu: 2, memory: 4Gi}\n");
        assertThat(container.status().path("phase").asString()).isEqualTo("Pending");
        assertThat(condition(container, "Placed")).isEqualTo("False UNSCHEDULABLE: no cloud can run the job: container jobs"
                + " (spec.image) need a cloud with kubernetes compute, and none has it");
        assertThat(PlacementExplainer.render(PlacementDecision.fromJson(container.status().path("placement"))))
                .contains("job-type   FAIL  container jobs (spec.image) run only on kubernetes compute; this cloud has local");
        assertThat(queue.jobUids()).isEmpty();
    }

    /** The store, counting the lists of every DataJob (what a full pass does) in {@code lists}. */
    static ResourceStore countingJobLists(ResourceStore real, AtomicInteger lists) {
        return (ResourceStore) Proxy.newProxyInstance(ResourceStore.class.getClassLoader(), new Class<?>[] {ResourceStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("list") && args[0] == Kinds.DATA_JOB) {
                        lists.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * A generation job applied to a running controller is placed, run and committed by the passes
     * its events and its finished tasks ask for, without waiting for a full pass —
     * also when its status write's watch event overtakes the pass that placed it.
     */
    @Test
    void shouldCarryANewJobToSucceededWithoutWaitingForAFullPass() throws Exception {
        applyWorld("local");
        // Full passes ten minutes apart: one during the job could only be the first, however slow the machine.
        try (ComputeBackends backends = backends(); DataJobController controller = new DataJobController(service, queue, runner,
                new Placer(), backends, Clock.systemUTC(), Duration.ofMillis(100), Duration.ofMinutes(10))) {
            leases.onTaskFinished(controller::requestPass);
            controller.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (jobLists.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            int fullPasses = jobLists.get();
            assertThat(fullPasses).as("the first pass is a full one").isEqualTo(1);
            Resource job = service.create(Kinds.DATA_JOB, "default", job("  placement: {policy: cheapest}\n"));
            job = awaitJob(job.name(), DataJobControllerTest::finished);
            assertThat(job.status().path("phase").asString()).as(job.status().toString()).isEqualTo("Succeeded");
            assertThat(jobLists.get()).as("no full pass was needed").isEqualTo(fullPasses);
        }
    }

    /**
     * With many jobs stored, a pass looks only at the jobs a watch event named and the running ones;
     * every stored job is read only on the rare full pass. Reading them all on every pass once cost
     * a quarter of a core and most of the API's tail latency with 10,000 jobs stored.
     */
    @Test
    void shouldReadAllJobsOnlyOnFullPassesAndReactToNewJobsThroughTheWatch() throws Exception {
        try (JdbcResourceStore real = JdbcResourceStore.openDataDir(storeDir.resolve("counted"))) {
            AtomicInteger jobLists = new AtomicInteger();
            ResourceService counted = new ResourceService(countingJobLists(real, jobLists), SecretCipher.forDataDir(storeDir, null),
                    new Admission(EnvReferences.of(Map.of()), Clock.systemUTC()));
            for (int i = 0; i < 50; i++) {
                counted.create(Kinds.DATA_JOB, "default", containerJob("stored-" + i));
            }
            TaskQueue countedQueue = new TaskQueue(real.dataSource(), Clock.systemUTC());
            try (ComputeBackends none = new ComputeBackends(factories, new ComputeContext(leases, countedQueue, runner, live, "t",
                    null), List::of);
                 DataJobController controller = new DataJobController(counted, countedQueue, new PartitionRunner(runtime, uploads, 1),
                    new Placer(), none, Clock.systemUTC(), Duration.ofMillis(10))) {
                controller.start();
                awaitPhase(counted, "stored-49", "Pending");
                Thread.sleep(1000); // about 100 passes at a 10 ms interval
                assertThat(jobLists.get()).as("full passes in the first second, of ~100 passes").isLessThanOrEqualTo(2);

                counted.create(Kinds.DATA_JOB, "default", containerJob("late"));
                awaitPhase(counted, "late", "Pending");
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
