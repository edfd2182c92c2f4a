package io.skyforge.bench.placement;

import io.skyforge.control.placement.CloudCandidate;
import io.skyforge.control.placement.JobKind;
import io.skyforge.control.placement.Placer;
import io.skyforge.control.placement.PlacementDecision;
import io.skyforge.control.placement.PlacementExplainer;
import io.skyforge.control.placement.PlacementRequest;
import io.skyforge.control.placement.Policy;
import io.skyforge.control.placement.PriceSchedule;
import io.skyforge.control.placement.Priority;
import io.skyforge.control.placement.ResidencyConstraint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Placement throughput (issue 6: ≥ 10,000 decisions/s with 50 clouds and 1,000 pending tasks).
 *
 * <p>One <em>decision</em> is what the DataJob controller does per job it places: derive every
 * cloud's running count from the pending/running task table (1,000 tasks, each on one cloud), build
 * the 50-cloud snapshot, and call {@link Placer#place} — all six filters, the four score terms, the
 * split assignment and, for batch jobs, the search of every cloud's price windows for a cheaper start.
 * The chosen cloud then takes the oldest task's place in the table, so loads drift between decisions
 * as they would in a busy control plane. Requests rotate over 64 mixes of policy, priority, split,
 * residency, pin, cluster and container/generate jobs.
 *
 * <p>Baseline, measured in the same run: {@code filtersOnly} does the same load derivation and
 * snapshot but only evaluates the filters ({@link Placer#eligible}), i.e. the cheapest thing a
 * placement could be. {@code decideAndExplain} adds the text {@code skyforge explain job} prints.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlacementBenchmark {

    @Param("50")
    int clouds;

    @Param("1000")
    int pendingTasks;

    private final Placer placer = new Placer();
    private CloudCandidate[] base;
    private int[] taskCloud;
    private int oldest;
    private PlacementRequest[] requests;
    private int next;
    private Instant now;

    @Setup
    public void setUp() {
        Random rnd = new Random(42);
        List<String> jurisdictions = List.of("cn", "eu", "us", "sg");
        base = new CloudCandidate[clouds];
        for (int i = 0; i < clouds; i++) {
            String j = jurisdictions.get(i % jurisdictions.size());
            List<PriceSchedule.Window> windows = i % 2 == 0
                    ? List.of(new PriceSchedule.Window(22, 6, 0.02 + rnd.nextDouble() * 0.03),
                    new PriceSchedule.Window(12, 14, 0.15))
                    : List.of();
            String compute = i % 5 == 0 ? "kubernetes" : i % 5 == 1 ? "worker" : "local";
            base[i] = new CloudCandidate(String.format("cloud-%02d", i), i % 17 != 16, "HealthCheckPassed", j, j + "-" + (i % 3),
                    Map.of("jurisdiction", j), compute, 16 + rnd.nextInt(48), 0,
                    new PriceSchedule(0.05 + rnd.nextDouble() * 0.10, windows), 0.05 + rnd.nextDouble() * 0.07, "USD");
        }
        taskCloud = new int[pendingTasks];
        for (int t = 0; t < pendingTasks; t++) {
            taskCloud[t] = rnd.nextInt(clouds);
        }
        requests = new PlacementRequest[64];
        for (int r = 0; r < requests.length; r++) {
            PlacementRequest.Builder b = PlacementRequest.builder("team-a/job-" + r)
                    .kind(r % 16 == 5 ? JobKind.CONTAINER : JobKind.GENERATE)
                    .priority(r % 2 == 0 ? Priority.BATCH : Priority.CRITICAL)
                    .policy(Policy.values()[r % 4])
                    .allowSplit(r % 3 == 0)
                    .partitions(1 + rnd.nextInt(64))
                    .cpuHoursPerPartition(0.1 + rnd.nextDouble() * 2)
                    .outputBytes((long) (rnd.nextDouble() * 20e9))
                    .outputCopies(List.of(base[rnd.nextInt(clouds)].name(), base[rnd.nextInt(clouds)].name()))
                    .preferredRegion(r % 4 == 1 ? "eu-1" : null);
            if (Policy.values()[r % 4] == Policy.CUSTOM) {
                b.weights(Map.of("cost", 1.0 + r % 3, "load", 1.0, "locality", 0.5));
            }
            if (r % 4 != 3) {
                b.residency(new ResidencyConstraint("Dataset team-a/ds-" + r + " label residency.skyforge.io/allowed=cn,eu",
                        List.of("cn", "eu")));
            }
            if (r % 8 == 7) {
                b.residency(new ResidencyConstraint("LogicalBucket team-a/lb-" + r + " spec.residency.allowed=eu,us",
                        List.of("eu", "us")));
            }
            if (r % 16 == 9) {
                b.pinnedCloud(base[1].name());
            }
            if (r % 16 == 13) {
                b.cluster("pool", Map.of(base[0].name(), 8, base[1].name(), 8, base[4].name(), 4, base[5].name(), 16));
            }
            requests[r] = b.build();
        }
        now = Instant.parse("2026-11-28T15:20:00Z");
    }

    /** The snapshot with running counts derived from the task table. */
    private List<CloudCandidate> snapshot() {
        int[] running = new int[clouds];
        for (int c : taskCloud) {
            running[c]++;
        }
        List<CloudCandidate> out = new ArrayList<>(clouds);
        for (int i = 0; i < clouds; i++) {
            out.add(base[i].withRunning(running[i]));
        }
        return out;
    }

    private PlacementRequest nextRequest() {
        PlacementRequest r = requests[next];
        next = (next + 1) % requests.length;
        return r;
    }

    private void recordTask(PlacementDecision d) {
        if (!d.winners().isEmpty()) {
            String w = d.winners().get(0);
            taskCloud[oldest] = Integer.parseInt(w.substring(w.indexOf('-') + 1));
            oldest = (oldest + 1) % taskCloud.length;
        }
    }

    @Benchmark
    public PlacementDecision decide() {
        PlacementDecision d = placer.place(nextRequest(), snapshot(), now);
        recordTask(d);
        return d;
    }

    @Benchmark
    public List<String> filtersOnly() {
        return placer.eligible(nextRequest(), snapshot());
    }

    @Benchmark
    public String decideAndExplain() {
        PlacementDecision d = placer.place(nextRequest(), snapshot(), now);
        recordTask(d);
        return PlacementExplainer.render(d);
    }
}
