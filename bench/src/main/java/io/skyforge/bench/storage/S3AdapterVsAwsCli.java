package io.skyforge.bench.storage;

import io.skyforge.spi.storage.ObjectContent;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import io.skyforge.spi.storage.PutOptions;
import io.skyforge.testkit.storage.GeneratedInputStream;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The S3 adapter against the AWS CLI, both talking to the same S3Proxy (started in this JVM on
 * loopback) in the same run, reported as throughput ratios (adapter / CLI; above 1 means the adapter
 * is faster). Scenarios: one 1 GiB object (multipart), 64 x 16 MiB objects and 2,000 x 64 KiB
 * objects, each uploaded and downloaded from and to local files. Each scenario runs {@code --rounds}
 * times alternating adapter and CLI; the best round of each is reported.
 *
 * <p>Run with {@code bench/scripts/storage-s3-vs-awscli.sh}; arguments: {@code --work DIR},
 * {@code --rounds N}, {@code --part-size 16MiB}, {@code --part-concurrency 8}, {@code --object-concurrency 10},
 * {@code --only big|medium|small}.
 */
public final class S3AdapterVsAwsCli {

    private static final long MIB = 1024 * 1024;

    private final Path work;
    private final int rounds;
    private final String partSize;
    private final int partConcurrency;
    private final int objectConcurrency;
    private final S3ProxyServer server;
    private final ObjectStore store;
    private final List<Map<String, Object>> results = new ArrayList<>();

    private S3AdapterVsAwsCli(Path work, int rounds, String partSize, int partConcurrency, int objectConcurrency) {
        this.work = work;
        this.rounds = rounds;
        this.partSize = partSize;
        this.partConcurrency = partConcurrency;
        this.objectConcurrency = objectConcurrency;
        this.server = S3ProxyServer.start(work.resolve("s3proxy"));
        this.store = ObjectStores.open(ObjectStoreConfig.builder("s3").name("bench")
                .endpoint(server.endpoint().toString()).region(S3ProxyServer.REGION)
                .accessKey(S3ProxyServer.ACCESS_KEY).secretKey(S3ProxyServer.SECRET_KEY).pathStyle(true)
                .option("partSize", partSize).option("concurrency", Integer.toString(partConcurrency))
                .option("maxConnections", "64").option("conditionalWrites", "false").build());
        store.createBucket("bench");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path work = Path.of(opts.getOrDefault("work", "bench/results/storage-work")).toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        S3AdapterVsAwsCli bench = new S3AdapterVsAwsCli(work, Integer.parseInt(opts.getOrDefault("rounds", "2")),
                opts.getOrDefault("part-size", "16MiB"), Integer.parseInt(opts.getOrDefault("part-concurrency", "8")),
                Integer.parseInt(opts.getOrDefault("object-concurrency", "10")));
        String only = opts.getOrDefault("only", "all");
        try {
            System.out.printf(Locale.ROOT, "S3Proxy %s, adapter parts %s x %d in flight, %d objects in flight; AWS CLI: %s%n",
                    bench.server.endpoint(), bench.partSize, bench.partConcurrency, bench.objectConcurrency, awsVersion());
            if (only.equals("all") || only.equals("big")) {
                bench.bigObject();
            }
            if (only.equals("all") || only.equals("medium")) {
                bench.manyObjects("medium", 64, 16 * MIB);
            }
            if (only.equals("all") || only.equals("small")) {
                bench.manyObjects("small", 2000, 64 * 1024);
            }
            bench.report(Path.of(opts.getOrDefault("out", "bench/results")).toAbsolutePath());
        } finally {
            bench.store.close();
            bench.server.close();
            deleteTree(work);
        }
    }

    // ---------------------------------------------------------------- scenarios

    private void bigObject() throws Exception {
        long size = 1024 * MIB;
        Path file = work.resolve("src-big/one-gib.bin");
        writeGenerated(file, size, 1);
        double bestAdapter = 0;
        double bestCli = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            ObjectInfo info;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
                info = store.put("bench", "adapter/one-gib.bin", in, PutOptions.DEFAULT.withContentLength(size));
            }
            double adapter = mibPerSec(size, System.nanoTime() - t0);
            check(info.size() == size && info.etag().contains("-"), "adapter upload was not a complete multipart upload");
            long t1 = System.nanoTime();
            aws("s3", "cp", file.toString(), "s3://bench/cli/one-gib.bin");
            double cli = mibPerSec(size, System.nanoTime() - t1);
            check(store.head("bench", "cli/one-gib.bin").orElseThrow().size() == size, "CLI upload incomplete");
            System.out.printf(Locale.ROOT, "  1 GiB single object upload, round %d: adapter %.1f MiB/s, AWS CLI %.1f MiB/s%n", r + 1, adapter, cli);
            bestAdapter = Math.max(bestAdapter, adapter);
            bestCli = Math.max(bestCli, cli);
            store.delete("bench", "adapter/one-gib.bin");
            store.delete("bench", "cli/one-gib.bin");
        }
        record("1 GiB single object, multipart upload", size, bestAdapter, bestCli);
        Files.delete(file);
    }

    private void manyObjects(String name, int count, long size) throws Exception {
        Path src = work.resolve("src-" + name);
        for (int i = 0; i < count; i++) {
            writeGenerated(src.resolve(String.format("obj-%05d.bin", i)), size, 1000L + i);
        }
        long total = count * size;
        String label = count + " x " + human(size);
        double upA = 0;
        double upC = 0;
        double downA = 0;
        double downC = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            parallel(count, i -> {
                Path f = src.resolve(String.format("obj-%05d.bin", i));
                try (InputStream in = Files.newInputStream(f)) {
                    store.put("bench", "adapter-" + name + "/" + f.getFileName(), in, PutOptions.DEFAULT.withContentLength(size));
                }
            });
            double a = mibPerSec(total, System.nanoTime() - t0);
            long t1 = System.nanoTime();
            aws("s3", "cp", "--recursive", "--quiet", src.toString(), "s3://bench/cli-" + name + "/");
            double c = mibPerSec(total, System.nanoTime() - t1);
            check(store.listAll("bench", "adapter-" + name + "/").count() == count, "adapter upload incomplete");
            check(store.listAll("bench", "cli-" + name + "/").count() == count, "CLI upload incomplete");

            Path dstA = work.resolve("dst-adapter-" + name);
            Path dstC = work.resolve("dst-cli-" + name);
            Files.createDirectories(dstA);
            long t2 = System.nanoTime();
            parallel(count, i -> {
                String file = String.format("obj-%05d.bin", i);
                try (ObjectContent content = store.get("bench", "adapter-" + name + "/" + file)) {
                    Files.copy(content.stream(), dstA.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            });
            double da = mibPerSec(total, System.nanoTime() - t2);
            long t3 = System.nanoTime();
            aws("s3", "cp", "--recursive", "--quiet", "s3://bench/adapter-" + name + "/", dstC.toString());
            double dc = mibPerSec(total, System.nanoTime() - t3);
            check(sameBytes(src.resolve("obj-00000.bin"), dstA.resolve("obj-00000.bin")), "adapter download differs");
            check(sameBytes(src.resolve(String.format("obj-%05d.bin", count - 1)), dstC.resolve(String.format("obj-%05d.bin", count - 1))),
                    "CLI download differs");
            System.out.printf(Locale.ROOT, "  %s, round %d: upload adapter %.1f / CLI %.1f MiB/s; download adapter %.1f / CLI %.1f MiB/s%n",
                    label, r + 1, a, c, da, dc);
            upA = Math.max(upA, a);
            upC = Math.max(upC, c);
            downA = Math.max(downA, da);
            downC = Math.max(downC, dc);
            deleteTree(dstA);
            deleteTree(dstC);
            parallel(count, i -> {
                String file = String.format("obj-%05d.bin", i);
                store.delete("bench", "adapter-" + name + "/" + file);
                store.delete("bench", "cli-" + name + "/" + file);
            });
        }
        record(label + " upload", total, upA, upC);
        record(label + " download", total, downA, downC);
        deleteTree(src);
    }

    // ---------------------------------------------------------------- helpers

    @FunctionalInterface
    private interface Task {
        void run(int index) throws Exception;
    }

    private void parallel(int count, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(objectConcurrency);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    task.run(index);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private void aws(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", server.endpoint().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("aws.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", S3ProxyServer.REGION);
        env.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        env.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        // No user config: the CLI's defaults (8 MiB chunks, 10 concurrent requests) are the baseline.
        env.put("AWS_CONFIG_FILE", work.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-aws-credentials").toString());
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("aws " + String.join(" ", args) + " failed: " + Files.readString(work.resolve("aws.log")));
        }
    }

    private static String awsVersion() {
        try {
            Process p = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("the AWS CLI is the baseline of this benchmark and was not found: " + e.getMessage(), e);
        }
    }

    private void record(String scenario, long bytes, double adapter, double cli) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("scenario", scenario);
        row.put("bytes", bytes);
        row.put("adapterMiBps", round(adapter));
        row.put("awsCliMiBps", round(cli));
        row.put("ratio", round(adapter / cli));
        results.add(row);
    }

    private void report(Path outDir) throws IOException {
        StringBuilder table = new StringBuilder();
        table.append("| scenario | S3 adapter MiB/s | AWS CLI MiB/s | ratio (adapter / CLI) |\n|---|---:|---:|---:|\n");
        StringBuilder json = new StringBuilder("[\n");
        for (int i = 0; i < results.size(); i++) {
            Map<String, Object> r = results.get(i);
            table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |%n", r.get("scenario"), r.get("adapterMiBps"),
                    r.get("awsCliMiBps"), r.get("ratio")));
            json.append(String.format(Locale.ROOT, "  {\"scenario\": \"%s\", \"bytes\": %d, \"adapterMiBps\": %.1f, \"awsCliMiBps\": %.1f, \"ratio\": %.2f}%s%n",
                    r.get("scenario"), r.get("bytes"), r.get("adapterMiBps"), r.get("awsCliMiBps"), r.get("ratio"),
                    i + 1 < results.size() ? "," : ""));
        }
        json.append("]\n");
        System.out.println();
        System.out.print(table);
        Files.createDirectories(outDir);
        Path file = outDir.resolve("storage-s3-vs-awscli-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, json);
        System.out.println("results: " + file);
    }

    private static void writeGenerated(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        try (InputStream in = new GeneratedInputStream(size, seed); OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        }
    }

    private static boolean sameBytes(Path a, Path b) throws IOException {
        return Files.mismatch(a, b) == -1;
    }

    private static double mibPerSec(long bytes, long nanos) {
        return bytes / (double) MIB / (nanos / 1e9);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String human(long bytes) {
        return bytes >= MIB ? bytes / MIB + " MiB" : bytes / 1024 + " KiB";
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
