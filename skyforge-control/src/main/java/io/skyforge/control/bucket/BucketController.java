package io.skyforge.control.bucket;

import io.skyforge.control.cloud.CloudController;
import io.skyforge.control.cloud.CloudRegistry;
import io.skyforge.control.resources.ResourceService;
import io.skyforge.control.store.ResourcePage;
import io.skyforge.control.store.Watch;
import io.skyforge.control.store.WatchEvent;
import io.skyforge.control.store.WatchListener;
import io.skyforge.core.codec.Json;
import io.skyforge.core.model.BucketProvider;
import io.skyforge.core.model.Condition;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.LogicalBucketSpec;
import io.skyforge.core.model.Resource;
import io.skyforge.core.select.LabelSelector;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ObjectKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes every {@code LogicalBucket}'s physical buckets exist: for each provider mapping it checks
 * the bucket/container on that cloud and creates it unless {@code spec.create} is false, then
 * writes {@code status.providers} (one entry per mapping with ready, reason, message) and the
 * {@code Ready} condition (true when every mapped bucket exists and answers). Reconciles on spec
 * changes, when a cloud's store or health changes, and periodically while a bucket is not Ready.
 */
public final class BucketController implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BucketController.class.getName());

    private final ResourceService service;
    private final CloudRegistry registry;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService worker;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private volatile Watch watch;
    private volatile boolean closed;

    public BucketController(ResourceService service, CloudController clouds, Duration interval, Clock clock) {
        this.service = Objects.requireNonNull(service, "service");
        this.registry = clouds.registry();
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        // One thread: reconciles of one bucket never race each other, and bucket creation is rare.
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skyforge-bucket-controller");
            t.setDaemon(true);
            return t;
        });
        clouds.addListener(this::cloudChanged);
    }

    public void start() {
        ResourcePage page = service.store().list(Kinds.LOGICAL_BUCKET, null, LabelSelector.EVERYTHING, 0, null);
        for (Resource r : page.items()) {
            enqueue(r.namespace(), r.name());
        }
        watch = service.store().watch(Kinds.LOGICAL_BUCKET, null, Long.toString(page.resourceVersion()), new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                Resource r = event.object();
                long generation = r.metadata().generation() == null ? 0 : r.metadata().generation();
                // Our own status writes come back as MODIFIED with observedGeneration == generation.
                if (event.type() != WatchEvent.Type.DELETED && r.status().path("observedGeneration").asLong(-1) != generation) {
                    enqueue(r.namespace(), r.name());
                }
            }

            @Override
            public void onError(SkyforgeException error) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "bucket watch ended (" + error.code().code() + "); resyncing");
                    worker.schedule(BucketController.this::restart, interval.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        });
        worker.scheduleWithFixedDelay(this::resyncNotReady, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void restart() {
        if (!closed) {
            Watch w = watch;
            if (w != null) {
                w.close();
            }
            try {
                start();
            } catch (RuntimeException e) {
                worker.schedule(this::restart, interval.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void cloudChanged(String cloud) {
        if (closed) {
            return;
        }
        worker.execute(() -> {
            for (Resource r : all()) {
                LogicalBucketSpec spec = specOf(r);
                if (spec != null && spec.providers().stream().anyMatch(p -> p.cloud().equals(cloud))) {
                    enqueue(r.namespace(), r.name());
                }
            }
        });
    }

    private void resyncNotReady() {
        for (Resource r : all()) {
            if (!isReady(r)) {
                enqueue(r.namespace(), r.name());
            }
        }
    }

    private List<Resource> all() {
        try {
            return service.store().list(Kinds.LOGICAL_BUCKET, null, LabelSelector.EVERYTHING, 0, null).items();
        } catch (SkyforgeException e) {
            return List.of();
        }
    }

    private void enqueue(String namespace, String name) {
        String key = namespace + "/" + name;
        if (!closed && pending.add(key)) {
            try {
                worker.execute(() -> {
                    pending.remove(key);
                    try {
                        reconcile(namespace, name);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "reconcile of LogicalBucket " + key + " failed: " + e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.remove(key);
            }
        }
    }

    /** Brings one bucket's physical copies and status up to date, on the calling thread. */
    public void reconcile(String namespace, String name) {
        Resource r = service.store().get(Kinds.LOGICAL_BUCKET, namespace, name).orElse(null);
        if (r == null) {
            return;
        }
        LogicalBucketSpec spec = specOf(r);
        if (spec == null) {
            return;
        }
        long generation = r.metadata().generation() == null ? 0 : r.metadata().generation();
        List<String> allowed = spec.residency() == null ? List.of() : spec.residency().allowed();
        ArrayNode providers = Json.MAPPER.createArrayNode();
        List<String> problems = new ArrayList<>();
        for (BucketProvider p : spec.providers()) {
            ObjectNode ps = providers.addObject();
            ps.put("cloud", p.cloud());
            ps.put("physicalId", p.physicalId());
            String[] outcome = ensure(p, spec.create() == null || spec.create(), allowed);
            ps.put("ready", outcome[0] == null);
            ps.put("reason", outcome[0] == null ? outcome[1] : outcome[0]);
            if (outcome[0] != null) {
                ps.put("message", outcome[1]);
                problems.add(p.cloud() + "/" + p.physicalId() + ": " + outcome[1]);
            }
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Condition ready = problems.isEmpty()
                ? Condition.of("Ready", true, "BucketsReady", "all " + spec.providers().size()
                        + " physical buckets exist and answer", generation, now)
                : Condition.of("Ready", false, "BucketsNotReady", String.join("; ", problems), generation, now);
        writeStatus(r, generation, providers, ready);
    }

    /** @return {failureReason, message} with a null failure reason when the copy is ready (message is then the success reason) */
    private String[] ensure(BucketProvider p, boolean create, List<String> allowed) {
        CloudRegistry.CloudState state = registry.state(p.cloud()).orElse(null);
        if (state == null) {
            return new String[] {"CloudNotFound", "Cloud " + p.cloud() + " does not exist"};
        }
        if (!ResidencyCheck.allowed(allowed, state.jurisdiction())) {
            return new String[] {"ResidencyViolation", ResidencyCheck.describe(p.cloud(), state.jurisdiction(), allowed)};
        }
        if (state.store() == null) {
            return new String[] {"CloudNotReady", "Cloud " + p.cloud() + " cannot be used: "
                    + state.configError().code().code()};
        }
        if (!state.healthy()) {
            return new String[] {"CloudNotReady", "Cloud " + p.cloud() + " is not Ready"
                    + (state.health() == null ? " (not probed yet)" : " (" + state.health().error().code() + ")")};
        }
        try {
            ObjectKeys.validateBucket(p.physicalId());
            if (state.store().bucketExists(p.physicalId())) {
                return new String[] {null, "Exists"};
            }
            if (!create) {
                return new String[] {"BucketMissing", "bucket " + p.physicalId() + " does not exist on " + p.cloud()
                        + " and spec.create is false"};
            }
            state.store().createBucket(p.physicalId());
            LOG.log(System.Logger.Level.INFO, "created bucket " + p.physicalId() + " on cloud " + p.cloud());
            return new String[] {null, "Created"};
        } catch (SkyforgeException e) {
            String reason = switch (e.code()) {
                case VALIDATION, INVALID_KEY -> "InvalidBucketName";
                case ACCESS_DENIED, FORBIDDEN -> "AccessDenied";
                case UNAVAILABLE, IO, TIMEOUT, THROTTLED -> "Unreachable";
                default -> "BackendError";
            };
            return new String[] {reason, e.code().code() + ": " + registry.scrub(p.cloud(), e.getMessage())};
        }
    }

    private void writeStatus(Resource r, long generation, ArrayNode providers, Condition ready) {
        ObjectNode status = r.status().deepCopy();
        JsonNode previous = null;
        ArrayNode conditions = Json.MAPPER.createArrayNode();
        for (JsonNode c : status.path("conditions")) {
            if ("Ready".equals(c.path("type").asString())) {
                previous = c;
            } else {
                conditions.add(c);
            }
        }
        boolean sameReady = previous != null && ready.status().equals(previous.path("status").asString())
                && Objects.equals(ready.message(), previous.path("message").asString(null));
        if (sameReady && providers.equals(status.path("providers")) && status.path("observedGeneration").asLong(-1) == generation) {
            return;
        }
        Condition c = ready;
        if (previous != null && ready.status().equals(previous.path("status").asString())
                && previous.hasNonNull("lastTransitionTime")) {
            c = new Condition(ready.type(), ready.status(), ready.reason(), ready.message(),
                    Instant.parse(previous.path("lastTransitionTime").asString()), generation);
        }
        conditions.add((JsonNode) Json.MAPPER.valueToTree(c));
        status.set("conditions", conditions);
        status.set("providers", providers);
        status.put("observedGeneration", generation);
        try {
            service.store().updateStatus(r.withStatus(status));
        } catch (SkyforgeException e) {
            if (e.code() == ErrorCode.CONFLICT) {
                enqueue(r.namespace(), r.name());
            } else if (e.code() != ErrorCode.NOT_FOUND) {
                LOG.log(System.Logger.Level.WARNING, "cannot write the status of " + r.ref() + ": " + e.getMessage());
            }
        }
    }

    private static boolean isReady(Resource r) {
        for (JsonNode c : r.status().path("conditions")) {
            if ("Ready".equals(c.path("type").asString())) {
                return Condition.TRUE.equals(c.path("status").asString());
            }
        }
        return false;
    }

    private static LogicalBucketSpec specOf(Resource r) {
        try {
            LogicalBucketSpec spec = Kinds.spec(r, LogicalBucketSpec.class);
            return spec.providers() == null ? null : spec;
        } catch (SkyforgeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        Watch w = watch;
        if (w != null) {
            w.close();
        }
        worker.shutdownNow();
    }
}
