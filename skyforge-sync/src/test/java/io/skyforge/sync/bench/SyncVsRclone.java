package io.skyforge.sync.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.ObjectStoreConfig;
import io.skyforge.spi.storage.ObjectStores;
import io.skyforge.spi.storage.PutOptions;
import io.skyforge.sync.replication.LogicalBucketReplicator;
import io.skyforge.sync.replication.SyncConfig;
import io.skyforge.sync.replication.SyncCopy;
import io.skyforge.testkit.storage.GeneratedInputStream;
import io.skyforge.testkit.storage.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One-way replication throughput of the sync engine against {@code rclone copy}, between the same two
 * S3Proxy endpoints (each in its own JVM), on the same source objects, in the same run. Run it with
 * {@code bench/scripts/sync-vs-rclone.sh}.
 *
 * <p>Each run also reports the CPU time it cost: the tool's (the replicator's JVM, or the rclone process)
 * and the two endpoints' together. On a machine with few cores the tools compete with the servers for the
 * same CPUs, so CPU per object explains most of a throughput difference.
 *
 * <p>Arguments: {@code [--only small|big] [--rounds N] [--warm-up W] [--dir D] [--skip-rclone]}: W
 * warm-up rounds (default 1) before the N counted ones; the last option times the replicator alone, for
 * profiling it.
 */
public final class SyncVsRclone {

    record Dataset(String name, int count, int size) {
    }

    private SyncVsRclone() {
    }

    public static void main(String[] args) throws Exception {
        String only = null;
        int rounds = 1;
        int warmUps = 1;
        Path dir = Path.of("bench", "results", "sync");
        boolean withRclone = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--only" -> only = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warm-up" -> warmUps = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--skip-rclone" -> withRclone = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Dataset> sets = new ArrayList<>();
        if (only == null || only.equals("small")) {
            sets.add(new Dataset("small", 10_000, 64 * 1024));
        }
        if (only == null || only.equals("big")) {
            sets.add(new Dataset("big", 64, 16 * 1024 * 1024));
        }
        deleteTree(dir);
        // The endpoints run in their own JVMs, as rclone runs in its own process: the replicator's JVM then
        // spends its CPU on replication only, like rclone's, and neither tool shares a heap with a server.
        try (Endpoint a = Endpoint.start(dir.resolve("a"));
             Endpoint b = Endpoint.start(dir.resolve("b"));
             ObjectStore storeA = ObjectStores.open(config(a.uri, "CLOUD_A"));
             ObjectStore storeB = ObjectStores.open(config(b.uri, "CLOUD_B"))) {
            if (withRclone) {
                System.out.printf("rclone: %s%n", rcloneVersion());
            }
            System.out.printf("%-6s %-5s %-22s %10s %10s %8s %10s %10s %10s%n", "set", "round", "tool", "seconds", "MiB/s", "objects",
                    "tool cpu s", "S3 cpu s", "busy cores");
            int bucketNo = 0;
            for (Dataset set : sets) {
                String source = "src-" + set.name;
                storeA.createBucket(source);
                populate(storeA, source, set);
                // Rounds up to 0 are warm-ups, reported but not results: the endpoints are fresh JVMs, and whichever
                // tool went first paid their JIT (S3Proxy spent twice the CPU on the first run of a set as on the next);
                // the replicator's JVM, a long-running control plane's in use, compiles the AWS SDK for tens of
                // thousands of objects.
                List<Double> vsDefaults = new ArrayList<>();
                List<Double> vsTuned = new ArrayList<>();
                for (int round = withRclone ? 1 - warmUps : 1; round <= rounds; round++) {
                    if (!withRclone) {
                        flushDirtyPages();
                        String target = "sf-" + (++bucketNo);
                        skyforge(a, b, storeA, storeB, source, target, set, round);
                        deleteTree(dir.resolve("b").resolve(target));
                        continue;
                    }
                    // Each tool writes a whole data set to disk: the one after it would start under the kernel's
                    // write-back of those bytes. So every run starts with the dirty pages flushed, and the order
                    // rotates from round to round, so no tool always goes first.
                    List<String> order = new ArrayList<>(List.of("defaults", "tuned", "skyforge"));
                    java.util.Collections.rotate(order, -(round - 1));
                    Map<String, Double> seconds = new java.util.HashMap<>();
                    for (String tool : order) {
                        flushDirtyPages();
                        String target = (tool.equals("skyforge") ? "sf-" : "rc-") + (++bucketNo);
                        seconds.put(tool, switch (tool) {
                            case "defaults" -> rclone(a, b, source, target, set, round, "rclone (defaults)", List.of());
                            case "tuned" -> rclone(a, b, source, target, set, round, "rclone (16/16)",
                                    List.of("--transfers", "16", "--checkers", "16"));
                            default -> skyforge(a, b, storeA, storeB, source, target, set, round);
                        });
                        // Counted: its copy goes, so that every run writes into the same amount of free memory
                        // (a page cache full of earlier copies made later writers reclaim pages as they went).
                        deleteTree(dir.resolve("b").resolve(target));
                    }
                    double sync = seconds.get("skyforge");
                    System.out.printf(Locale.ROOT, "%-6s %-5d ratio vs defaults %.2fx, vs tuned %.2fx (order: %s)%s%n", set.name,
                            round, seconds.get("defaults") / sync, seconds.get("tuned") / sync, String.join(", ", order),
                            round <= 0 ? " - warm-up, not a result" : "");
                    if (round > 0) {
                        vsDefaults.add(seconds.get("defaults") / sync);
                        vsTuned.add(seconds.get("tuned") / sync);
                    }
                }
                if (!vsDefaults.isEmpty()) {
                    System.out.printf(Locale.ROOT, "RESULT set=%s rounds=%d warm_ups=%d vs_defaults_median=%.2f vs_tuned_median=%.2f"
                            + " vs_defaults=%s vs_tuned=%s%n", set.name, vsDefaults.size(), warmUps, median(vsDefaults),
                            median(vsTuned), ratios(vsDefaults), ratios(vsTuned));
                }
            }
        }
    }

    private static double median(List<Double> xs) {
        List<Double> sorted = xs.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String ratios(List<Double> xs) {
        return String.join(",", xs.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
    }

    /** {@code sync}(1): writes the page cache's dirty pages to disk, untimed, before a run. */
    private static void flushDirtyPages() throws IOException, InterruptedException {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
    }

    static ObjectStoreConfig config(URI endpoint, String name) {
        return ObjectStoreConfig.builder("s3").name(name)
                .endpoint(endpoint.toString())
                .region(S3ProxyServer.REGION)
                .accessKey(S3ProxyServer.ACCESS_KEY)
                .secretKey(S3ProxyServer.SECRET_KEY)
                .pathStyle(true)
                // One part per 16 MiB object, as rclone (multipart above 200 MiB) sends it.
                .option("part_size", "17MiB")
                .option("concurrency", "2")
                .option("max_connections", "128")
                .option("conditional_writes", "false")
                // Over plain http the SDK would hash every body to sign it and S3Proxy would hash it again to
                // check; rclone sends its uploads unsigned, so the two tools put the same work on the wire.
                .option("unsigned_payload", "true")
                .build();
    }

    private static void populate(ObjectStore store, String bucket, Dataset set) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < set.count; i++) {
            String key = String.format("obj/%05d", i);
            long seed = i;
            futures.add(pool.submit(() -> store.put(bucket, key, new GeneratedInputStream(set.size, seed),
                    PutOptions.defaults().withContentLength(set.size))));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private static double skyforge(Endpoint ea, Endpoint eb, ObjectStore a, ObjectStore b, String source, String target,
                                   Dataset set, int round) throws Exception {
        b.createBucket(target);
        LogicalBucketReplicator r = LogicalBucketReplicator.builder("bench-" + target)
                .copy(new SyncCopy("CLOUD_A", a, source, 16))
                .copy(new SyncCopy("CLOUD_B", b, target, 16))
                .config(SyncConfig.DEFAULTS.withScanInterval(Duration.ofMinutes(30)).withWorkers(32))
                .meterRegistry(new SimpleMeterRegistry())
                .build();
        long servers0 = ea.cpuTicks() + eb.cpuTicks();
        Map<String, Long> threads0 = threadTicks();
        long kernel0 = procStatField(Path.of("/proc/self/stat"), 12);
        long cpu0 = ownCpuNanos();
        long busy0 = machineBusyTicks();
        long t0 = System.nanoTime();
        r.start();
        if (!r.awaitQuiescent(Duration.ofMinutes(3), Duration.ofMillis(1))) {
            throw new IllegalStateException("replication did not finish: " + r.status());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double busy = (machineBusyTicks() - busy0) / TICKS_PER_SECOND / seconds;
        double cpu = (ownCpuNanos() - cpu0) / 1e9;
        double servers = (ea.cpuTicks() + eb.cpuTicks() - servers0) / TICKS_PER_SECOND;
        // Before close(): its worker threads end with it, and a thread that has ended has no CPU time to read.
        String byThread = threadDelta(threads0, threadTicks());
        double kernel = (procStatField(Path.of("/proc/self/stat"), 12) - kernel0) / TICKS_PER_SECOND;
        r.close();
        long n = b.listAll(target, "").count();
        report(set, round, "skyforge-sync", seconds, n, cpu, servers, busy);
        System.out.printf(Locale.ROOT, "       replicator CPU s in the kernel %.2f; by thread: %s%n", kernel, byThread);
        return seconds;
    }

    private static double rclone(Endpoint a, Endpoint b, String source, String target, Dataset set, int round,
                                 String label, List<String> extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("rclone", "copy", "A:" + source, "B:" + target, "--s3-no-check-bucket"));
        cmd.addAll(extra);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        Map<String, String> env = pb.environment();
        remote(env, "A", a);
        remote(env, "B", b);
        env.remove("AWS_CA_BUNDLE");
        createBucketWithRclone(env, target);
        long servers0 = a.cpuTicks() + b.cpuTicks();
        long children0 = reapedChildrenTicks();
        long busy0 = machineBusyTicks();
        long t0 = System.nanoTime();
        int rc = pb.start().waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double busy = (machineBusyTicks() - busy0) / TICKS_PER_SECOND / seconds;
        // rclone was waited for, so its CPU time is now in this process's count of reaped children.
        double cpu = (reapedChildrenTicks() - children0) / TICKS_PER_SECOND;
        double servers = (a.cpuTicks() + b.cpuTicks() - servers0) / TICKS_PER_SECOND;
        if (rc != 0) {
            throw new IllegalStateException("rclone failed with " + rc);
        }
        long n = count(env, target);
        report(set, round, label, seconds, n, cpu, servers, busy);
        return seconds;
    }

    private static void createBucketWithRclone(Map<String, String> env, String target) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("rclone", "mkdir", "B:" + target).inheritIO();
        pb.environment().putAll(env);
        if (pb.start().waitFor() != 0) {
            throw new IllegalStateException("rclone mkdir failed");
        }
    }

    private static long count(Map<String, String> env, String target) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("rclone", "lsf", "-R", "--files-only", "B:" + target);
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        long n = new String(p.getInputStream().readAllBytes()).lines().count();
        p.waitFor();
        return n;
    }

    private static void remote(Map<String, String> env, String name, Endpoint server) {
        String p = "RCLONE_CONFIG_" + name + "_";
        env.put(p + "TYPE", "s3");
        env.put(p + "PROVIDER", "Other");
        env.put(p + "ENDPOINT", server.uri.toString());
        env.put(p + "ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put(p + "SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put(p + "REGION", S3ProxyServer.REGION);
        env.put(p + "FORCE_PATH_STYLE", "true");
    }

    /** An S3Proxy endpoint in a child JVM ({@link S3ProxyServer#main}), on this process's class path. */
    static final class Endpoint implements AutoCloseable {
        final Process process;
        final URI uri;

        private Endpoint(Process process, URI uri) {
            this.process = process;
            this.uri = uri;
        }

        static Endpoint start(Path dir) throws IOException {
            Files.createDirectories(dir);
            Path log = dir.resolveSibling(dir.getFileName() + ".log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
            String jfrDir = System.getProperty("bench.endpointJfr");
            if (jfrDir != null) {
                cmd.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                        + Path.of(jfrDir, dir.getFileName() + ".jfr").toAbsolutePath());
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", ""),
                    S3ProxyServer.class.getName(), dir.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline && p.isAlive()) {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith("S3PROXY_ENDPOINT=")) {
                        return new Endpoint(p, URI.create(line.substring("S3PROXY_ENDPOINT=".length())));
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("S3Proxy did not start: " + Files.readString(log));
        }

        long cpuTicks() {
            return procStatTicks(Path.of("/proc", Long.toString(process.pid()), "stat"), 11);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String rcloneVersion() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("rclone", "version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("?");
        p.waitFor();
        return out;
    }

    private static void report(Dataset set, int round, String tool, double seconds, long objects, double cpu, double servers,
                               double busyCores) {
        if (objects != set.count) {
            throw new IllegalStateException(tool + " copied " + objects + " of " + set.count + " objects");
        }
        double mib = (double) set.count * set.size / (1024 * 1024);
        System.out.printf(Locale.ROOT, "%-6s %-5d %-22s %10.2f %10.1f %8d %10.2f %10.2f %10.2f%n", set.name, round, tool, seconds,
                mib / seconds, objects, cpu, servers, busyCores);
    }

    /** /proc reports CPU time in USER_HZ clock ticks, which Linux fixes at 100 per second for user space. */
    private static final double TICKS_PER_SECOND = 100.0;

    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * Ticks the whole machine spent busy (user, nice, system, irq and softirq of /proc/stat's total line: not idle,
     * iowait or time stolen by the hypervisor): divided by a run's
     * seconds, how many of the cores the run kept busy, whoever used them (the kernel's own threads included).
     */
    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7}) {
                busy += Long.parseLong(f[i]);
            }
            return busy;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** User and system time of this process's children that have exited and were waited for. */
    private static long reapedChildrenTicks() {
        return procStatTicks(Path.of("/proc/self/stat"), 13);
    }

    /**
     * Sums two adjacent tick counters of a /proc stat line, {@code index} counted from the field after the
     * command name (which may contain spaces, hence the split after its closing parenthesis): 11 is utime and
     * stime, 13 cutime and cstime.
     */
    private static long procStatTicks(Path stat, int index) {
        return procStatField(stat, index) + procStatField(stat, index + 1);
    }

    /** One counter of a /proc stat line, counted as {@link #procStatTicks} does (12 is stime, the kernel's share). */
    private static long procStatField(Path stat, int index) {
        try {
            String line = Files.readString(stat);
            return Long.parseLong(line.substring(line.lastIndexOf(')') + 2).split(" ")[index]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * This JVM's CPU ticks per kind of thread (the names /proc keeps, digits folded): where the replicator's CPU
     * goes between its workers, the HTTP client, the garbage collector and the JIT compilers.
     */
    private static Map<String, Long> threadTicks() {
        Map<String, Long> byKind = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip().replaceAll("\\d+", "N");
                    byKind.merge(comm, procStatTicks(task.resolve("stat"), 11), Long::sum);
                } catch (IOException | java.io.UncheckedIOException gone) {
                    // The thread ended between the listing and the read.
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return byKind;
    }

    private static String threadDelta(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder out = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() >= 5)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.append(String.format(Locale.ROOT, "%s %.2f; ", e.getKey(), e.getValue() / TICKS_PER_SECOND)));
        return out.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
