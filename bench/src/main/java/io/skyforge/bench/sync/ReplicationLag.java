package io.skyforge.bench.sync;

import io.skyforge.core.codec.Json;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import tools.jackson.databind.JsonNode;

/**
 * Replication lag through the data API: a control plane (the runnable jar, a child process) replicates a
 * two-copy logical bucket between two S3Proxy endpoints in this JVM; writes arrive open-loop at a fixed rate
 * through {@code PUT /data/v1/.../objects/{key}} on CLOUD_A, and CLOUD_B's blob store stamps when each key
 * lands there. Lag = arrival on CLOUD_B minus the moment the write was due (so a slow write counts too);
 * also shown from the write's acknowledgement. The baseline, same run, is the data API write's own latency.
 *
 * <p>Arguments: {@code JAR WORKDIR [--rate 100] [--seconds 60] [--warmup 10] [--size 4096]}.
 */
public final class ReplicationLag {

    private ReplicationLag() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int rate = 100;
        int seconds = 60;
        int warmup = 10;
        int size = 4096;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        try (S3ProxyServer a = S3ProxyServer.start(work.resolve("cloud-a"));
             S3ProxyServer b = S3ProxyServer.start(work.resolve("cloud-b"), store -> stamping(store, arrived))) {
            Path dataDir = work.resolve("data");
            Files.createDirectories(dataDir);
            Path config = work.resolve("skyforge.yaml");
            Files.writeString(config, "storage_providers:\n" + cloud("CLOUD_A", a.endpoint()) + cloud("CLOUD_B", b.endpoint())
                    + "resources:\n  - apiVersion: storage.mcp/v1\n    kind: LogicalBucket\n    metadata: {name: lag}\n"
                    + "    spec:\n      providers:\n        - {cloud: CLOUD_A, physicalId: lag-a}\n"
                    + "        - {cloud: CLOUD_B, physicalId: lag-b}\n");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Process server = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-Dskyforge.cloud.probe-interval=2s", "-jar", jar.toString(), "server", "--port",
                    Integer.toString(port), "--data-dir", dataDir.toString(), "--config", config.toString()))
                    .redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile()).start();
            try {
                run(new Client("http://127.0.0.1:" + port, dataDir), arrived, rate, seconds, warmup, size);
            } finally {
                server.destroy();
                server.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void run(Client api, Map<String, Long> arrived, int rate, int seconds, int warmup, int size) throws Exception {
        api.awaitUp();
        api.await("the bucket replicated", () -> api.get("/data/v1/namespaces/default/buckets/lag/sync").path("inSync").asBoolean());
        int total = rate * (warmup + seconds);
        long[] due = new long[total];
        long[] acked = new long[total];
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        byte[] body = new byte[size];
        new Random(1).nextBytes(body);
        long start = System.nanoTime() + 200_000_000L;
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            int n = i;
            due[n] = start + n * interval;
            long wait = due[n] - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            pool.execute(() -> {
                if (api.put("/data/v1/namespaces/default/buckets/lag/objects/w/" + n + "?cloud=CLOUD_A", body) == 200) {
                    acked[n] = System.nanoTime();
                } else {
                    failures.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.MINUTES);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline && countArrived(arrived, warmup * rate, total) < total - warmup * rate - failures.get()) {
            Thread.sleep(50);
        }
        List<Double> lagDue = new ArrayList<>();
        List<Double> lagAck = new ArrayList<>();
        List<Double> put = new ArrayList<>();
        int missing = 0;
        for (int i = warmup * rate; i < total; i++) {
            if (acked[i] == 0) {
                continue;
            }
            Long at = arrived.get("w/" + i);
            put.add((acked[i] - due[i]) / 1e6);
            if (at == null) {
                missing++;
                continue;
            }
            lagDue.add((at - due[i]) / 1e6);
            lagAck.add((at - acked[i]) / 1e6);
        }
        System.out.printf(Locale.ROOT, "%d writes/s for %d s (after %d s warm-up), %d-byte objects: %d measured, %d failed, "
                + "%d never arrived on CLOUD_B%n", rate, seconds, warmup, size, put.size(), failures.get(), missing);
        System.out.printf(Locale.ROOT, "%-46s %9s %9s %9s %9s%n", "ms", "p50", "p95", "p99", "max");
        row("data API PUT on CLOUD_A, due -> acknowledged (baseline)", put);
        row("replication lag, due -> on CLOUD_B", lagDue);
        row("replication lag, acknowledged -> on CLOUD_B", lagAck);
        System.out.printf(Locale.ROOT, "p99 lag / p99 write: %.2fx; target p99 lag < 1000 ms: %s%n",
                pct(lagDue, 99) / pct(put, 99), pct(lagDue, 99) < 1000 ? "met" : "NOT met");
    }

    private static long countArrived(Map<String, Long> arrived, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            if (arrived.containsKey("w/" + i)) {
                n++;
            }
        }
        return n;
    }

    private static void row(String label, List<Double> values) {
        System.out.printf(Locale.ROOT, "%-46s %9.1f %9.1f %9.1f %9.1f%n", label, pct(values, 50), pct(values, 95),
                pct(values, 99), pct(values, 100));
    }

    private static double pct(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int i = (int) Math.ceil(p / 100 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, i))];
    }

    private static String cloud(String name, URI endpoint) {
        return "  - name: " + name + "\n    type: s3\n    endpoint: " + endpoint + "\n    region: " + S3ProxyServer.REGION
                + "\n    access_key: " + S3ProxyServer.ACCESS_KEY + "\n    secret_key: " + S3ProxyServer.SECRET_KEY + "\n";
    }

    /** CLOUD_B's blob store, noting when each object has been stored. */
    private static BlobStore stamping(BlobStore delegate, Map<String, Long> arrived) {
        return (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("putBlob") && args.length > 1 && args[1] instanceof Blob blob) {
                        arrived.putIfAbsent(blob.getMetadata().getName(), System.nanoTime());
                    }
                    return result;
                });
    }

    /** The data API over the JDK client, with the admin token of the server's data dir. */
    private static final class Client {
        private final String url;
        private final Path dataDir;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newCachedThreadPool()).build();
        private volatile String token;

        Client(String url, Path dataDir) {
            this.url = url;
            this.dataDir = dataDir;
        }

        void awaitUp() throws Exception {
            await("the server", () -> {
                if (!Files.exists(dataDir.resolve("admin.token"))) {
                    return false;
                }
                token = Files.readString(dataDir.resolve("admin.token")).strip();
                return send(HttpRequest.newBuilder(URI.create(url + "/actuator/health")).GET()).statusCode() == 200;
            });
        }

        JsonNode get(String path) throws Exception {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + path)).GET());
            return Json.MAPPER.readTree(r.body());
        }

        int put(String path, byte[] body) {
            try {
                return send(HttpRequest.newBuilder(URI.create(url + path)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)))
                        .statusCode();
            } catch (Exception e) {
                return -1;
            }
        }

        private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }

        interface Check {
            boolean ok() throws Exception;
        }

        void await(String what, Check check) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (true) {
                try {
                    if (check.ok()) {
                        return;
                    }
                } catch (IOException e) {
                    // not up yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out waiting for " + what);
                }
                Thread.sleep(200);
            }
        }
    }
}
