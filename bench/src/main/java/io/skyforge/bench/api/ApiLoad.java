package io.skyforge.bench.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Load client for the control-plane API (issue 2's targets), run by bench/scripts/api-bench.sh
 * against a real server on loopback:
 * <ul>
 *   <li>seeds the store up to N resources (1,000 of every 10,000 share one label value);</li>
 *   <li>lists the 1,000 labelled ones with a selector, repeatedly;</li>
 *   <li>gets random resources by name at a fixed open-loop rate, latency measured from each request's
 *       scheduled time (so a stall is charged to every request it delays), and the same for
 *       {@code /actuator/health} as the baseline: the HTTP stack with no store behind it.</li>
 * </ul>
 * Usage: {@code ApiLoad URL TOKEN TOTAL RATE SECONDS}
 */
public final class ApiLoad {

    private static final String PATH = "/apis/batch.mcp/v1/namespaces/bench/datajobs";
    /** Keep-alive connections for the fixed-rate phase, as wrk2's {@code -c}: enough that one slow reply does not queue the rest. */
    private static final int CONNECTIONS = 16;

    private final String base;
    private final String token;
    private final HttpClient http;

    private ApiLoad(String base, String token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(8)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static void main(String[] args) throws Exception {
        ApiLoad load = new ApiLoad(args[0], args[1]);
        int total = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        load.seed(total);
        load.listWithSelector(20);
        long[] health = load.openLoop("/actuator/health", rate, seconds, total, true);
        long[] get = load.openLoop(PATH, rate, seconds, total, false);
        report("baseline GET /actuator/health", rate, health);
        report("GET datajob by name (store of " + total + ")", rate, get);
        System.out.printf(Locale.ROOT, "RESULT get_p99_ms=%.2f health_p99_ms=%.2f get_vs_health_p99_ratio=%.2f%n",
                pct(get, 99) / 1e6, pct(health, 99) / 1e6, (double) pct(get, 99) / Math.max(1, pct(health, 99)));
        System.exit(0);
    }

    static String job(int i) {
        return "{\"apiVersion\":\"batch.mcp/v1\",\"kind\":\"DataJob\",\"metadata\":{\"name\":\"job-" + i
                + "\",\"namespace\":\"bench\",\"labels\":{\"group\":\"g" + (i % 10) + "\",\"tier\":\"t" + (i % 3)
                + "\"}},\"spec\":{\"image\":\"proc:v" + i + "\",\"parallelism\":" + (1 + i % 16) + "}}";
    }

    /** Creates whatever of job-0..job-(total-1) is missing, 8 requests in flight. */
    private void seed(int total) throws Exception {
        long t0 = System.nanoTime();
        Semaphore inFlight = new Semaphore(8);
        AtomicInteger failures = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            inFlight.acquire();
            HttpRequest req = request(PATH + "/job-" + i + "?upsert=true")
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(job(i))).build();
            all.add(http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                inFlight.release();
                if (e != null || r.statusCode() >= 300) {
                    failures.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        System.out.printf(Locale.ROOT, "seeded %d resources in %.1f s (%d failures)%n", total,
                (System.nanoTime() - t0) / 1e9, failures.get());
        if (failures.get() > 0) {
            throw new IllegalStateException("seeding failed");
        }
    }

    private void listWithSelector(int times) throws Exception {
        long[] ms = new long[times];
        int items = 0;
        for (int i = 0; i < times; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(request(PATH + "?labelSelector=group%3Dg7").GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            ms[i] = System.nanoTime() - t0;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("list failed: " + r.statusCode() + " " + r.body());
            }
            items = countItems(r.body());
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "list with labelSelector group=g7 -> %d items: median %.1f ms, p95 %.1f ms, max %.1f ms"
                + " (%d runs; first run, cold: included)%n", items, ms[times / 2] / 1e6, ms[(int) (times * 0.95)] / 1e6,
                ms[times - 1] / 1e6, times);
        System.out.printf(Locale.ROOT, "RESULT list_items=%d list_median_ms=%.1f list_p95_ms=%.1f%n", items,
                ms[times / 2] / 1e6, ms[(int) (times * 0.95)] / 1e6);
    }

    private static int countItems(String body) {
        int n = 0;
        for (int i = body.indexOf("\"uid\""); i >= 0; i = body.indexOf("\"uid\"", i + 1)) {
            n++;
        }
        return n;
    }

    /** Fixed-rate requests; each latency runs from the request's scheduled start. Warms up for 10 s first (JIT, pools). */
    private long[] openLoop(String path, int rate, int seconds, int total, boolean fixedPath) throws Exception {
        run(path, rate, 10, total, fixedPath);
        return run(path, rate, seconds, total, fixedPath);
    }

    /**
     * Open-loop load the way wrk2 applies it: a fixed set of keep-alive connections, each owned by one
     * thread, fed from a schedule of one request every 1/rate seconds. A request waits for a free
     * connection when all are busy, and that wait counts in its latency (no coordinated omission).
     * The JDK HttpClient is not used here because it opens a new connection whenever all are busy,
     * which puts the cost of TCP set-up and server thread start into the tail being measured.
     */
    private long[] run(String path, int rate, int seconds, int total, boolean fixedPath) throws Exception {
        int n = rate * seconds;
        long[] latencies = new long[n];
        long[] scheduled = new long[n];
        String[] paths = new String[n];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < n; i++) {
            paths[i] = fixedPath ? path : path + "/job-" + random.nextInt(total);
        }
        URI uri = URI.create(base);
        BlockingQueue<Integer> due = new LinkedBlockingQueue<>();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        List<Thread> connections = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Thread t = new Thread(() -> {
                try (RawHttpConnection conn = new RawHttpConnection(uri.getHost(), uri.getPort(), token)) {
                    while (true) {
                        int i = due.take();
                        if (i < 0) {
                            return;
                        }
                        int status = conn.get(paths[i]);
                        latencies[i] = System.nanoTime() - scheduled[i];
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                        done.countDown();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    errors.incrementAndGet();
                    while (done.getCount() > 0) {
                        done.countDown();
                    }
                }
            }, "load-conn-" + c);
            t.setDaemon(true);
            t.start();
            connections.add(t);
        }
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime() + 10_000_000L;
        for (int i = 0; i < n; i++) {
            scheduled[i] = start + i * intervalNanos;
            long wait = scheduled[i] - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            due.add(i);
        }
        done.await();
        for (int c = 0; c < CONNECTIONS; c++) {
            due.add(-1);
        }
        for (Thread t : connections) {
            t.join();
        }
        if (errors.get() > 0) {
            throw new IllegalStateException(errors.get() + " requests to " + path + " failed");
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
    }

    private static long pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
    }

    private static void report(String what, int rate, long[] l) {
        System.out.printf(Locale.ROOT, "%s at %d req/s for %d requests: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                what, rate, l.length, pct(l, 50) / 1e6, pct(l, 90) / 1e6, pct(l, 99) / 1e6, l[l.length - 1] / 1e6);
    }
}
