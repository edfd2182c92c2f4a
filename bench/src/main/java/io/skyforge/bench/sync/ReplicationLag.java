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
 * <p>A write that fails is counted with its reason (HTTP status and error code, or the client's exception),
 * and the CPU time the control plane and this JVM (the two S3Proxy endpoints and the load generator) spent
 * during the measured writes is printed beside the wall time: at a fixed rate a write path that needs more
 * CPU than the machine has shows up as queueing, i.e. as latency.
 *
 * <p>Arguments: {@code JAR WORKDIR [--rate 100] [--seconds 60] [--warmup 10] [--size 4096] [--jfr FILE]}; the last
 * records the control plane with Java Flight Recorder.
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
        String jfr = null;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--jfr" -> jfr = Path.of(args[++i]).toAbsolutePath().toString();
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
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-Dskyforge.cloud.probe-interval=2s"));
            if (jfr != null) {
                command.add("-XX:StartFlightRecording=settings=profile,filename=" + jfr + ",dumponexit=true");
            }
            command.addAll(List.of("-jar", jar.toString(), "server", "--port", Integer.toString(port), "--data-dir",
                    dataDir.toString(), "--config", config.toString()));
            Process server = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile()).start();
            try {
                run(new Client("http://127.0.0.1:" + port, dataDir), server.pid(), arrived, rate, seconds, warmup, size);
            } finally {
                server.destroy();
                server.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void run(Client api, long serverPid, Map<String, Long> arrived, int rate, int seconds, int warmup, int size)
            throws Exception {
        api.awaitUp();
        api.await("the bucket replicated", () -> api.get("/data/v1/namespaces/default/buckets/lag/sync").path("inSync").asBoolean());
        // Replicated is not yet writable: the data API refuses writes until a copy's cloud has been probed healthy.
        api.await("the data API to accept writes on CLOUD_A", () -> api.put("/data/v1/namespaces/default/buckets/lag/objects/"
                + "ready?cloud=CLOUD_A", new byte[] {1}) == null);
        int total = rate * (warmup + seconds);
        long[] due = new long[total];
        long[] acked = new long[total];
        AtomicInteger failures = new AtomicInteger();
        Map<String, AtomicInteger> reasons = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        byte[] body = new byte[size];
        new Random(1).nextBytes(body);
        long start = System.nanoTime() + 200_000_000L;
        long interval = 1_000_000_000L / rate;
        long[] cpu = new long[4];
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < total; i++) {
            int n = i;
            if (n == warmup * rate && n > 0) {
                // The measurement starts from a drained system: what a cold JVM (JIT, first connections) could not
                // keep up with during the warm-up must not be counted as the steady state's lag.
                long drainDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (System.nanoTime() < drainDeadline && (done.get() < n || countArrived(arrived, 0, n) < countAcked(acked, 0, n))) {
                    Thread.sleep(20);
                }
                System.out.printf(Locale.ROOT, "warm-up: %d writes, drained %.1f s after the last was due%n", n,
                        (System.nanoTime() - due[n - 1]) / 1e9);
                List<String> lost = new ArrayList<>();
                for (int w = 0; w < n; w++) {
                    if (acked[w] > 0 && !arrived.containsKey("w/" + w)) {
                        lost.add("w/" + w);
                    }
                }
                if (!lost.isEmpty()) {
                    System.out.printf(Locale.ROOT, "  %d acknowledged warm-up writes never arrived on CLOUD_B, e.g. %s%n", lost.size(),
                            lost.subList(0, Math.min(10, lost.size())));
                    String first = lost.get(0);
                    var meta = cloudB.blobMetadata("lag-b", first);
                    System.out.printf(Locale.ROOT, "  %s on CLOUD_B's disk: %s; sync status %s%n", first,
                            meta == null ? "absent" : "present, " + meta.getUserMetadata(),
                            api.get("/data/v1/namespaces/default/buckets/lag/sync"));
                }
                start = System.nanoTime() + 200_000_000L - n * interval;
            }
            if (n == warmup * rate) {
                cpu[0] = cpuTicks(serverPid);
                cpu[1] = cpuTicks(ProcessHandle.current().pid());
            }
            due[n] = start + n * interval;
            long wait = due[n] - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            pool.execute(() -> {
                String failure = api.put("/data/v1/namespaces/default/buckets/lag/objects/w/" + n + "?cloud=CLOUD_A", body);
                if (failure == null) {
                    acked[n] = System.nanoTime();
                } else {
                    acked[n] = -1;
                    if (n >= warmup * rate) {
                        failures.incrementAndGet();
                    }
                    reasons.computeIfAbsent(n < warmup * rate ? "(warm-up) " + failure : failure, k -> new AtomicInteger())
                            .incrementAndGet();
                }
                done.incrementAndGet();
            });
        }
        cpu[2] = cpuTicks(serverPid);
        cpu[3] = cpuTicks(ProcessHandle.current().pid());
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
            if (acked[i] <= 0) {
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
        reasons.forEach((reason, count) -> System.out.printf(Locale.ROOT, "  failed %d x: %s%n", count.get(), reason));
        System.out.printf(Locale.ROOT, "CPU while the measured writes were sent (%d s): control plane %.1f s, S3 endpoints and "
                + "load generator %.1f s; per write %.1f ms and %.1f ms%n", seconds, (cpu[2] - cpu[0]) / 100.0,
                (cpu[3] - cpu[1]) / 100.0, (cpu[2] - cpu[0]) * 10.0 / (seconds * rate), (cpu[3] - cpu[1]) * 10.0 / (seconds * rate));
        System.out.printf(Locale.ROOT, "%-46s %9s %9s %9s %9s%n", "ms", "p50", "p95", "p99", "max");
        row("data API PUT on CLOUD_A, due -> acknowledged (baseline)", put);
        row("replication lag, due -> on CLOUD_B", lagDue);
        row("replication lag, acknowledged -> on CLOUD_B", lagAck);
        System.out.printf(Locale.ROOT, "p99 lag / p99 write: %.2fx; target p99 lag < 1000 ms: %s%n",
                pct(lagDue, 99) / pct(put, 99), pct(lagDue, 99) < 1000 ? "met" : "NOT met");
        // When slow writes happened says what kind of trouble it is: a few seconds in which everything
        // waited (a stall: GC, a lock, the CPU) or slow writes scattered over the run (a per-request cause).
        for (int sec = warmup; sec < warmup + seconds; sec++) {
            int slow = 0;
            double worst = 0;
            for (int i = sec * rate; i < (sec + 1) * rate; i++) {
                double ms = acked[i] <= 0 ? Double.POSITIVE_INFINITY : (acked[i] - due[i]) / 1e6;
                if (ms > 1000) {
                    slow++;
                    worst = Math.max(worst, ms);
                }
            }
            if (slow > 0) {
                System.out.printf(Locale.ROOT, "  second %d: %d writes over 1 s (worst %.0f ms; failed count as infinite)%n",
                        sec - warmup, slow, worst);
            }
        }
    }

    /** User and system CPU of a process in USER_HZ ticks (100 per second on Linux), from /proc. */
    private static long cpuTicks(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long countAcked(long[] acked, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            if (acked[i] > 0) {
                n++;
            }
        }
        return n;
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
    /** CLOUD_B's blob store itself, to look up an object that seems not to have arrived. */
    private static volatile BlobStore cloudB;

    private static BlobStore stamping(BlobStore delegate, Map<String, Long> arrived) {
        cloudB = delegate;
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

        /** Null when the write was acknowledged, else why not: the status and error code, or the exception. */
        String put(String path, byte[] body) {
            try {
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + path))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
                if (r.statusCode() == 200) {
                    return null;
                }
                String code;
                try {
                    JsonNode problem = Json.MAPPER.readTree(r.body());
                    String detail = problem.path("detail").asString("").replaceAll("w/\\d+", "w/N");
                    code = problem.path("code").asString("") + ": " + detail.substring(0, Math.min(160, detail.length()));
                } catch (RuntimeException e) {
                    code = "";
                }
                return "HTTP " + r.statusCode() + " " + code;
            } catch (Exception e) {
                return e.getClass().getSimpleName() + ": " + e.getMessage();
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
