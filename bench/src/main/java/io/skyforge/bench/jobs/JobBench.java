package io.skyforge.bench.jobs;

import io.skyforge.bench.datagen.DiscardSink;
import io.skyforge.bench.datagen.Specs;
import io.skyforge.cli.ApiClient;
import io.skyforge.core.Manifests;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.codec.Json;
import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.output.PartSink;
import io.skyforge.datagen.run.PartWriter;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.WriterOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Job execution benchmarks (issue 6), against a real `skyforge server` on loopback, run by
 * bench/scripts/job-bench.sh, timed on the client from the apply of a DataJob to seeing it
 * {@code Succeeded} (as a watch of its DataJobs reports it):
 * <ul>
 *   <li>{@code latency URL TOKEN N}: N one-partition jobs of a 10-row table on the local backend
 *       (cloud {@code bench-local}), one after the other; baseline in the same run: the apply
 *       request alone (the REST round trip every job pays).</li>
 *   <li>{@code run URL TOKEN CLOUD NAME ROWS PARTS}: one job of ROWS rows in PARTS partitions on
 *       CLOUD, whatever runs its tasks (the script starts one or two worker processes).</li>
 * </ul>
 */
public final class JobBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private JobBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("cpu")) {
            cpu(Double.parseDouble(args[1]));
            return;
        }
        ApiClient api = new ApiClient(args[1], args[2]);
        switch (args[0]) {
            case "latency" -> latency(api, args[2], Integer.parseInt(args[3]));
            case "run" -> run(api, args[2], args[3], args[4], Long.parseLong(args[5]), Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException("latency URL TOKEN N | run URL TOKEN CLOUD NAME ROWS PARTS | cpu SECONDS");
        }
        System.exit(0);
    }

    static String dataset(String name, long rows) {
        return """
                apiVersion: data.mcp/v1
                kind: Dataset
                metadata: {name: %s, namespace: bench}
                spec:
                  seed: 7
                  tables:
                    - name: events
                      rows: %d
                      columns:
                        - {name: event_id, type: bigint, generator: sequence}
                        - {name: first_name, type: varchar(40), generator: firstName}
                        - {name: last_name, type: varchar(40), generator: lastName}
                        - {name: email, type: varchar(120), generator: email}
                        - {name: kind, type: varchar(10), generator: {kind: choice, values: [view, click, cart, buy]}}
                        - {name: at, type: timestamp, generator: {kind: timestamp, min: "2024-01-01T00:00:00", max: "2024-12-31T23:59:59"}}
                        - {name: note, type: varchar(200), generator: {kind: words, min: 3, max: 12}}
                """.formatted(name, rows);
    }

    static String bucket(String cloud) {
        return """
                apiVersion: storage.mcp/v1
                kind: LogicalBucket
                metadata: {name: out-%s, namespace: bench}
                spec: {providers: [{cloud: %s, physicalId: bench-out}]}
                """.formatted(cloud, cloud);
    }

    static String job(String name, String cloud, String dataset, int parts) {
        return """
                apiVersion: batch.mcp/v1
                kind: DataJob
                metadata: {name: %s, namespace: bench}
                spec:
                  cloud: %s
                  generate: {dataset: %s}
                  output: {bucket: out-%s, prefix: %s, format: csv}
                  parallelism: %d
                """.formatted(name, cloud, dataset, cloud, name, parts);
    }

    static void apply(ApiClient api, String yaml) {
        for (Resource r : Manifests.read("bench.yaml", yaml)) {
            api.apply(r);
        }
    }

    static void awaitBucketReady(ApiClient api, String cloud) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            Resource b = api.get(Kinds.LOGICAL_BUCKET, "bench", "out-" + cloud).orElseThrow();
            for (var c : b.status().path("conditions")) {
                if (c.path("type").asString().equals("Ready") && c.path("status").asString().equals("True")) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("bucket out-" + cloud + " not Ready: " + b.status());
            }
            Thread.sleep(100);
        }
    }

    /**
     * Applies a job and answers nanoseconds until it is Succeeded, as a watch of the namespace's
     * DataJobs reports it: the watch is open before the clock starts, so the time is the job's own,
     * to the millisecond, and waiting costs the server one event per status write instead of a
     * status read per poll (polling every 100 ms cost a tenth of a core on a cold server, which two
     * workers on two cores need).
     */
    static long timeJob(ApiClient api, String token, String yaml, String name) throws Exception {
        HttpRequest watch = HttpRequest.newBuilder(URI.create(api.server() + "/apis/batch.mcp/v1/namespaces/bench/datajobs?watch=true"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> stream = HTTP.send(watch, HttpResponse.BodyHandlers.ofLines());
        if (stream.statusCode() != 200) {
            throw new IllegalStateException("watch of datajobs answered " + stream.statusCode());
        }
        try (Stream<String> lines = stream.body()) {
            Iterator<String> it = lines.iterator();
            // The server's first line (a comment) says the watch is registered: no status write can be missed.
            if (!it.hasNext()) {
                throw new IllegalStateException("the watch of datajobs ended at once");
            }
            it.next();
            long start = System.nanoTime();
            apply(api, yaml);
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data:")) {
                    continue;
                }
                JsonNode object = Json.MAPPER.readTree(line.substring(5)).path("object");
                if (!object.path("metadata").path("name").asString().equals(name)) {
                    continue;
                }
                String phase = object.path("status").path("phase").asString("");
                if (phase.equals("Succeeded")) {
                    return System.nanoTime() - start;
                }
                if (phase.equals("Failed")) {
                    throw new IllegalStateException("job " + name + " failed: " + object.path("status"));
                }
            }
            throw new IllegalStateException("the watch of datajobs ended before job " + name + " succeeded");
        }
    }

    static void latency(ApiClient api, String token, int n) throws Exception {
        apply(api, dataset("tiny", 10) + "---\n" + bucket("bench-local"));
        awaitBucketReady(api, "bench-local");
        for (int i = 0; i < 3; i++) {
            timeJob(api, token, job("warm-" + i, "bench-local", "tiny", 1), "warm-" + i);
        }
        long[] jobs = new long[n];
        long[] applies = new long[n];
        for (int i = 0; i < n; i++) {
            jobs[i] = timeJob(api, token, job("tiny-" + i, "bench-local", "tiny", 1), "tiny-" + i);
            // Baseline: the same apply request of a job that never runs (suspended), so it costs only REST + store.
            String idle = job("idle-" + i, "bench-local", "tiny", 1).replace("  parallelism: 1\n", "  parallelism: 1\n  suspend: true\n");
            long s = System.nanoTime();
            apply(api, idle);
            applies[i] = System.nanoTime() - s;
        }
        Arrays.sort(jobs);
        Arrays.sort(applies);
        System.out.printf(Locale.ROOT, "one-partition tiny job, apply -> Succeeded, local backend, %d jobs: median %.0f ms,"
                        + " p90 %.0f ms, min %.0f ms, max %.0f ms%n", n, ms(pct(jobs, 50)), ms(pct(jobs, 90)), ms(jobs[0]),
                ms(jobs[n - 1]));
        System.out.printf(Locale.ROOT, "baseline, the apply request alone: median %.0f ms, p90 %.0f ms%n",
                ms(pct(applies, 50)), ms(pct(applies, 90)));
        System.out.printf(Locale.ROOT, "RESULT job_median_ms=%.0f job_p90_ms=%.0f apply_median_ms=%.0f job_vs_apply_median=%.1f%n",
                ms(pct(jobs, 50)), ms(pct(jobs, 90)), ms(pct(applies, 50)), (double) pct(jobs, 50) / pct(applies, 50));
    }

    static void run(ApiClient api, String token, String cloud, String name, long rows, int parts) throws Exception {
        String ds = "rows-" + rows;
        apply(api, dataset(ds, rows) + "---\n" + bucket(cloud));
        awaitBucketReady(api, cloud);
        settle();
        long t = timeJob(api, token, job(name, cloud, ds, parts), name);
        Resource done = api.get(Kinds.DATA_JOB, "bench", name).orElseThrow();
        System.out.printf(Locale.ROOT, "RESULT job=%s rows=%d bytes=%d parts=%d seconds=%.2f%n", name,
                done.status().path("rows").asLong(), done.status().path("bytes").asLong(), parts, t / 1e9);
    }

    /**
     * The machine's own ceiling for the worker speed-up: the same table generated in this process,
     * one thread, into a sink that drops the bytes — the workers' CPU-bound core with no control
     * plane, no storage and no start-up — for 2 s untimed (JIT), then SECONDS timed; prints rows a
     * second. The script runs one such process, then two at once: their summed rate over the single
     * one's is what two cores give over one here, at that moment. On a VM whose vCPUs share physical
     * cores with other tenants that is well under 2, and it moves from minute to minute.
     */
    static void cpu(double seconds) throws IOException {
        CompiledDataset ds = Specs.compile("cpu.yaml", dataset("cpu", 10_000_000));
        WriterOptions csv = WriterOptions.of(Format.CSV);
        PartSink discard = new DiscardSink();
        int parts = 80; // 125,000 rows a part: a fine enough grain for a few seconds
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        int part = 0;
        while (System.nanoTime() < warmEnd) {
            PartWriter.write(ds, "events", part++ % parts, parts, csv, discard, 1, x -> { });
        }
        long rows = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            rows += PartWriter.write(ds, "events", part++ % parts, parts, csv, discard, 1, x -> { }).rows();
            now = System.nanoTime();
        } while (now < end);
        System.out.printf(Locale.ROOT, "RESULT cpu_rows_per_s=%.0f%n", rows / ((now - start) / 1e9));
    }

    /**
     * Waits (up to 15 s) until this client JVM is idle — its start-up compilation done — so that the
     * timed job does not share the cores with the benchmark's own JIT.
     */
    static void settle() throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long deadline = System.nanoTime() + 15_000_000_000L;
        long before = os.getProcessCpuTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(250);
            long now = os.getProcessCpuTime();
            if (now - before < 10_000_000L) {
                return;
            }
            before = now;
        }
    }

    static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
