package io.skyforge.control.job;

import io.skyforge.control.placement.PlacementInputs;
import io.skyforge.control.resources.ResourceService;
import io.skyforge.core.codec.Json;
import io.skyforge.core.model.CloudSpec;
import io.skyforge.core.model.Condition;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.select.LabelSelector;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Says on every {@code compute.type: worker} Cloud whether worker processes are there to run its
 * tasks: condition {@code Workers} ({@code True}, reason {@code LiveWorkers}; or {@code False},
 * reason {@code NoLiveWorkers}, message {@code no live workers (last seen ...)}). A worker is live
 * while the control plane heard from it (claim, heartbeat, report) within {@code timeout}.
 * Placement reads the condition: a worker cloud without live workers fails the capacity filter, so
 * a job is not placed where nobody will run it (and {@code skyforge explain job} says why), and the
 * DataJob controller moves the pending tasks of unpinned jobs off it. When a worker calls in again
 * the condition turns {@code True} and the controller is asked to look at every job at once.
 *
 * <p>A control plane that has just started gives no {@code False} verdict for one {@code timeout}:
 * its workers may not have called yet (they retry while it restarts).
 */
public final class WorkerLiveness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerLiveness.class);
    static final String TYPE = PlacementInputs.WORKERS_CONDITION;
    /** Workers not heard from for this long are forgotten (each cloud keeps its most recent). */
    private static final Duration FORGET_AFTER = Duration.ofDays(1);
    /** Live workers named in the condition's message; the rest are counted. */
    private static final int NAMED = 5;

    private final ResourceService service;
    private final WorkerSightings sightings;
    private final Duration timeout;
    private final Clock clock;
    private final Runnable workersAppeared;
    private final Instant started;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "skyforge-worker-liveness");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param timeout         how long a worker counts as live after it last called
     * @param workersAppeared called when a worker cloud gets live workers (jobs waiting for them can be placed)
     */
    public WorkerLiveness(ResourceService service, WorkerSightings sightings, Duration timeout, Clock clock,
                          Runnable workersAppeared) {
        this.service = Objects.requireNonNull(service, "service");
        this.sightings = Objects.requireNonNull(sightings, "sightings");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.workersAppeared = Objects.requireNonNull(workersAppeared, "workersAppeared");
        if (timeout.toMillis() < 1000) {
            throw new IllegalArgumentException("the worker timeout must be at least 1 s, got " + timeout);
        }
        this.started = clock.instant();
    }

    public Duration timeout() {
        return timeout;
    }

    /** Checks every worker cloud about four times per timeout, at least once a second. */
    public void start() {
        long every = Math.min(1000, timeout.toMillis() / 4);
        timer.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                LOG.warn("worker liveness check failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** One check of every Cloud; writes the {@code Workers} conditions that changed. */
    public void check() {
        Instant now = clock.instant();
        Map<String, List<WorkerSightings.Sighting>> seen = sightings.byCloud();
        boolean judging = !now.isBefore(started.plus(timeout));
        boolean appeared = false;
        for (Resource cloud : service.list(Kinds.CLOUD, null, LabelSelector.EVERYTHING, 0, null).items()) {
            CloudSpec spec = Kinds.spec(cloud, CloudSpec.class);
            boolean workerCompute = spec.compute() != null && "worker".equals(spec.compute().type());
            if (!workerCompute) {
                if (condition(cloud.status()) != null) {
                    write(cloud.name(), null); // its compute changed: the verdict no longer applies
                }
                continue;
            }
            List<WorkerSightings.Sighting> all = seen.getOrDefault(cloud.name(), List.of());
            List<String> live = all.stream().filter(s -> s.at().isAfter(now.minus(timeout))).map(WorkerSightings.Sighting::owner)
                    .toList();
            Condition verdict;
            if (!live.isEmpty()) {
                verdict = Condition.of(TYPE, true, "LiveWorkers", live.size() + " live worker(s): "
                        + String.join(", ", live.subList(0, Math.min(NAMED, live.size())))
                        + (live.size() > NAMED ? ", ..." : ""), generation(cloud), now.truncatedTo(ChronoUnit.SECONDS));
            } else if (judging) {
                String last = all.isEmpty() ? "none has called this control plane yet"
                        : "last seen: " + all.get(0).owner() + " at " + all.get(0).at().truncatedTo(ChronoUnit.SECONDS);
                verdict = Condition.of(TYPE, false, "NoLiveWorkers", "no live workers (" + last + "); a worker counts as live for "
                        + timeout.toSeconds() + " s after its last claim or heartbeat: start `skyforge worker --cloud "
                        + cloud.name() + "`", generation(cloud), now.truncatedTo(ChronoUnit.SECONDS));
            } else {
                continue;
            }
            JsonNode old = condition(cloud.status());
            if (old != null && verdict.status().equals(old.path("status").asString())
                    && verdict.reason().equals(old.path("reason").asString()) && verdict.message().equals(old.path("message").asString())) {
                continue;
            }
            boolean cameBack = verdict.status().equals(Condition.TRUE)
                    && (old == null || !Condition.TRUE.equals(old.path("status").asString()));
            if (old == null || !verdict.status().equals(old.path("status").asString())) {
                LOG.info("cloud {}: {}", cloud.name(), verdict.message());
            }
            if (write(cloud.name(), verdict)) {
                appeared |= cameBack;
            }
        }
        if (appeared) {
            workersAppeared.run();
        }
        sightings.forgetOlderThan(now.minus(FORGET_AFTER));
    }

    private static long generation(Resource cloud) {
        return cloud.metadata().generation() == null ? 1 : cloud.metadata().generation();
    }

    private static JsonNode condition(JsonNode status) {
        for (JsonNode c : status.path("conditions")) {
            if (TYPE.equals(c.path("type").asString())) {
                return c;
            }
        }
        return null;
    }

    /**
     * Replaces (or, with null, removes) the cloud's {@code Workers} condition on a fresh read,
     * keeping every other condition: the cloud controller writes {@code Ready} on the same status.
     */
    private boolean write(String name, Condition verdict) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Resource fresh = service.store().get(Kinds.CLOUD, null, name).orElse(null);
            if (fresh == null) {
                return false;
            }
            ObjectNode status = fresh.status().deepCopy();
            JsonNode old = condition(status);
            ArrayNode conditions = Json.MAPPER.createArrayNode();
            for (JsonNode c : status.path("conditions")) {
                if (!TYPE.equals(c.path("type").asString())) {
                    conditions.add(c);
                }
            }
            if (verdict != null) {
                Condition c = verdict;
                if (old != null && verdict.status().equals(old.path("status").asString())
                        && !old.path("lastTransitionTime").isMissingNode()) {
                    c = new Condition(verdict.type(), verdict.status(), verdict.reason(), verdict.message(),
                            Instant.parse(old.path("lastTransitionTime").asString()), verdict.observedGeneration());
                }
                conditions.add((JsonNode) Json.MAPPER.valueToTree(c));
            }
            status.set("conditions", conditions);
            try {
                service.store().updateStatus(fresh.withStatus(status));
                return true;
            } catch (SkyforgeException e) {
                if (e.code() != ErrorCode.CONFLICT) {
                    LOG.warn("cannot write the Workers condition of cloud {}: {}", name, e.getMessage());
                    return false;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("worker liveness check still running at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
