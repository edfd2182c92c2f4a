package io.skyforge.control.cloud;

import io.skyforge.control.resources.ResourceService;
import io.skyforge.control.store.ResourcePage;
import io.skyforge.control.store.Watch;
import io.skyforge.control.store.WatchEvent;
import io.skyforge.control.store.WatchListener;
import io.skyforge.core.codec.Json;
import io.skyforge.core.model.Condition;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.select.LabelSelector;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ObjectStore;
import io.skyforge.spi.storage.StoreHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps {@link CloudRegistry} in step with the {@code Cloud} resources (watch) and probes every
 * cloud periodically, writing {@code status.conditions[Ready]} (reason and last error, never a
 * secret), {@code status.probe} (latency, time) through the status subresource and telling a
 * {@link CloudObserver}. The status is written when the Ready condition changes and at least every
 * {@code statusRefresh}, so a steady fleet does not turn every probe into a resource change.
 */
public final class CloudController implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CloudController.class.getName());

    private final ResourceService service;
    private final CloudRegistry registry;
    private final CloudObserver observer;
    private final Duration interval;
    private final Duration statusRefresh;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final ExecutorService probes;
    private final Set<String> probing = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> lastWritten = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private volatile Watch watch;
    private volatile boolean closed;

    public CloudController(ResourceService service, CloudRegistry registry, CloudObserver observer, Duration interval,
                           Duration statusRefresh, Clock clock) {
        this.service = Objects.requireNonNull(service, "service");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.interval = requirePositive(interval, "interval");
        this.statusRefresh = requirePositive(statusRefresh, "statusRefresh");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("skyforge-cloud-timer"));
        // Probes of an unreachable endpoint block until their timeout: one thread per cloud at a time, a few in parallel.
        this.probes = Executors.newFixedThreadPool(4, daemon("skyforge-cloud-probe"));
    }

    public CloudRegistry registry() {
        return registry;
    }

    /** Called with a cloud's name whenever its store is rebuilt, removed, or its health flips. */
    public void addListener(Consumer<String> listener) {
        listeners.add(listener);
    }

    public void start() {
        start0();
        timer.scheduleWithFixedDelay(this::probeAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void restartWatch() {
        if (closed) {
            return;
        }
        try {
            start0();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot restart the cloud watch: " + e.getMessage());
            timer.schedule(this::restartWatch, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void start0() {
        ResourcePage page = service.store().list(Kinds.CLOUD, null, LabelSelector.EVERYTHING, 0, null);
        Set<String> present = ConcurrentHashMap.newKeySet();
        for (Resource r : page.items()) {
            present.add(r.name());
            configure(r);
        }
        for (String n : registry.names()) {
            if (!present.contains(n)) {
                removed(n);
            }
        }
        watch = service.store().watch(Kinds.CLOUD, null, Long.toString(page.resourceVersion()), new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                onChange(event);
            }

            @Override
            public void onError(SkyforgeException error) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "cloud watch ended (" + error.code().code() + "); restarting from a fresh list");
                    timer.execute(CloudController.this::restartWatch);
                }
            }
        });
    }

    private void onChange(WatchEvent event) {
        Resource r = event.object();
        if (event.type() == WatchEvent.Type.DELETED) {
            removed(r.name());
            return;
        }
        long generation = r.metadata().generation() == null ? 0 : r.metadata().generation();
        CloudRegistry.CloudState known = registry.state(r.name()).orElse(null);
        boolean relabelled = known != null && !Objects.equals(known.jurisdiction(),
                r.metadata().labels().get(CloudRegistry.JURISDICTION_LABEL));
        // Our own status writes come back as MODIFIED events with the same generation: nothing to rebuild.
        if (known == null || known.generation() != generation || relabelled) {
            configure(r);
        }
    }

    private void configure(Resource stored) {
        CloudRegistry.CloudState state = registry.configure(service.unsealed(stored));
        LOG.log(System.Logger.Level.INFO, "cloud " + state.name() + ": " + state.type() + " store " + (state.store() != null ? "ready for probing" : "not usable: " + state.configError().getMessage()));
        lastWritten.remove(state.name());
        notifyListeners(state.name());
        probeAsync(state.name());
    }

    private void removed(String name) {
        registry.remove(name);
        lastWritten.remove(name);
        observer.removed(name);
        notifyListeners(name);
    }

    /** Probes every cloud now (in parallel, skipping one whose previous probe is still running). */
    public void probeAll() {
        for (String n : registry.names()) {
            probeAsync(n);
        }
    }

    private void probeAsync(String name) {
        if (closed || !probing.add(name)) {
            return;
        }
        try {
            probes.execute(() -> {
                try {
                    probe(name);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "probe of cloud " + name + " failed unexpectedly: " + e.toString());
                } finally {
                    probing.remove(name);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            probing.remove(name);
        }
    }

    /** Probes one cloud on the calling thread and records the outcome; for tests and the periodic loop. */
    public void probe(String name) {
        CloudRegistry.CloudState state = registry.state(name).orElse(null);
        if (state == null) {
            return;
        }
        Condition ready;
        ObjectNode probeStatus = Json.MAPPER.createObjectNode();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        boolean wasHealthy = state.healthy();
        if (state.store() == null) {
            SkyforgeException e = state.configError();
            String reason = e.code() == ErrorCode.MISSING_VARIABLE ? "MissingVariable" : "InvalidConfig";
            String message = e.code() == ErrorCode.MISSING_VARIABLE ? e.getMessage() : e.code().code() + ": " + e.getMessage();
            ready = Condition.of("Ready", false, reason, registry.scrub(name, message), state.generation(), now);
            observer.probed(name, false, null);
        } else {
            ObjectStore store = state.store();
            StoreHealth h = store.probe();
            registry.recordHealth(name, store, h);
            observer.probed(name, h.up(), h.latency());
            probeStatus.put("latencyMs", h.latency().toMillis());
            probeStatus.put("lastProbeTime", now.toString());
            if (h.up()) {
                ready = Condition.of("Ready", true, "ProbeSucceeded", "the " + state.type() + " endpoint answered in "
                        + h.latency().toMillis() + " ms", state.generation(), now);
            } else {
                String message = h.error().code() + ": " + registry.scrub(name, h.message());
                probeStatus.put("lastError", message);
                ready = Condition.of("Ready", false, reason(h.error()), message, state.generation(), now);
            }
            if (wasHealthy != h.up()) {
                LOG.log(System.Logger.Level.INFO, "cloud " + name + " is now " + (h.up() ? "up" : "down: " + ready.message()));
                notifyListeners(name);
            }
        }
        writeStatus(name, state.generation(), ready, probeStatus, now);
    }

    static String reason(ErrorCode code) {
        return switch (code) {
            case ACCESS_DENIED, UNAUTHORIZED, FORBIDDEN -> "AccessDenied";
            case UNAVAILABLE, IO, TIMEOUT -> "Unreachable";
            case THROTTLED -> "Throttled";
            case BUCKET_NOT_FOUND, NOT_FOUND -> "NotFound";
            default -> "ProbeFailed";
        };
    }

    private void writeStatus(String name, long generation, Condition ready, ObjectNode probeStatus, Instant now) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Resource fresh = service.store().get(Kinds.CLOUD, null, name).orElse(null);
            if (fresh == null || fresh.metadata().generation() == null || fresh.metadata().generation() != generation) {
                return; // deleted or changed meanwhile: the rebuild's own probe reports
            }
            ObjectNode status = fresh.status().deepCopy();
            JsonNode previous = readyCondition(status);
            boolean sameReady = previous != null && ready.status().equals(previous.path("status").asString())
                    && Objects.equals(ready.reason(), previous.path("reason").asString(null))
                    && Objects.equals(ready.message(), previous.path("message").asString(null));
            Instant last = lastWritten.get(name);
            if (sameReady && last != null && last.plus(statusRefresh).isAfter(now)) {
                return;
            }
            Condition c = ready;
            if (previous != null && ready.status().equals(previous.path("status").asString())
                    && !previous.path("lastTransitionTime").isMissingNode()) {
                c = new Condition(ready.type(), ready.status(), ready.reason(), ready.message(),
                        Instant.parse(previous.path("lastTransitionTime").asString()), ready.observedGeneration());
            }
            ArrayNode conditions = Json.MAPPER.createArrayNode();
            for (JsonNode old : status.path("conditions")) {
                if (!"Ready".equals(old.path("type").asString())) {
                    conditions.add(old);
                }
            }
            conditions.add((JsonNode) Json.MAPPER.valueToTree(c));
            status.set("conditions", conditions);
            status.set("probe", probeStatus);
            status.put("observedGeneration", generation);
            try {
                service.store().updateStatus(fresh.withStatus(status));
                lastWritten.put(name, now);
                return;
            } catch (SkyforgeException e) {
                if (e.code() != ErrorCode.CONFLICT && e.code() != ErrorCode.NOT_FOUND) {
                    LOG.log(System.Logger.Level.WARNING, "cannot write the status of cloud " + name + ": " + e.getMessage());
                    return;
                }
            }
        }
    }

    private static JsonNode readyCondition(ObjectNode status) {
        for (JsonNode c : status.path("conditions")) {
            if ("Ready".equals(c.path("type").asString())) {
                return c;
            }
        }
        return null;
    }

    private void notifyListeners(String name) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(name);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cloud listener failed: " + e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Watch w = watch;
        if (w != null) {
            w.close();
        }
        timer.shutdownNow();
        probes.shutdownNow();
        try {
            probes.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
