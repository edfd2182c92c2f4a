package io.skyforge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.skyforge.control.job.JobRuntime;
import io.skyforge.control.job.PartitionRunner;
import io.skyforge.control.job.TaskLeases;
import io.skyforge.control.job.TaskWorker;
import io.skyforge.provider.kubernetes.IndexedJobManifest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * The {@code kubernetes} compute backend end to end: a real server whose clouds run their tasks on
 * fabric8's mock API server in CRUD mode. The mock stores Jobs but runs no pods, so the test plays
 * the pods: it runs a generate job's partitions as {@code skyforge worker --job NS/NAME --index K}
 * would (claim that task, generate it into the bucket, report), and writes each Job's status as the
 * Job controller would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesBackendIT {

    static final String NS = "skyforge-jobs";
    static final String JOBS = "/apis/batch.mcp/v1/namespaces/default/datajobs";
    static final List<String> PROPERTIES = List.of("skyforge.cloud.probe-interval", "skyforge.bucket.resync-interval",
            "skyforge.jobs.reconcile-interval");

    Path dir;
    Path config;
    KubernetesMockServer kube;
    KubernetesClient client;
    SkyforgeServer server;
    Http http;
    final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    void start() throws Exception {
        kube = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        kube.init(InetAddress.getLoopbackAddress(), 0);
        client = kube.createClient();
        dir = Files.createTempDirectory("skyforge-kubernetes");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        // The namespace comes from a ${VAR} in a secret file, as any cloud setting may.
        Files.createDirectories(dir.resolve("data/secrets"));
        Files.writeString(dir.resolve("data/secrets/SF_TEST_K8S_NAMESPACE"), NS);
        config = dir.resolve("skyforge.yaml");
        Files.writeString(config, """
                storage_providers:
                  - name: kube
                    type: filesystem
                    root: %s
                    compute:
                      type: kubernetes
                      slots: 2
                      namespace: ${SF_TEST_K8S_NAMESPACE}
                      image: registry.example.com/skyforge:0.1.0
                      master_url: %s
                      server_url: http://skyforge.skyforge-system.svc:8080
                  - name: kube-down
                    type: filesystem
                    root: %s
                    compute:
                      type: kubernetes
                      namespace: skyforge-jobs
                      image: registry.example.com/skyforge:0.1.0
                      master_url: http://127.0.0.1:%d
                      server_url: http://skyforge.skyforge-system.svc:8080
                  - name: disk
                    type: filesystem
                    root: %s
                    compute: {type: local, slots: 1}
                """.formatted(dir.resolve("kube"), kube.url("/"), dir.resolve("kube-down"), closedPort, dir.resolve("disk")));
        System.setProperty("skyforge.cloud.probe-interval", "1s");
        System.setProperty("skyforge.bucket.resync-interval", "1s");
        System.setProperty("skyforge.jobs.reconcile-interval", "100ms");
        startServer();
        String dataset = Files.readString(Path.of("..", "examples", "datasets", "shop.yaml")).replace("namespace: demo",
                "namespace: default");
        assertThat(http.post("/apis/data.mcp/v1/namespaces/default/datasets", dataset, "application/yaml").status()).isEqualTo(201);
        assertThat(http.post("/apis/storage.mcp/v1/namespaces/default/logicalbuckets", """
                apiVersion: storage.mcp/v1
                kind: LogicalBucket
                metadata: {name: out}
                spec: {providers: [{cloud: kube, physicalId: out-kube}, {cloud: kube-down, physicalId: out-down}]}
                """, "application/yaml").status()).isEqualTo(201);
    }

    void startServer() throws Exception {
        server = SkyforgeServer.start(new ServerSettings(0, "127.0.0.1", dir.resolve("data"), null, config));
        http = new Http(server.url(), Files.readString(server.adminTokenFile()).strip());
    }

    @AfterAll
    void stop() {
        PROPERTIES.forEach(System::clearProperty);
        heartbeats.shutdownNow();
        if (server != null) {
            server.close();
        }
        client.close();
        kube.destroy();
        TestFiles.deleteRecursively(dir);
    }

    @Test
    void shouldRunAGenerateJobAsOneIndexedJobOfWorkersAndSurviveARestartWithoutASecondJob() throws Exception {
        String uid = apply("shop-k8s", """
                  cloud: kube
                  generate: {dataset: shop}
                  output: {bucket: out, prefix: shop-k8s, format: csv}
                  parallelism: 2
                  backoffLimit: 1
                  resources: {cpu: 500m, memory: 256Mi}
                """);
        Job job = awaitKubernetesJobs(uid, 1).get(0);
        assertThat(goldenShape(job, uid)).isEqualTo(golden("kubernetes-generate-job.yaml", goldenShape(job, uid)));
        int tasks = job.getSpec().getCompletions();

        // A control-plane restart mid-job: the new controller dispatches the running job again and the
        // backend finds the Job it made, so nothing starts twice.
        server.close();
        server = null;
        while (kube.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            continue; // forget what the first server asked
        }
        startServer();
        awaitBackendLookedAgain(uid);
        assertThat(jobsOf(uid)).as("Jobs after the restart").hasSize(1);

        // The pods: each runs `skyforge worker --job default/shop-k8s --index K` for its completion index.
        TaskLeases leases = server.context().getBean(TaskLeases.class);
        TaskWorker worker = new TaskWorker(leases, server.context().getBean(PartitionRunner.class),
                server.context().getBean(JobRuntime.class), "kube", "pod", heartbeats);
        for (int k = 0; k < tasks; k++) {
            TaskLeases.ClaimAnswer claim = leases.claim("kube", "pod-" + k, "default", "shop-k8s", k);
            assertThat(claim.claim()).as("task %d: %s", k, claim.reason()).isNotNull();
            assertThat(worker.run(claim.claim())).as("task %d ran", k).isTrue();
        }
        complete(job, "0-" + (tasks - 1), tasks);

        JsonNode done = awaitJob("shop-k8s", j -> j.path("status").path("phase").asString().equals("Succeeded"));
        assertThat(done.path("status").path("manifest").asString()).isEqualTo("shop-k8s/_manifest.json");
        assertThat(Files.exists(dir.resolve("kube/out-kube/shop-k8s/_manifest.json"))).isTrue();
        assertThat(jobsOf(uid)).as("a finished Job is left to its TTL").hasSize(1);
    }

    @Test
    void shouldDeleteTheKubernetesJobWhenTheDataJobIsDeleted() throws Exception {
        String uid = apply("doomed", """
                  cloud: kube
                  generate: {dataset: shop}
                  output: {bucket: out, prefix: doomed, format: csv}
                """);
        awaitKubernetesJobs(uid, 1);

        assertThat(http.delete(JOBS + "/doomed").status()).isEqualTo(200);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!jobsOf(uid).isEmpty()) {
            assertThat(System.nanoTime()).as("the Kubernetes Job is still there").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void shouldStartTheNextRoundWhenSomeoneDeletesTheKubernetesJobOfARunningJob() throws Exception {
        String uid = apply("orphaned", """
                  cloud: kube
                  image: data-processor:v1
                  parallelism: 2
                """);
        Job first = awaitKubernetesJobs(uid, 1).get(0);
        assertThat(first.getMetadata().getLabels()).containsEntry(IndexedJobManifest.ROUND_LABEL, "0");

        client.batch().v1().jobs().inNamespace(NS).withName(first.getMetadata().getName()).delete(); // kubectl delete job

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Job> now = jobsOf(uid);
        while (now.size() != 1 || !"1".equals(now.get(0).getMetadata().getLabels().get(IndexedJobManifest.ROUND_LABEL))) {
            assertThat(System.nanoTime()).as("no round 1 Job: " + now.size() + " Jobs").isLessThan(deadline);
            Thread.sleep(50);
            now = jobsOf(uid);
        }
        assertThat(now.get(0).getMetadata().getName()).isNotEqualTo(first.getMetadata().getName()).contains("-r1-");
        assertThat(now.get(0).getSpec().getCompletions()).isEqualTo(2);
        assertThat(http.delete(JOBS + "/orphaned").status()).isEqualTo(200);
    }

    @Test
    void shouldRunAContainerJobInTheUsersImageAndSucceedWhenEveryIndexCompleted() throws Exception {
        String uid = apply("clean", """
                  cloud: kube
                  image: data-processor:v1
                  command: [/app/clean]
                  args: [--strict]
                  output: {bucket: out, prefix: cleaned, format: csv}
                  parallelism: 3
                """);
        Job job = awaitKubernetesJobs(uid, 1).get(0);
        var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("data-processor:v1");
        assertThat(container.getCommand()).containsExactly("/app/clean");
        assertThat(container.getArgs()).containsExactly("--strict");
        Map<String, String> env = new HashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        assertThat(env).containsEntry("SKYFORGE_JOB", "default/clean").containsEntry("SKYFORGE_CLOUD", "kube")
                .containsEntry("SKYFORGE_PARTITIONS", "3").containsEntry("SKYFORGE_TASK_INDEXES", "0 1 2")
                .containsEntry("SKYFORGE_OUTPUT_BUCKET", "out").containsEntry("SKYFORGE_OUTPUT_PREFIX", "cleaned")
                .containsEntry("SKYFORGE_SERVER", "http://skyforge.skyforge-system.svc:8080")
                .containsKey("SKYFORGE_TOKEN");
        assertThat(job.getSpec().getCompletions()).isEqualTo(3);
        assertThat(job.getSpec().getParallelism()).as("the cloud's slots").isEqualTo(2);

        complete(job, "0,2", 2);
        JsonNode partly = awaitJob("clean", j -> j.path("status").path("partitions").path("succeeded").asInt() == 2);
        assertThat(partly.path("status").path("phase").asString()).isEqualTo("Running");

        complete(job, "0-2", 3);
        JsonNode done = awaitJob("clean", j -> j.path("status").path("phase").asString().equals("Succeeded"));
        assertThat(condition(done, "Complete")).isEqualTo("True AllIndexesCompleted: all 3 partitions' pods completed");
        assertThat(jobsOf(uid)).hasSize(1);
    }

    @Test
    void shouldFailAContainerJobWhoseKubernetesJobRanOutOfRetries() throws Exception {
        String uid = apply("crashing", """
                  cloud: kube
                  image: data-processor:v1
                  parallelism: 2
                  backoffLimit: 1
                """);
        Job job = awaitKubernetesJobs(uid, 1).get(0);
        assertThat(job.getSpec().getBackoffLimitPerIndex()).isEqualTo(1);
        assertThat(job.getSpec().getMaxFailedIndexes()).isZero();
        Job stored = client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).get();
        // What Kubernetes writes when index 0 failed twice (its backoffLimitPerIndex used up) while index 1 completed.
        stored.setStatus(new JobStatusBuilder().withFailed(2).withCompletedIndexes("1").withFailedIndexes("0")
                .withConditions(new JobConditionBuilder().withType("Failed").withStatus("True").withReason("MaxFailedIndexesExceeded")
                        .withMessage("Job has exceeded the specified maximal number of failed indexes").build())
                .build());
        client.batch().v1().jobs().inNamespace(NS).resource(stored).updateStatus();

        JsonNode failed = awaitJob("crashing", j -> j.path("status").path("phase").asString().equals("Failed"));
        assertThat(condition(failed, "Failed")).isEqualTo("True ComputeFailed: Kubernetes Job " + NS + "/"
                + job.getMetadata().getName() + " on cloud kube failed: MaxFailedIndexesExceeded (Job has exceeded the specified"
                + " maximal number of failed indexes)");
        assertThat(failed.path("status").path("partitions").path("succeeded").asInt()).isEqualTo(1);
    }

    @Test
    void shouldExplainAContainerJobPinnedToACloudWithoutKubernetes() throws Exception {
        apply("no-kube", """
                  cloud: disk
                  image: data-processor:v1
                """);
        JsonNode job = awaitJob("no-kube", j -> !condition(j, "Placed").isEmpty());
        assertThat(job.path("status").path("phase").asString()).isEqualTo("Pending");
        assertThat(condition(job, "Placed")).startsWith("False UNSCHEDULABLE: no cloud can run the job")
                .contains("job-type rejected 1");
        assertThat(job.path("status").path("placement").toString())
                .as("the explanation names the filter and why")
                .contains("container jobs (spec.image) run only on kubernetes compute; this cloud has local");
    }

    @Test
    void shouldSayWhenTheKubernetesApiServerCannotBeReached() throws Exception {
        apply("unreachable", """
                  cloud: kube-down
                  generate: {dataset: shop}
                  output: {bucket: out, prefix: unreachable, format: csv}
                """);
        JsonNode job = awaitJob("unreachable", j -> condition(j, "Dispatched").startsWith("False SF-UNAVAILABLE"));
        assertThat(condition(job, "Dispatched")).contains("Cloud kube-down: ", "cannot reach the Kubernetes API server at");
        assertThat(job.path("status").path("phase").asString()).as("the job waits for the cluster").isEqualTo("Running");
    }

    /** Applies a DataJob in namespace default and returns its uid. */
    String apply(String name, String spec) {
        Http.Response r = http.post(JOBS, "apiVersion: batch.mcp/v1\nkind: DataJob\nmetadata: {name: " + name + "}\nspec:\n"
                + spec, "application/yaml");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("metadata").path("uid").asString();
    }

    JsonNode awaitJob(String name, Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            JsonNode job = http.get(JOBS + "/" + name).json();
            if (until.test(job)) {
                return job;
            }
            assertThat(System.nanoTime()).as(job.path("status").toString()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static String condition(JsonNode job, String type) {
        for (JsonNode c : job.path("status").path("conditions")) {
            if (c.path("type").asString().equals(type)) {
                return c.path("status").asString() + " " + c.path("reason").asString() + ": " + c.path("message").asString();
            }
        }
        return "";
    }

    List<Job> jobsOf(String uid) {
        return client.batch().v1().jobs().inNamespace(NS).withLabel(IndexedJobManifest.JOB_UID_LABEL, uid).list().getItems();
    }

    List<Job> awaitKubernetesJobs(String uid, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<Job> jobs = jobsOf(uid);
            if (jobs.size() >= count) {
                return jobs;
            }
            assertThat(System.nanoTime()).as("Kubernetes Jobs of " + uid).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /**
     * Waits until the restarted server's backend has read this job's Jobs twice: the first read is
     * its re-dispatch deciding what to create, the second its progress poll, which runs after it.
     */
    void awaitBackendLookedAgain(String uid) throws InterruptedException {
        int lists = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lists < 2) {
            RecordedRequest r = kube.takeRequest(100, TimeUnit.MILLISECONDS);
            if (r != null && r.getMethod().equals("GET") && r.getPath().contains("/jobs?")
                    && java.net.URLDecoder.decode(r.getPath(), StandardCharsets.UTF_8).contains(uid)) {
                lists++;
            }
            assertThat(System.nanoTime()).as("the restarted server's backend never listed the Jobs").isLessThan(deadline);
        }
    }

    /** Writes the status the Job controller would once those completion indexes' pods succeeded. */
    void complete(Job job, String completedIndexes, int succeeded) {
        Job stored = client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).get();
        JobStatusBuilder status = new JobStatusBuilder().withSucceeded(succeeded).withCompletedIndexes(completedIndexes);
        if (succeeded == stored.getSpec().getCompletions()) {
            status.withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build());
        }
        stored.setStatus(status.build());
        client.batch().v1().jobs().inNamespace(NS).resource(stored).updateStatus();
    }

    /** The manifest as Skyforge sent it: without what the API server adds, the DataJob's uid as a placeholder. */
    static String goldenShape(Job job, String uid) {
        Job copy = new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder(job).build();
        copy.getMetadata().setUid(null);
        copy.getMetadata().setResourceVersion(null);
        copy.getMetadata().setCreationTimestamp(null);
        copy.getMetadata().setGeneration(null);
        copy.getMetadata().setManagedFields(null);
        copy.setStatus(null);
        return IndexedJobManifest.toYaml(copy).replace(uid, "DATAJOB-UID").replaceAll("job-generation: \"\\d+\"",
                "job-generation: \"N\"");
    }

    /** The golden file's text; rewritten from {@code actual} with {@code -Dskyforge.writeGolden=true}. */
    static String golden(String name, String actual) throws Exception {
        Path file = Path.of("src", "test", "resources", "golden", name);
        if (Boolean.getBoolean("skyforge.writeGolden")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual);
        }
        return Files.readString(file);
    }
}
