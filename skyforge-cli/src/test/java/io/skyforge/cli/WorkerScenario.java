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
