package io.skyforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.Manifests;
import io.skyforge.core.codec.Json;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import io.skyforge.spi.storage.ObjectSummary;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * What the worker fault tests share: a temp dir, real child processes, a dataset whose partitions
 * take long enough to be killed half-way, and the checks on what lands in the buckets — every part
 * byte-identical to {@code skyforge generate --partition K} of the same spec, and nothing else
 * there but the manifest.
 */
abstract class WorkerScenario {

    static final String NS = "faults";
    static final String PREFIX = "events/v1";
    /** 400,000 rows of a 7-column table: 8 parts of about 6 MB, each taking a worker a few hundred milliseconds or more. */
    static final String DATASET = """
            apiVersion: data.mcp/v1
            kind: Dataset
            metadata: {name: events, namespace: faults}
            spec:
              seed: 42
              locale: en_US
              tables:
                - name: events
                  rows: 400000
                  primaryKey: [event_id]
                  columns:
                    - {name: event_id, type: bigint, generator: sequence}
                    - {name: first_name, type: varchar(40), generator: firstName}
                    - {name: last_name, type: varchar(40), generator: lastName}
                    - {name: email, type: varchar(120), generator: email}
                    - {name: kind, type: varchar(10), generator: {kind: choice, values: [view, click, cart, buy]}}
                    - {name: at, type: timestamp, generator: {kind: timestamp, min: "2024-01-01T00:00:00", max: "2024-12-31T23:59:59"}}
                    - {name: note, type: varchar(200), generator: {kind: words, min: 3, max: 12}}
            """;
    /** Short leases and probes so a killed worker's task is free again within seconds. */
    static final List<String> FAST = List.of("skyforge.jobs.lease=5s", "skyforge.jobs.retry-backoff=200ms",
            "skyforge.cloud.probe-interval=1s", "skyforge.bucket.resync-interval=1s", "skyforge.jobs.reconcile-interval=100ms");

    Path dir;
    Processes processes;
    String url;
    String token;
    ApiClient api;
    final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeEach
    void createDir() throws Exception {
        dir = Files.createTempDirectory("skyforge-worker-it");
        processes = new Processes(dir);
    }

    @AfterEach
    void cleanUp() throws Exception {
        processes.close();
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Starts `skyforge server` as a child process and connects the test's client to it. */
    Processes.Child startServer(int port, String config, List<String> properties) throws Exception {
        Path file = dir.resolve("skyforge.yaml");
        Files.writeString(file, config);
        Path data = dir.resolve("control-plane");
        Processes.Child server = processes.server("server", port, data, file, properties);
        url = "http://127.0.0.1:" + port;
        token = Files.readString(data.resolve("admin.token")).strip();
        api = new ApiClient(url, token);
        return server;
    }

    /**
     * An S3-compatible cloud entry for {@code storage_providers} on an in-process S3Proxy, its secret
     * key read from {@code ${secretVar}} (set it with {@code processes.env}); {@code extra} lines
     * (labels, compute, pricing) are indented as the entry's fields.
     */
    static String s3Cloud(String name, S3ProxyServer s3, String secretVar, String... extra) {
        StringBuilder b = new StringBuilder("""
                  - name: %s
                    type: s3
                    endpoint: %s
                    region: %s
                    path_style: true
                    access_key: %s
                    secret_key: ${%s}
                """.formatted(name, s3.endpoint(), S3ProxyServer.REGION, S3ProxyServer.ACCESS_KEY, secretVar));
        for (String line : extra) {
            b.append("    ").append(line).append('\n');
        }
        return b.toString();
    }

    /** Starts `skyforge worker` for {@code cloud} as a child process named {@code name}. */
    Processes.Child startWorker(String name, String cloud) throws Exception {
        return processes.start(name, List.of(), "worker", "--server", url, "--token", token, "--cloud", cloud, "--name", name);
    }

    /** The events dataset and the {@code events-out} bucket whose spec lists {@code providers} (and anything after them). */
    void applyEventsBucket(String spec) {
        apply(DATASET + """
                ---
                apiVersion: storage.mcp/v1
                kind: LogicalBucket
                metadata: {name: events-out, namespace: faults}
                spec:
                """ + spec.indent(2));
        awaitReady("logicalbucket/events-out", NS);
    }

    /** The DataJob {@code faults/events}: the events dataset in {@code parts} partitions into events-out, placed by {@code policy} (or the default). */
    void applyEventsJob(int parts, String policy) {
        apply("""
                apiVersion: batch.mcp/v1
                kind: DataJob
                metadata: {name: events, namespace: faults}
                spec:
                  generate: {dataset: events}
                  output: {bucket: events-out, prefix: events/v1, format: csv}
                  parallelism: %d
                """.formatted(parts) + (policy == null ? "" : "  placement: {policy: " + policy + "}\n"));
    }

    /**
     * The scene of the fault ITs: two S3 worker clouds in the EU, CLOUD_A on {@code a} (cheaper) and
     * CLOUD_B on {@code b}, a worker process on each (both polling when this returns), and the events
     * bucket over both. Answers CLOUD_A's worker, the one the tests take away.
     */
    Processes.Child startTwoWorkerClouds(S3ProxyServer a, S3ProxyServer b, List<String> properties) throws Exception {
        processes.env("CLOUD_A_SECRET", S3ProxyServer.SECRET_KEY).env("CLOUD_B_SECRET", S3ProxyServer.SECRET_KEY);
        startServer(Processes.freePort(), "storage_providers:\n"
                + s3Cloud("CLOUD_A", a, "CLOUD_A_SECRET", "labels: {jurisdiction: eu}", "compute: {type: worker, slots: 2}",
                        "pricing: {cpu_hour: 0.01, egress_gb: 0.05}")
                + s3Cloud("CLOUD_B", b, "CLOUD_B_SECRET", "labels: {jurisdiction: eu}", "compute: {type: worker, slots: 2}",
                        "pricing: {cpu_hour: 0.05, egress_gb: 0.05}"), properties);
        Processes.Child workerA = startWorker("worker-a", "CLOUD_A");
        Processes.Child workerB = startWorker("worker-b", "CLOUD_B");
        awaitReady("cloud/CLOUD_A", null);
        awaitReady("cloud/CLOUD_B", null);
        applyEventsBucket("""
                providers:
                  - {cloud: CLOUD_A, physicalId: events-a}
                  - {cloud: CLOUD_B, physicalId: events-b}
                """);
        workerA.awaitLog("cloud CLOUD_A at", Duration.ofSeconds(60));
        workerB.awaitLog("cloud CLOUD_B at", Duration.ofSeconds(60));
        return workerA;
    }

    record Run(int exit, String out, String err) {
    }

    /** A client command, in-process (client commands never boot Spring), against the server. */
    Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server=" + url);
        all.add("--token=" + token);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    void apply(String yaml) {
        for (Resource r : Manifests.read("test.yaml", yaml)) {
            api.apply(r);
        }
    }

    void awaitReady(String kindAndName, String namespace) {
        List<String> args = new ArrayList<>(List.of("wait", kindAndName, "--for=condition=Ready", "--timeout=90s"));
        if (namespace != null) {
            args.add("-n");
            args.add(namespace);
        }
        Run r = cli(args.toArray(String[]::new));
        assertThat(r.exit()).as(kindAndName + ": " + r.err() + "\n" + processes.tails()).isZero();
    }

    Resource job(String name) {
        return api.get(Kinds.DATA_JOB, NS, name).orElseThrow();
    }

    String phase(String name) {
        return job(name).status().path("phase").asString("");
    }

    Resource awaitPhase(String name, String phase, Duration timeout) throws InterruptedException {
        Processes.awaitUntil(timeout, () -> phase(name).matches(phase + "|Failed"),
                () -> job(name).status().toString() + "\n" + processes.tails());
        Resource job = job(name);
        assertThat(job.status().path("phase").asString()).as(job.status().toString() + "\n" + processes.tails())
                .isEqualTo(phase);
        return job;
    }

    /** The job's tasks as the worker API lists them. */
    List<JsonNode> tasks(String jobUid) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        processes.getJson(url + "/tasks/v1/jobs/" + jobUid + "/tasks", token).path("items").forEach(out::add);
        return out;
    }

    static ObjectStore s3(S3ProxyServer s3) {
        return ObjectStores.open(ObjectStoreConfig.builder("s3").name("check").endpoint(s3.endpoint().toString())
                .region(S3ProxyServer.REGION).accessKey(S3ProxyServer.ACCESS_KEY).secretKey(S3ProxyServer.SECRET_KEY)
                .pathStyle(true).build());
    }

    /** Every object of a bucket, by key, with its bytes. */
    static Map<String, byte[]> objects(ObjectStore store, String bucket) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        List<ObjectSummary> all = store.listAll(bucket, "").toList();
        for (ObjectSummary o : all) {
            try (InputStream in = store.get(bucket, o.key()).stream()) {
                out.put(o.key(), in.readAllBytes());
            }
        }
        return out;
    }

    /** Part K of P of the dataset, generated offline by `skyforge generate --partition K`. */
    byte[] offlinePart(int k, int parts) throws Exception {
        Path spec = dir.resolve("events.yaml");
        if (!Files.exists(spec)) {
            Files.writeString(spec, DATASET);
        }
        Path out = dir.resolve("offline-" + k);
        StringWriter log = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(log, true));
        cl.setErr(new PrintWriter(log, true));
        assertThat(cl.execute("generate", spec.toString(), "--out", out.toString(), "--format", "csv", "--partitions",
                String.valueOf(parts), "--partition", String.valueOf(k), "--threads", "1", "-q")).as(log.toString()).isZero();
        Path part;
        try (Stream<Path> s = Files.walk(out)) {
            part = s.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(part);
        Files.delete(part);
        return bytes;
    }

    static String partKey(int k, int parts) {
        int width = Integer.toString(parts - 1).length();
        return PREFIX + "/events/part-" + String.format("%0" + width + "d", k) + "-of-" + parts + ".csv";
    }

    /**
     * The parts in the buckets are exactly the job's: each byte-identical to offline generation,
     * on the copy its task's result names, the manifest beside them, and no other object anywhere
     * (no second copy of a part, no leftover of a killed upload).
     */
    void assertPartsIdenticalToOfflineGeneration(List<JsonNode> tasks, int parts, Map<String, Map<String, byte[]>> copies)
            throws Exception {
        assertThat(tasks).hasSize(parts);
        Map<String, List<String>> expectedKeys = new TreeMap<>();
        Map<String, String> sha = new TreeMap<>();
        for (JsonNode t : tasks) {
            assertThat(t.path("state").asString()).isEqualTo("SUCCEEDED");
            String cloud = t.path("result").path("cloud").asString();
            String key = t.path("result").path("objectKey").asString();
            int k = t.path("part").asInt();
            assertThat(key).isEqualTo(partKey(k, parts));
            expectedKeys.computeIfAbsent(cloud, c -> new ArrayList<>()).add(key);
            byte[] stored = copies.get(cloud).get(key);
            assertThat(stored).as(cloud + ":" + key + " exists").isNotNull();
            assertThat(stored).as(cloud + ":" + key + " equals `generate --partition " + k + "`").isEqualTo(offlinePart(k, parts));
            sha.put(key.substring(PREFIX.length() + 1), java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(stored)));
        }
        for (Map.Entry<String, Map<String, byte[]>> copy : copies.entrySet()) {
            List<String> expected = new ArrayList<>(expectedKeys.getOrDefault(copy.getKey(), List.of()));
            if (expected.isEmpty()) {
                assertThat(copy.getValue()).as("objects on " + copy.getKey()).isEmpty();
                continue;
            }
            expected.add(PREFIX + "/_manifest.json");
            assertThat(copy.getValue().keySet()).as("objects on " + copy.getKey()).containsExactlyInAnyOrderElementsOf(expected);
            JsonNode manifest = Json.MAPPER.readTree(copy.getValue().get(PREFIX + "/_manifest.json"));
            Map<String, String> listed = new TreeMap<>();
            manifest.path("tables").get(0).path("parts").forEach(p -> listed.put(p.path("key").asString(), p.path("sha256").asString()));
            assertThat(listed).as("the manifest on " + copy.getKey() + " lists every part with its SHA-256").isEqualTo(sha);
        }
    }
}
