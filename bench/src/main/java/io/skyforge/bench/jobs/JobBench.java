package io.skyforge.bench.jobs;

import io.skyforge.cli.ApiClient;
import io.skyforge.core.Manifests;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import java.util.Arrays;
import java.util.Locale;

/**
 * Job execution benchmarks (issue 6), against a real `skyforge server` on loopback, run by
 * bench/scripts/job-bench.sh, timed on the client from the apply of a DataJob to seeing it
 * {@code Succeeded} (status polled every 10 ms):
 * <ul>
 *   <li>{@code latency URL TOKEN N}: N one-partition jobs of a 10-row table on the local backend
 *       (cloud {@code bench-local}), one after the other; baseline in the same run: the apply
 *       request alone (the REST round trip every job pays).</li>
 *   <li>{@code run URL TOKEN CLOUD NAME ROWS PARTS}: one job of ROWS rows in PARTS partitions on
 *       CLOUD, whatever runs its tasks (the script starts one or two worker processes).</li>
 * </ul>
 */
public final class JobBench {

    private JobBench() {
    }

    public static void main(String[] args) throws Exception {
        ApiClient api = new ApiClient(args[1], args[2]);
        switch (args[0]) {
            case "latency" -> latency(api, Integer.parseInt(args[3]));
            case "run" -> run(api, args[3], args[4], Long.parseLong(args[5]), Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException("latency URL TOKEN N | run URL TOKEN CLOUD NAME ROWS PARTS");
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
     * Applies a job and answers nanoseconds until it is Succeeded, reading its status every
     * {@code pollMillis}: 10 ms for tiny jobs (the poll is the measurement's resolution), 100 ms for
     * the big one, where 100 polls a second cost the server CPU that two workers on two cores need.
     */
    static long timeJob(ApiClient api, String yaml, String name, long pollMillis) throws InterruptedException {
        long start = System.nanoTime();
        apply(api, yaml);
        while (true) {
            String phase = api.get(Kinds.DATA_JOB, "bench", name).orElseThrow().status().path("phase").asString("");
            if (phase.equals("Succeeded")) {
                return System.nanoTime() - start;
            }
            if (phase.equals("Failed")) {
                throw new IllegalStateException("job " + name + " failed: " + api.get(Kinds.DATA_JOB, "bench", name)
                        .orElseThrow().status());
            }
            Thread.sleep(pollMillis);
        }
    }

    static void latency(ApiClient api, int n) throws InterruptedException {
        apply(api, dataset("tiny", 10) + "---\n" + bucket("bench-local"));
        awaitBucketReady(api, "bench-local");
        for (int i = 0; i < 3; i++) {
            timeJob(api, job("warm-" + i, "bench-local", "tiny", 1), "warm-" + i, 10);
        }
        long[] jobs = new long[n];
        long[] applies = new long[n];
        for (int i = 0; i < n; i++) {
            jobs[i] = timeJob(api, job("tiny-" + i, "bench-local", "tiny", 1), "tiny-" + i, 10);
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

    static void run(ApiClient api, String cloud, String name, long rows, int parts) throws InterruptedException {
        String ds = "rows-" + rows;
        apply(api, dataset(ds, rows) + "---\n" + bucket(cloud));
        awaitBucketReady(api, cloud);
        long t = timeJob(api, job(name, cloud, ds, parts), name, 100);
        Resource done = api.get(Kinds.DATA_JOB, "bench", name).orElseThrow();
        System.out.printf(Locale.ROOT, "RESULT job=%s rows=%d bytes=%d parts=%d seconds=%.2f%n", name,
                done.status().path("rows").asLong(), done.status().path("bytes").asLong(), parts, t / 1e9);
    }

    static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
