package io.skyforge.control.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.skyforge.control.bucket.ResidencyCheck;
import io.skyforge.control.cloud.CloudController;
import io.skyforge.control.cloud.CloudRegistry;
import io.skyforge.control.journal.WriteJournal;
import io.skyforge.control.resources.ResourceService;
import io.skyforge.control.store.ResourcePage;
import io.skyforge.control.store.Watch;
import io.skyforge.control.store.WatchEvent;
import io.skyforge.control.store.WatchListener;
import io.skyforge.core.model.BucketProvider;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.LogicalBucketSpec;
import io.skyforge.core.model.Replication;
import io.skyforge.core.model.Resource;
import io.skyforge.core.select.LabelSelector;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.sync.clock.HybridLogicalClock;
import io.skyforge.sync.replication.BucketWriter;
import io.skyforge.sync.replication.LogicalBucketReplicator;
import io.skyforge.sync.replication.SyncConfig;
import io.skyforge.sync.replication.SyncCopy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the sync engine for the logical buckets: one {@link LogicalBucketReplicator} per
 * {@code LogicalBucket} with at least two usable copies whose {@code spec.replication.mode} is not
 * {@code none}, built from its providers (the clouds' live stores), its replication settings, this node's
 * hybrid logical clock, the persisted conflict log, and its entries of the write journal as change feed,
 * resumed from the cursor persisted for it. A replicator is rebuilt when the bucket's spec changes or a
 * cloud's store is rebuilt, and closed when the bucket goes.
 *
 * <p>The data API asks for a bucket's {@link Replica} to write through its {@link BucketWriter}; it is
 * built on the spot when the watch has not delivered the bucket yet, so no write to a replicated bucket
 * goes out without a version.
 */
public final class ReplicationController implements AutoCloseable {

    public static final String ACTIVE_ACTIVE = "active-active";
    public static final String PRIMARY_BACKUP = "primary-backup";
    public static final String NONE = "none";

    private static final System.Logger LOG = System.getLogger(ReplicationController.class.getName());

    /**
     * Defaults for every bucket (a bucket's {@code spec.replication} overrides the scan interval).
     *
     * @param scanInterval        how often each copy is listed for out-of-band changes
     * @param retryInterval       how often an unreachable copy is probed and a backlog retried
     * @param tombstoneWindow     how long a delete waits for an unreachable copy
     * @param workers             keys reconciled in parallel per bucket
     * @param maxTransfers        replication writes in flight into one copy of one bucket
     * @param reconcileInterval   how often every bucket is checked against its spec, besides the watch
     * @param cursorFlushInterval how often journal cursors are persisted
     */
    public record Settings(Duration scanInterval, Duration retryInterval, Duration tombstoneWindow, int workers,
                           int maxTransfers, Duration reconcileInterval, Duration cursorFlushInterval) {

        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(15), Duration.ofSeconds(1),
                Duration.ofHours(24), 16, SyncCopy.DEFAULT_MAX_TRANSFERS, Duration.ofSeconds(10), Duration.ofSeconds(1));

        public Settings {
            for (Duration d : new Duration[] {scanInterval, retryInterval, tombstoneWindow, reconcileInterval, cursorFlushInterval}) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new SkyforgeException(ErrorCode.VALIDATION, "sync intervals must be positive durations");
                }
            }
            if (workers < 1 || maxTransfers < 1) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "sync workers and transfers must be at least 1");
            }
        }
    }

    /** A logical bucket being replicated. */
    public record Replica(String namespace, String name, String mode, String primary, LogicalBucketReplicator replicator) {

        public String ref() {
            return namespace + "/" + name;
        }

        /** Writes go to {@link #primary()} only. */
        public boolean primaryBackup() {
            return PRIMARY_BACKUP.equals(mode);
        }

        public BucketWriter writer() {
            return replicator.writer();
        }
    }

    /** What a bucket's replicator is built from; a different one means rebuild. */
    private record Fingerprint(long generation, List<Object> copies) {
    }

    private record Desired(Fingerprint fingerprint, String mode, String primary, List<SyncCopy> copies, SyncConfig config,
                           String whyNot) {
    }

    private static final class Running {
        final Fingerprint fingerprint;
        final Replica replica;
        final JournalChangeSource source;
        volatile long flushed;

        Running(Fingerprint fingerprint, Replica replica, JournalChangeSource source, long flushed) {
            this.fingerprint = fingerprint;
            this.replica = replica;
            this.source = source;
            this.flushed = flushed;
        }
    }

    private final ResourceService service;
    private final CloudRegistry registry;
    private final WriteJournal journal;
    private final JdbcConflictLog conflicts;
    private final SyncCursors cursors;
    private final MeterRegistry meters;
    private final HybridLogicalClock clock;
    private final Settings settings;
    private final ScheduledExecutorService worker;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, String> notReplicated = new ConcurrentHashMap<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private volatile Watch watch;
    private volatile boolean closed;

    public ReplicationController(ResourceService service, CloudController clouds, WriteJournal journal,
                                 JdbcConflictLog conflicts, SyncCursors cursors, MeterRegistry meters,
                                 HybridLogicalClock clock, Settings settings) {
        this.service = Objects.requireNonNull(service, "service");
        this.registry = clouds.registry();
        this.journal = Objects.requireNonNull(journal, "journal");
        this.conflicts = Objects.requireNonNull(conflicts, "conflicts");
        this.cursors = Objects.requireNonNull(cursors, "cursors");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skyforge-sync-controller");
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
                enqueue(event.object().namespace(), event.object().name());
            }

            @Override
            public void onError(SkyforgeException error) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "sync's bucket watch ended (" + error.code().code() + "); resyncing");
                    worker.schedule(ReplicationController.this::restartWatch, settings.reconcileInterval().toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            }
        });
        long every = settings.reconcileInterval().toMillis();
        worker.scheduleWithFixedDelay(this::reconcileAll, every, every, TimeUnit.MILLISECONDS);
        long flush = settings.cursorFlushInterval().toMillis();
        worker.scheduleWithFixedDelay(this::flushCursors, flush, flush, TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ what the API asks

    /** The running replica of a bucket, built now if the bucket should be replicated and is not yet. */
    public Optional<Replica> replica(Resource bucket) {
        Desired d = desired(bucket);
        Running r = running.get(ref(bucket));
        if (r == null && d.whyNot() != null) {
            notReplicated.put(ref(bucket), d.whyNot());
            return Optional.empty();
        }
        if (r != null && r.fingerprint.equals(d.fingerprint())) {
            return Optional.of(r.replica);
        }
        return reconcile(bucket);
    }

    /** The running replica of a bucket, as the controller last built it. */
    public Optional<Replica> replica(String namespace, String name) {
        Running r = running.get(namespace + "/" + name);
        return r == null ? Optional.empty() : Optional.of(r.replica);
    }

    /** Why a bucket is not replicated (mode none, too few usable copies), or empty when it is or is unknown. */
    public Optional<String> whyNotReplicated(String namespace, String name) {
        return Optional.ofNullable(notReplicated.get(namespace + "/" + name));
    }

    public List<JdbcConflictLog.Stored> conflicts(String namespace, String name, long afterId, int limit) {
        return conflicts.page(namespace + "/" + name, afterId, limit);
    }

    public HybridLogicalClock clock() {
        return clock;
    }

    // ------------------------------------------------------------------ reconcile

    private void cloudChanged(String cloud) {
        if (closed) {
            return;
        }
        try {
            worker.execute(() -> {
                for (Resource r : all()) {
                    for (tools.jackson.databind.JsonNode p : r.spec().path("providers")) {
                        if (cloud.equals(p.path("cloud").asString(null))) {
                            enqueue(r.namespace(), r.name());
                            break;
                        }
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void restartWatch() {
        if (closed) {
            return;
        }
        Watch w = watch;
        if (w != null) {
            w.close();
        }
        try {
            start();
        } catch (RuntimeException e) {
            worker.schedule(this::restartWatch, settings.reconcileInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void reconcileAll() {
        Set<String> seen = new java.util.HashSet<>();
        for (Resource r : all()) {
            seen.add(ref(r));
            enqueue(r.namespace(), r.name());
        }
        for (String ref : List.copyOf(running.keySet())) {
            if (!seen.contains(ref)) {
                int slash = ref.indexOf('/');
                enqueue(ref.substring(0, slash), ref.substring(slash + 1));
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
        if (closed || !pending.add(key)) {
            return;
        }
        try {
            worker.execute(() -> {
                pending.remove(key);
                try {
                    Optional<Resource> r = service.store().get(Kinds.LOGICAL_BUCKET, namespace, name);
                    if (r.isPresent()) {
                        reconcile(r.get());
                    } else {
                        removed(key);
                    }
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "sync reconcile of LogicalBucket " + key + " failed: " + e);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(key);
        }
    }

    private synchronized Optional<Replica> reconcile(Resource bucket) {
        if (closed) {
            return Optional.empty();
        }
        String ref = ref(bucket);
        Desired d = desired(bucket);
        Running current = running.get(ref);
        if (d.whyNot() != null) {
            if (current != null) {
                stop(ref, current);
            }
            notReplicated.put(ref, d.whyNot());
            return Optional.empty();
        }
        if (current != null && current.fingerprint.equals(d.fingerprint())) {
            return Optional.of(current.replica);
        }
        long cursor;
        if (current != null) {
            cursor = stop(ref, current);
        } else {
            // A bucket replicated for the first time starts at the journal's end: its first full listing of
            // every copy covers what was written before.
            cursor = cursors.get(ref).orElseGet(journal::lastPosition);
        }
        JournalChangeSource source = new JournalChangeSource(journal, bucket.namespace(), bucket.name());
        LogicalBucketReplicator.Builder b = LogicalBucketReplicator.builder(ref).config(d.config()).clock(clock)
                .conflictLog(conflicts).meterRegistry(meters).changeSource(source);
        d.copies().forEach(b::copy);
        LogicalBucketReplicator replicator = b.build();
        replicator.resumeFrom(source, Long.toString(cursor));
        replicator.start();
        cursors.put(ref, cursor);
        Replica replica = new Replica(bucket.namespace(), bucket.name(), d.mode(), d.primary(), replicator);
        running.put(ref, new Running(d.fingerprint(), replica, source, cursor));
        notReplicated.remove(ref);
        LOG.log(System.Logger.Level.INFO, "replicating LogicalBucket " + ref + " (" + d.mode() + ") across "
                + d.copies().stream().map(c -> c.cloud() + "/" + c.bucket()).toList() + " from journal position " + cursor);
        return Optional.of(replica);
    }

    private Desired desired(Resource bucket) {
        LogicalBucketSpec spec;
        try {
            spec = Kinds.spec(bucket, LogicalBucketSpec.class);
        } catch (SkyforgeException e) {
            return off("its spec cannot be read: " + e.getMessage());
        }
        if (spec.providers() == null) {
            return off("it has no providers");
        }
        Replication rep = spec.replication();
        String mode = rep == null || rep.mode() == null ? ACTIVE_ACTIVE : rep.mode();
        if (NONE.equals(mode)) {
            return off("spec.replication.mode is none");
        }
        List<String> allowed = spec.residency() == null ? List.of() : spec.residency().allowed();
        List<SyncCopy> copies = new ArrayList<>();
        List<Object> parts = new ArrayList<>();
        List<String> unusable = new ArrayList<>();
        for (BucketProvider p : spec.providers()) {
            CloudRegistry.CloudState s = registry.state(p.cloud()).orElse(null);
            if (s == null) {
                unusable.add("Cloud " + p.cloud() + " does not exist");
            } else if (s.store() == null) {
                unusable.add("Cloud " + p.cloud() + " cannot be used (" + s.configError().code().code() + ")");
            } else if (!ResidencyCheck.allowed(allowed, s.jurisdiction())) {
                unusable.add("Cloud " + p.cloud() + " is outside the residency policy");
            } else {
                try {
                    copies.add(new SyncCopy(p.cloud(), s.store(), p.physicalId(), settings.maxTransfers()));
                    parts.add(p.cloud());
                    parts.add(p.physicalId());
                    // Identity: a rebuilt store (the cloud's spec changed) is a different object.
                    parts.add(s.store());
                } catch (SkyforgeException e) {
                    unusable.add(p.cloud() + "/" + p.physicalId() + ": " + e.getMessage());
                }
            }
        }
        if (copies.size() < 2) {
            return off("replication needs at least two usable copies, it has " + copies.size()
                    + (unusable.isEmpty() ? "" : " (" + String.join("; ", unusable) + ")"));
        }
        SyncConfig config = SyncConfig.DEFAULTS.withWorkers(settings.workers()).withRetryInterval(settings.retryInterval())
                .withTombstoneWindow(settings.tombstoneWindow())
                .withScanInterval(rep != null && rep.scanIntervalSeconds() != null
                        ? Duration.ofSeconds(rep.scanIntervalSeconds()) : settings.scanInterval())
                .withKeepLosers(rep != null && Boolean.TRUE.equals(rep.keepLosers()));
        if (rep != null && rep.massDeleteThreshold() != null) {
            config = config.withMassDeleteGuard(rep.massDeleteThreshold(), config.massDeleteMinObjects());
        }
        String primary = null;
        if (PRIMARY_BACKUP.equals(mode)) {
            primary = spec.primary() != null ? spec.primary() : spec.providers().get(0).cloud();
        }
        long generation = bucket.metadata().generation() == null ? 0 : bucket.metadata().generation();
        return new Desired(new Fingerprint(generation, parts), mode, primary, copies, config, null);
    }

    private static Desired off(String why) {
        return new Desired(null, null, null, List.of(), null, why);
    }

    /** Closes a replicator and persists where it was in the journal; returns that position. */
    private long stop(String ref, Running r) {
        running.remove(ref, r);
        r.replica.replicator().close();
        long cursor = cursorOf(r);
        try {
            cursors.put(ref, cursor);
        } catch (SkyforgeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot persist the sync cursor of " + ref + ": " + e.getMessage());
        }
        return cursor;
    }

    private synchronized void removed(String ref) {
        Running r = running.get(ref);
        if (r != null) {
            running.remove(ref, r);
            r.replica.replicator().close();
            LOG.log(System.Logger.Level.INFO, "stopped replicating deleted LogicalBucket " + ref);
        }
        notReplicated.remove(ref);
        cursors.remove(ref);
        conflicts.forget(ref);
    }

    private static long cursorOf(Running r) {
        return r.replica.replicator().changeCursor(r.source).map(Long::parseLong).orElse(r.flushed);
    }

    private void flushCursors() {
        for (Map.Entry<String, Running> e : running.entrySet()) {
            Running r = e.getValue();
            long cursor = cursorOf(r);
            if (cursor != r.flushed) {
                try {
                    cursors.put(e.getKey(), cursor);
                    r.flushed = cursor;
                } catch (SkyforgeException ex) {
                    LOG.log(System.Logger.Level.WARNING, "cannot persist the sync cursor of " + e.getKey() + ": " + ex.getMessage());
                }
            }
        }
    }

    private static String ref(Resource bucket) {
        return bucket.namespace() + "/" + bucket.name();
    }

    @Override
    public synchronized void close() {
        closed = true;
        Watch w = watch;
        if (w != null) {
            w.close();
        }
        worker.shutdownNow();
        for (Map.Entry<String, Running> e : List.copyOf(running.entrySet())) {
            stop(e.getKey(), e.getValue());
        }
    }
}
