package io.skyforge.sync.replication;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.storage.ExactBody;
import io.skyforge.spi.storage.ListPage;
import io.skyforge.spi.storage.ListRequest;
import io.skyforge.spi.storage.ObjectContent;
import io.skyforge.spi.storage.ObjectInfo;
import io.skyforge.spi.storage.ObjectKeys;
import io.skyforge.spi.storage.ObjectSummary;
import io.skyforge.spi.storage.Precondition;
import io.skyforge.spi.storage.PutOptions;
import io.skyforge.sync.change.ChangeEvent;
import io.skyforge.sync.change.ChangeSource;
import io.skyforge.sync.clock.Hlc;
import io.skyforge.sync.clock.HybridLogicalClock;
import io.skyforge.sync.conflict.ConflictLog;
import io.skyforge.sync.conflict.ConflictRecord;
import io.skyforge.sync.conflict.InMemoryConflictLog;
import io.skyforge.sync.version.Version;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the copies of one logical bucket converged. Every key that may differ between copies (from a
 * change event, a listing scan, a retry) is <em>reconciled</em>: the replicator reads each copy's version
 * of it, picks the winner by (HLC, cloud id), and writes the winner to every copy that lacks it, recording
 * a conflict for each replaced version the winner does not causally follow. A replicated copy carries the
 * winner's own version metadata, so when it is read back it matches and nothing is written again: one
 * user write causes exactly (copies - 1) replication writes.
 *
 * <p>Thread-safe; {@link #start()} runs it in the background, {@link #close()} stops it (not the stores).
 */
public final class LogicalBucketReplicator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LogicalBucketReplicator.class.getName());
    private static final int FEED_BATCH = 1000;
    /** Objects up to this size are read once and written to every copy that lacks them from memory. */
    static final int BUFFERED_MAX_BYTES = 1024 * 1024;
    /**
     * What the writer just stored is kept for the replication that follows, up to this much per bucket at once:
     * beyond it (a copy is away and writes pile up) replication reads the content back as usual.
     */
    static final long WRITTEN_MAX_BYTES = 64L * 1024 * 1024;

    private final String bucket;
    private final List<CopyRuntime> copies;
    private final Map<String, CopyRuntime> byCloud = new LinkedHashMap<>();
    private final SyncConfig config;
    private final HybridLogicalClock clock;
    private final ConflictLog conflictLog;
    private final SyncMetrics metrics;
    private final List<ChangeSource> sources;
    private final Map<ChangeSource, String> cursors = new ConcurrentHashMap<>();

    private final KeyLocks locks = new KeyLocks(4096);
    private final Map<String, KeyState> state = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Set<String> again = ConcurrentHashMap.newKeySet();
    private final AtomicInteger busy = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong writtenBytes = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger scanning = new AtomicInteger();
    /** Keys found by first listings that some other copy's running listing has not reached yet, in listing order. */
    private final java.util.TreeSet<String> awaitingListings = new java.util.TreeSet<>(ObjectKeys.UTF8_ORDER);

    private volatile boolean paused;
    private volatile String pausedReason = "";
    private volatile boolean closed;
    private ExecutorService workers;
    private ScheduledExecutorService scheduler;

    private LogicalBucketReplicator(Builder b) {
        this.bucket = b.bucket;
        this.config = b.config;
        this.clock = b.clock;
        this.conflictLog = b.conflictLog;
        this.metrics = new SyncMetrics(b.registry, b.bucket);
        this.sources = List.copyOf(b.sources);
        List<CopyRuntime> list = new ArrayList<>();
        for (SyncCopy c : b.copies) {
            CopyRuntime rt = new CopyRuntime(c);
            if (byCloud.put(c.cloud(), rt) != null) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "logical bucket '" + bucket + "' names cloud '"
                        + c.cloud() + "' twice");
            }
            list.add(rt);
            metrics.pendingGauges(c.cloud(), () -> rt.pending.size(), rt::pendingBytes);
        }
        if (list.size() < 2) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "logical bucket '" + bucket
                    + "' needs at least two copies to replicate, it has " + list.size());
        }
        this.copies = List.copyOf(list);
        metrics.pausedGauge(() -> paused ? 1 : 0);
    }

    public static Builder builder(String logicalBucket) {
        return new Builder(logicalBucket);
    }

    public String bucket() {
        return bucket;
    }

    public HybridLogicalClock clock() {
        return clock;
    }

    public SyncConfig config() {
        return config;
    }

    /** The writer the data API uses for this bucket: stamps versions with this replicator's clock. */
    public BucketWriter writer() {
        return new BucketWriter(this, clock);
    }

    /** A writer stamping with another node's clock (a second control-plane replica writing into this bucket). */
    public BucketWriter writer(HybridLogicalClock nodeClock) {
        return new BucketWriter(this, nodeClock);
    }

    // ------------------------------------------------------------------ lifecycle

    /** Scans every copy once, then keeps scanning every {@code scanInterval} and polling the change sources. */
    public synchronized LogicalBucketReplicator start() {
        if (workers != null) {
            return this;
        }
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(config.workers(), r -> daemon(r, "sync-" + bucket + "-" + n.incrementAndGet()));
        for (int i = 0; i < config.workers(); i++) {
            workers.execute(this::workLoop);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sync-" + bucket + "-scheduler"));
        scheduler.execute(this::scanAll);
        scheduler.scheduleWithFixedDelay(this::scanAll, config.scanInterval().toMillis(), config.scanInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::pollSources, 50, 50, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::maintain, config.retryInterval().toMillis(), config.retryInterval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
            try {
                workers.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        metrics.close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    // ------------------------------------------------------------------ control-plane API

    /** A change seen outside the change sources (an in-process write, a webhook); re-checks that key. */
    public void offer(ChangeEvent event) {
        CopyRuntime c = byCloud.get(event.cloud());
        if (c == null) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "logical bucket '" + bucket + "' has no copy on cloud '"
                    + event.cloud() + "'");
        }
        KeyState ks;
        do {
            ks = state.computeIfAbsent(event.key(), k -> new KeyState());
            Observed seen = ks.observed.get(event.cloud());
            if (event.etag() != null && seen != null && seen.etag.equals(event.etag())) {
                // Exactly the object the replicator already knows there (its own writer's journal entry, say).
                return;
            }
            ks.stale.add(event.cloud());
            // A reconcile may have dropped this key's state meanwhile (no lock is held here): mark the live one.
        } while (state.get(event.key()) != ks);
        enqueue(event.key());
    }

    /**
     * Reconciles one key on the calling thread instead of a worker's: the data API does it after a delete, so
     * every reachable copy has dropped the object when the delete is acknowledged. While paused the key is
     * only queued; a failure leaves it pending for the workers.
     */
    public void reconcileNow(String key) {
        if (paused || closed) {
            enqueue(key);
            return;
        }
        try {
            reconcile(key);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "sync " + bucket + ": reconciling '" + key + "' failed", e);
            enqueue(key);
        }
        if (again.remove(key)) {
            enqueue(key);
        }
    }

    /** The cursor of the last change batch accepted from {@code source}, to persist and pass back after a restart. */
    public Optional<String> changeCursor(ChangeSource source) {
        return Optional.ofNullable(cursors.get(source));
    }

    /** Resumes from a persisted cursor instead of the start of the source. */
    public void resumeFrom(ChangeSource source, String cursor) {
        cursors.put(source, cursor);
    }

    /** Lists every copy now and queues what differs (what the periodic scan does). */
    public void scanNow() {
        scanAll();
    }

    /**
     * {@code skyforge sync resync BUCKET}: forgets what the replicator believes about every copy, lifts
     * a pause, and compares every key of every copy afresh. Absent objects found this way are copied back,
     * never treated as deletes, so a resync can restore a wiped copy but never propagate a wipe.
     */
    public void resync() {
        for (KeyState ks : state.values()) {
            ks.forgetObservations = true;
        }
        for (CopyRuntime c : copies) {
            c.listing.clear();
            c.listed = false;
        }
        paused = false;
        pausedReason = "";
        releaseHeld();
        scanAll();
        for (String key : state.keySet()) {
            enqueue(key);
        }
    }

    /**
     * Stops replicating until {@link #resume()} or {@link #resync()}: writes through {@link BucketWriter}
     * still land on their copy and are held, as are changes the feeds report (an operator's maintenance
     * window; the mass-delete guard pauses the same way).
     */
    public void pause(String reason) {
        pause(reason == null || reason.isBlank() ? "paused by an operator" : reason, true);
    }

    /** Lifts a pause, accepting the deletes a mass-delete guard held back. */
    public void resume() {
        for (CopyRuntime c : copies) {
            if (c.heldListing != null) {
                acceptListing(c, c.heldListing, c.heldStart);
                c.heldListing = null;
            }
        }
        paused = false;
        pausedReason = "";
        releaseHeld();
    }

    /** Keys a worker set aside while paused go back into the queue. */
    private void releaseHeld() {
        for (String key : List.copyOf(again)) {
            if (!running.contains(key) && again.remove(key)) {
                enqueue(key);
            }
        }
    }

    public List<ConflictRecord> conflicts() {
        return conflictLog.list(bucket);
    }

    public SyncStatus status() {
        List<SyncStatus.Copy> list = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (CopyRuntime c : copies) {
            long oldest = c.pending.values().stream().mapToLong(p -> p.sinceMillis).min().orElse(now);
            boolean inSync = c.reachable && c.pending.isEmpty() && queue.isEmpty() && busy.get() == 0;
            list.add(new SyncStatus.Copy(c.copy.cloud(), c.copy.bucket(), c.reachable, inSync,
                    Duration.ofMillis(Math.max(0, now - oldest)), c.pending.size(), c.pendingBytes(),
                    c.lastError, c.lastErrorAt, c.lastScan, c.resyncHorizon != null));
        }
        return new SyncStatus(bucket, paused, pausedReason, queued.size() + busy.get(), list);
    }

    /**
     * Waits until nothing is queued or running and no copy has a backlog, checking {@code stableFor} long
     * that it stays so (change feeds are polled in the background). For tests and for a drain before
     * maintenance.
     */
    public boolean awaitQuiescent(Duration timeout, Duration stableFor) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long quietSince = -1;
        while (System.nanoTime() < deadline) {
            // Not quiet before every copy was listed once: an idle queue then only means nothing is known yet.
            boolean quiet = queue.isEmpty() && queued.isEmpty() && busy.get() == 0 && !paused && scanning.get() == 0
                    && copies.stream().allMatch(c -> c.pending.isEmpty() && c.revisit.isEmpty() && c.reachable && c.listed)
                    && sources.stream().allMatch(this::drained);
            if (quiet) {
                if (quietSince < 0) {
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince >= stableFor.toNanos()) {
                    return true;
                }
            } else {
                quietSince = -1;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private boolean drained(ChangeSource s) {
        ChangeSource.Batch b = s.poll(cursors.get(s), 1);
        return b.events().isEmpty();
    }

    /** What this replicator believes about one key, for a failure message. */
    String describe(String key) {
        KeyState ks = state.get(key);
        StringBuilder b = new StringBuilder(key).append(": ");
        if (ks == null) {
            return b.append("no state").toString();
        }
        for (CopyRuntime c : copies) {
            Observed o = ks.observed.get(c.copy.cloud());
            ObjectSummary l = c.listing.get(key);
            b.append(c.copy.cloud()).append("{observed=").append(o == null ? "-" : o.version + "/" + o.etag)
                    .append(", listed=").append(l == null ? "-" : l.etag()).append(", pending=")
                    .append(c.pending.containsKey(key)).append(", stale=").append(ks.stale.contains(c.copy.cloud()))
                    .append("} ");
        }
        return b.append("tombstone=").append(ks.tombstone).append(" collected=").append(ks.collected).toString();
    }

    // ------------------------------------------------------------------ queue

    void enqueue(String key) {
        if (queued.add(key)) {
            queue.add(key);
        }
    }

    private void workLoop() {
        while (!closed && !Thread.currentThread().isInterrupted()) {
            String key;
            try {
                key = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                continue;
            }
            busy.incrementAndGet();
            queued.remove(key);
            try {
                if (paused) {
                    // Held, not dropped: resume() or resync() lets it through.
                    again.add(key);
                    continue;
                }
                if (!running.add(key)) {
                    again.add(key);
                    if (!running.add(key)) {
                        continue;
                    }
                    again.remove(key);
                }
                try {
                    reconcile(key);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "sync " + bucket + ": reconciling '" + key + "' failed", e);
                } finally {
                    running.remove(key);
                    if (again.remove(key)) {
                        enqueue(key);
                    }
                }
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    // ------------------------------------------------------------------ change feed and scans

    private void pollSources() {
        for (ChangeSource s : sources) {
            try {
                ChangeSource.Batch b = s.poll(cursors.get(s), FEED_BATCH);
                for (ChangeEvent e : b.events()) {
                    if (byCloud.containsKey(e.cloud())) {
                        offer(e);
                    }
                }
                if (b.next() != null) {
                    cursors.put(s, b.next());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "sync " + bucket + ": polling a change source failed", e);
            }
        }
    }

    private synchronized void scanAll() {
        scanning.incrementAndGet();
        try {
            // Copies never listed (at start, after a resync) are listed side by side, each streaming its keys to
            // the workers as the other listings catch up; the others are compared with what they last showed.
            List<CopyRuntime> known = copies.stream().filter(c -> c.listed).toList();
            List<Thread> listings = new ArrayList<>();
            for (CopyRuntime c : copies) {
                // Every listing is marked as running before any starts, so none of them releases keys early.
                if (!c.listed && !paused && c.firstListing.compareAndSet(false, true)) {
                    Thread t = daemon(() -> firstListing(c), "sync-" + bucket + "-list-" + c.copy.cloud());
                    t.start();
                    listings.add(t);
                }
            }
            for (Thread t : listings) {
                t.join();
            }
            for (CopyRuntime c : known) {
                if (closed) {
                    return;
                }
                scan(c);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            scanning.decrementAndGet();
        }
    }

    /**
     * A copy's first listing, streamed page by page. Listings come in UTF-8 key order (the SPI's contract, which
     * the adapters' compatibility kit checks), so once every copy's listing has passed a key, whatever each copy
     * holds of it is known and the key is queued: replication starts with the first pages instead of after the
     * last, and needs no HEAD on a copy whose listing passed the key without it. A listing that fails leaves the
     * copy unlisted (it is listed again when it answers). The caller has set {@code c.firstListing}; it is cleared
     * here.
     */
    private void firstListing(CopyRuntime c) {
        long start = System.nanoTime();
        Set<String> seen = new java.util.HashSet<>();
        try {
            String token = null;
            String last = null;
            do {
                ListPage page;
                try {
                    ListRequest request = ListRequest.prefix("");
                    page = c.copy.store().list(c.copy.bucket(), token == null ? request : request.withToken(token));
                } catch (RuntimeException e) {
                    c.failed(e);
                    return;
                }
                c.succeeded();
                List<String> keys = new ArrayList<>(page.objects().size());
                for (ObjectSummary s : page.objects()) {
                    last = s.key();
                    seen.add(last);
                    noteListed(c, s, start);
                    keys.add(last);
                }
                token = page.nextToken();
                if (token == null) {
                    c.lastScan = Instant.now();
                    keys.addAll(finishListing(c, seen, start));
                }
                listedThrough(c, keys, last);
            } while (token != null);
        } finally {
            // Done or failed part-way: either way the other listings no longer wait for this one.
            c.firstListing.set(false);
            listedThrough(c, List.of(), null);
        }
    }

    /**
     * Takes one listing entry into what is known of the copy. Returns whether it differs from what was known
     * there; the key is then stale on that copy (its next reconcile reads the copy again).
     */
    private boolean noteListed(CopyRuntime c, ObjectSummary s, long scanStart) {
        String key = s.key();
        ObjectSummary before = c.listing.get(key);
        boolean changed = before == null || !before.etag().equals(s.etag()) || before.size() != s.size();
        if (changed) {
            state.computeIfAbsent(key, k -> new KeyState()).stale.add(c.copy.cloud());
        }
        // An entry older than our own later write or delete of the key would undo what we know.
        if (wasObservedBefore(key, c, scanStart)) {
            c.listing.put(key, s);
        }
        return changed;
    }

    /**
     * Ends a whole listing of the copy, which showed {@code shown}: what the copy was known to hold and the
     * listing did not show is a change too (a delete), so it is dropped from what is known and returned, stale
     * there; the copy then counts as listed.
     */
    private List<String> finishListing(CopyRuntime c, Set<String> shown, long scanStart) {
        List<String> gone = new ArrayList<>();
        for (String key : List.copyOf(c.listing.keySet())) {
            if (!shown.contains(key) && wasObservedBefore(key, c, scanStart)) {
                c.listing.remove(key);
                state.computeIfAbsent(key, k -> new KeyState()).stale.add(c.copy.cloud());
                gone.add(key);
            }
        }
        c.touched.values().removeIf(t -> t < scanStart);
        c.listed = true;
        return gone;
    }

    /**
     * Records how far a copy's first listing got and queues every waiting key that each copy still being listed
     * has now passed. Only running listings hold keys back: a copy that is away cannot be read anyway, and one
     * whose listing failed is looked at key by key, as before it was listed.
     */
    private void listedThrough(CopyRuntime c, List<String> keys, String through) {
        List<String> ready = new ArrayList<>();
        synchronized (awaitingListings) {
            awaitingListings.addAll(keys);
            c.listedThrough = through;
            String frontier = null;
            boolean all = true;
            for (CopyRuntime other : copies) {
                if (other.listed || !other.reachable || !other.firstListing.get()) {
                    continue;
                }
                all = false;
                String t = other.listedThrough;
                if (t == null) {
                    return;
                }
                if (frontier == null || ObjectKeys.UTF8_ORDER.compare(t, frontier) < 0) {
                    frontier = t;
                }
            }
            while (!awaitingListings.isEmpty()
                    && (all || ObjectKeys.UTF8_ORDER.compare(awaitingListings.first(), frontier) <= 0)) {
                ready.add(awaitingListings.pollFirst());
            }
        }
        for (String key : ready) {
            enqueue(key);
        }
    }

    /**
     * Lists one copy and queues every key whose listing entry changed or vanished. A listing that fails
     * changes nothing; one in which too many known objects vanished pauses the bucket instead. A copy never
     * listed gets its {@link #firstListing} instead.
     */
    private synchronized void scan(CopyRuntime c) {
        if (paused) {
            // What made the guard trip is for an operator to judge; scanning on would only trip it again.
            return;
        }
        if (!c.listed) {
            if (c.firstListing.compareAndSet(false, true)) {
                firstListing(c);
            }
            return;
        }
        long start = System.nanoTime();
        Map<String, ObjectSummary> now = new HashMap<>();
        try {
            c.copy.store().listAll(c.copy.bucket(), "").forEach(s -> now.put(s.key(), s));
        } catch (RuntimeException e) {
            c.failed(e);
            return;
        }
        boolean returning = !c.reachable;
        c.succeeded();
        c.lastScan = Instant.now();
        // Only objects this replicator has seen on the copy count: a listing entry it never looked at
        // (a temporary upload file, say) vanishing is no evidence of a delete.
        int known = 0;
        List<String> vanished = new ArrayList<>();
        String cloud = c.copy.cloud();
        for (Map.Entry<String, KeyState> e : state.entrySet()) {
            Observed o = e.getValue().observed.get(cloud);
            if (o == null || o.version.tombstone()) {
                continue;
            }
            known++;
            if (!now.containsKey(e.getKey()) && wasObservedBefore(e.getKey(), c, start)) {
                vanished.add(e.getKey());
            }
        }
        boolean emptied = now.isEmpty() && known >= config.massDeleteMinObjects();
        int deleted = emptied ? known : confirmAbsent(c, vanished, known, now);
        if (deleted < 0) {
            return;
        }
        boolean tooMany = deleted >= config.massDeleteMinObjects() && deleted > config.maxDeleteShare() * known;
        if (emptied || tooMany) {
            c.heldListing = now;
            c.heldStart = start;
            pause(c.copy.cloud() + ": " + deleted + " of " + known + " known objects vanished from one listing"
                    + (now.isEmpty() ? " (the listing was empty)" : "") + ", more than the allowed share of "
                    + config.maxDeleteShare() + "; no deletes were made. Check the copy, then `skyforge sync resync "
                    + bucket + "` (restore from the other copies) or resume (accept the deletes)", false);
            metrics.guardTripped(c.copy.cloud());
            return;
        }
        acceptListing(c, now, start);
        if (returning) {
            for (String key : now.keySet()) {
                state.computeIfAbsent(key, k -> new KeyState());
                enqueue(key);
            }
        }
    }

    /**
     * Listings of some stores skip objects that are being rewritten at that moment (S3Proxy's filesystem
     * backend does), so a listing's word alone is not a delete: when many objects seem to be gone, each is
     * looked up. Found objects go back into {@code listing}. Returns how many are really absent, or -1
     * when the copy failed while checking.
     */
    private int confirmAbsent(CopyRuntime c, List<String> vanished, int known, Map<String, ObjectSummary> listing) {
        if (vanished.size() < config.massDeleteMinObjects()) {
            return vanished.size();
        }
        int absent = 0;
        try {
            for (String key : vanished) {
                Optional<ObjectInfo> info = c.copy.store().head(c.copy.bucket(), key);
                if (info.isPresent()) {
                    listing.put(key, info.get().summary());
                } else if (++absent >= config.massDeleteMinObjects() && absent > config.maxDeleteShare() * known) {
                    // Enough to trip the guard: a wiped copy is not worth one HEAD per object.
                    break;
                }
            }
        } catch (RuntimeException e) {
            c.failed(e);
            return -1;
        }
        return absent;
    }

    private void acceptListing(CopyRuntime c, Map<String, ObjectSummary> now, long scanStart) {
        List<String> changed = new ArrayList<>();
        for (ObjectSummary s : now.values()) {
            if (noteListed(c, s, scanStart)) {
                changed.add(s.key());
            }
        }
        changed.addAll(finishListing(c, now.keySet(), scanStart));
        changed.forEach(this::enqueue);
    }

    /**
     * Whether a key's absence from a listing that started at {@code scanStartNanos} is news: not when this
     * replicator wrote or deleted it on the copy after the listing began (the listing could not see that).
     */
    private static boolean wasObservedBefore(String key, CopyRuntime c, long scanStartNanos) {
        Long touched = c.touched.get(key);
        return touched == null || touched < scanStartNanos;
    }

    private void pause(String reason, boolean byOperator) {
        paused = true;
        pausedReason = reason;
        LOG.log(byOperator ? Level.INFO : Level.WARNING, "sync " + bucket + " paused: " + reason);
    }

    /** Probes unreachable copies, retries backlogs, collects expired tombstones. */
    private void maintain() {
        long now = System.currentTimeMillis();
        for (CopyRuntime c : copies) {
            if (!c.reachable) {
                if (c.copy.store().probe().up()) {
                    scan(c);
                } else {
                    continue;
                }
            } else if (!c.listed) {
                // Its first listing failed, yet writes to it have since worked (which marks it reachable): without
                // a listing nothing on it is known, so list again now rather than at the next scan interval.
                scan(c);
            }
            for (String key : c.pending.keySet()) {
                enqueue(key);
            }
            for (String key : c.revisit) {
                c.revisit.remove(key);
                enqueue(key);
            }
            if (c.resyncHorizon != null && c.pending.isEmpty() && queue.isEmpty() && busy.get() == 0 && c.reachable
                    && c.fullResyncStartedAt > 0 && c.fullResyncStartedAt < now - config.retryInterval().toMillis()) {
                c.resyncHorizon = null;
                c.downSince = null;
                c.fullResyncStartedAt = 0;
            }
        }
        long window = config.tombstoneWindow().toMillis();
        for (Map.Entry<String, KeyState> e : state.entrySet()) {
            KeyState ks = e.getValue();
            if (ks.tombstone != null && ks.tombstoneSince < now - window) {
                if (ks.collected) {
                    ReentrantLock lock = locks.forKey(e.getKey());
                    lock.lock();
                    try {
                        if (ks.collected && ks.tombstoneSince < now - window && ks.observed.isEmpty()) {
                            state.remove(e.getKey(), ks);
                        }
                    } finally {
                        lock.unlock();
                    }
                } else {
                    enqueue(e.getKey());
                }
            }
        }
    }

    // ------------------------------------------------------------------ reconcile one key

    private void reconcile(String key) {
        ReentrantLock lock = locks.forKey(key);
        lock.lock();
        try {
            KeyState ks = state.computeIfAbsent(key, k -> new KeyState());
            if (ks.forgetObservations) {
                ks.observed.clear();
                ks.forgetObservations = false;
                ks.stale.addAll(byCloud.keySet());
            }
            Map<CopyRuntime, Observed> views = new LinkedHashMap<>();
            List<CopyRuntime> down = new ArrayList<>();
            CopyRuntime sole = soleHolder(key, ks);
            Map<CopyRuntime, Fetched> fetched = new HashMap<>();
            Written w = takeWritten(ks);
            if (w != null) {
                // Used only while the copy still holds exactly that object (its ETag is the source's).
                fetched.put(w.copy(), w.content());
            }
            for (CopyRuntime c : copies) {
                if (!c.reachable) {
                    down.add(c);
                    continue;
                }
                try {
                    views.put(c, view(c, key, ks, c == sole ? fetched : null));
                } catch (SkyforgeException e) {
                    c.failed(e);
                    down.add(c);
                }
            }
            Version winner = ks.tombstone;
            for (Observed o : views.values()) {
                if (o != null && (winner == null || o.version.beats(winner))) {
                    winner = o.version;
                }
            }
            if (winner == null) {
                if (ks.observed.isEmpty() && down.isEmpty()) {
                    state.remove(key, ks);
                }
                // A copy that is away may hold the key: a write the data API just made there, say, while the
                // copy's returning listing was still running. Nothing else would bring the key back (the writer
                // recorded it as listed, so no later listing shows it as a change): look again when it answers.
                for (CopyRuntime c : down) {
                    c.revisit.add(key);
                }
                return;
            }
            if (!winner.tombstone() && isStaleAfterOutage(winner, views, down)) {
                discardStale(key, ks, views, winner);
                return;
            }
            try {
                clock.update(winner.hlc());
            } catch (SkyforgeException e) {
                for (CopyRuntime c : copies) {
                    Observed o = views.get(c);
                    if (o == null || !o.version.sameWrite(winner)) {
                        c.pend(key, 0, System.currentTimeMillis());
                        c.error(e);
                    }
                }
                return;
            }
            for (CopyRuntime c : down) {
                Observed o = ks.observed.get(c.copy.cloud());
                // What it held when it was last seen decides: a copy that already had the winner lacks nothing.
                if (o == null ? !winner.tombstone() : !o.version.sameWrite(winner)) {
                    c.pend(key, winner.tombstone() ? 0 : sizeOf(views, winner), winner.hlc().physicalMillis());
                } else {
                    // Nothing to bring it, but the key is not settled until it was looked at (a tombstone waits
                    // for its acknowledgement): looked at again when the copy answers.
                    c.pending.remove(key);
                    c.revisit.add(key);
                }
            }
            if (winner.tombstone() && ks.tombstone == null) {
                ks.tombstoneSince = System.currentTimeMillis();
            }
            if (winner.tombstone()) {
                ks.tombstone = winner;
            } else {
                ks.tombstone = null;
                ks.collected = false;
            }
            List<CopyRuntime> markers = new ArrayList<>();
            Map<CopyRuntime, Observed> targets = new LinkedHashMap<>();
            for (Map.Entry<CopyRuntime, Observed> e : views.entrySet()) {
                CopyRuntime c = e.getKey();
                Observed o = e.getValue();
                if (o != null && o.version.sameWrite(winner)) {
                    if (winner.tombstone()) {
                        markers.add(c);
                    }
                    c.pending.remove(key);
                    continue;
                }
                if (o == null && winner.tombstone()) {
                    c.pending.remove(key);
                    continue;
                }
                c.pend(key, winner.tombstone() ? 0 : sizeOf(views, winner), winner.hlc().physicalMillis());
                try {
                    // A delete losing to a concurrent delete is recorded as well: the writes it followed are
                    // outside the winner's history, and its record is the only trace of their loss.
                    if (o != null && !winner.descendsFrom(o.version)) {
                        recordConflict(key, winner, o, c);
                    }
                    if (winner.tombstone()) {
                        deleteAt(c, key, ks, winner);
                        c.pending.remove(key);
                    } else {
                        targets.put(c, o);
                    }
                } catch (SkyforgeException ex) {
                    failedOn(c, ks, winner, ex);
                }
            }
            if (!targets.isEmpty()) {
                transfer(key, ks, winner, views, targets, fetched);
            }
            if (winner.tombstone()) {
                collectTombstone(key, ks, winner, markers, down);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * What a copy holds for the key: from the cache when its listing still matches, else from a HEAD — or,
     * when {@code fetch} is given, from a GET whose content is kept there for the transfer that must follow
     * (the copy is the only one holding a small object: one request instead of a HEAD and a GET).
     */
    private Observed view(CopyRuntime c, String key, KeyState ks, Map<CopyRuntime, Fetched> fetch) {
        String cloud = c.copy.cloud();
        Observed o = ks.observed.get(cloud);
        boolean stale = ks.stale.remove(cloud);
        // Coverage first: a listing records an entry before it counts as having passed the key.
        boolean covered = c.covers(key);
        ObjectSummary listed = c.listing.get(key);
        if (!stale) {
            if (o != null && listed != null && listed.etag().equals(o.etag)) {
                return o;
            }
            if (o == null && listed == null && covered) {
                return null;
            }
        }
        Optional<ObjectInfo> head;
        try {
            head = fetch == null ? c.copy.store().head(c.copy.bucket(), key) : fetch(c, key, fetch);
        } catch (SkyforgeException e) {
            ks.stale.add(cloud);
            throw e;
        }
        c.succeeded();
        c.touched.put(key, System.nanoTime());
        if (head.isEmpty()) {
            c.listing.remove(key);
            ks.observed.remove(cloud);
            if (o != null && !o.version.tombstone()) {
                // The copy lost an object the replicator knew it had, and not through us: a delete made
                // around the data API. It becomes a tombstone like any other delete.
                Version t = Version.write(clock.now(), cloud, null, true, o.version);
                if (ks.tombstone == null || t.beats(ks.tombstone)) {
                    ks.tombstone = t;
                    ks.tombstoneSince = System.currentTimeMillis();
                    ks.collected = false;
                }
            }
            return null;
        }
        ObjectInfo info = head.get();
        Version v = Version.fromMetadata(info.userMetadata(), info.sha256()).orElse(null);
        boolean stamped = v != null;
        if (v == null) {
            v = derive(c, info, o, ks);
        }
        Observed now = new Observed(info.etag(), info.size(), v, stamped);
        ks.observed.put(cloud, now);
        c.listing.put(key, info.summary());
        return now;
    }

    /**
     * The one reachable copy whose listing holds a small object that every other copy, listed and with
     * nothing known about the key, lacks: its content will be copied, so it may as well be read at once.
     */
    private CopyRuntime soleHolder(String key, KeyState ks) {
        CopyRuntime holder = null;
        for (CopyRuntime c : copies) {
            String cloud = c.copy.cloud();
            if (!c.reachable || !c.covers(key)) {
                return null;
            }
            ObjectSummary listed = c.listing.get(key);
            Observed o = ks.observed.get(cloud);
            if (listed == null) {
                if (o != null || ks.stale.contains(cloud)) {
                    return null;
                }
            } else {
                if (holder != null || listed.size() > BUFFERED_MAX_BYTES
                        || o != null && o.etag.equals(listed.etag()) && !ks.stale.contains(cloud)) {
                    return null;
                }
                holder = c;
            }
        }
        return holder;
    }

    /** A GET standing in for a HEAD: the description, and the content kept in {@code into} when small. */
    private static Optional<ObjectInfo> fetch(CopyRuntime c, String key, Map<CopyRuntime, Fetched> into) {
        try (ObjectContent content = c.copy.store().get(c.copy.bucket(), key)) {
            ObjectInfo info = content.info();
            if (info.size() <= BUFFERED_MAX_BYTES) {
                into.put(c, new Fetched(info, content.stream().readAllBytes()));
            }
            return Optional.of(info);
        } catch (SkyforgeException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SkyforgeException(ErrorCode.IO, "reading '" + key + "' from " + c.copy.cloud() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Content read while looking at a copy, with the description that came with it. */
    private record Fetched(ObjectInfo info, byte[] data) {
    }

    /** What {@link BucketWriter} just stored on a copy, so replicating it needs no read back. */
    private record Written(CopyRuntime copy, Fetched content) {
    }

    private Written takeWritten(KeyState ks) {
        Written w = ks.written;
        if (w != null) {
            ks.written = null;
            writtenBytes.addAndGet(-w.content().data().length);
        }
        return w;
    }

    /**
     * A version for an object written around the sync engine (no metadata). The same object keeps the
     * version it was given; one whose content equals a version another copy holds is that version;
     * anything else is a new write at this copy, now.
     */
    private Version derive(CopyRuntime c, ObjectInfo info, Observed before, KeyState ks) {
        if (before != null && before.etag.equals(info.etag())) {
            return before.version;
        }
        if (info.sha256() != null) {
            for (Observed other : ks.observed.values()) {
                if (info.sha256().equals(other.version.sha256()) && !other.version.tombstone()) {
                    return other.version;
                }
            }
        }
        return Version.write(clock.now(), c.copy.cloud(), info.sha256(), false, before == null ? null : before.version);
    }

    private long sizeOf(Map<CopyRuntime, Observed> views, Version winner) {
        for (Observed o : views.values()) {
            if (o != null && o.version.sameWrite(winner)) {
                return o.size;
            }
        }
        return 0;
    }

    private void recordConflict(String key, Version winner, Observed loser, CopyRuntime at) {
        String keptAs = null;
        if (config.keepLosers() && !loser.version.tombstone()) {
            keptAs = ConflictRecord.keepKey(key, loser.version);
            if (keptAs.length() <= at.copy.store().capabilities().maxKeyBytes()) {
                // A server-side copy in the same bucket keeps the loser's metadata, so the kept copy is
                // itself a versioned object and replicates like any other.
                at.copy.store().copy(at.copy.bucket(), key, at.copy.bucket(), keptAs);
                at.touched.put(keptAs, System.nanoTime());
                state.computeIfAbsent(keptAs, k -> new KeyState()).stale.add(at.copy.cloud());
                enqueue(keptAs);
            } else {
                keptAs = null;
            }
        }
        if (conflictLog.record(new ConflictRecord(bucket, key, winner, loser.version, at.copy.cloud(), keptAs, Instant.now()))) {
            metrics.conflict(winner.origin(), at.copy.cloud());
        }
    }

    /** A replication operation on {@code c} failed: the key stays pending there and is retried. */
    private void failedOn(CopyRuntime c, KeyState ks, Version winner, SkyforgeException ex) {
        c.error(ex);
        metrics.failure(winner.origin(), c.copy.cloud(), ex.code().code());
        if (ex.code() == ErrorCode.PRECONDITION_FAILED || ex.code() == ErrorCode.CONFLICT) {
            // The copy changed under us: look again.
            ks.stale.add(c.copy.cloud());
        }
        if (ex.code().retryable() && ex.code() != ErrorCode.IO) {
            c.failed(ex);
        }
    }

    /** A transfer to {@code c} could not start because its source failed: the key stays pending, the copy is fine. */
    private void blocked(CopyRuntime c, Version winner, SkyforgeException ex) {
        c.error(ex);
        metrics.failure(winner.origin(), c.copy.cloud(), ex.code().code());
    }

    /**
     * Brings the winner's content to every copy in {@code targets} (each with what it holds now). A target
     * sharing a store with a holder gets a server-side copy; otherwise the content is read from a holder:
     * once for all targets when it is small enough to hold in memory, else streamed per target, so a large
     * object is never held whole.
     */
    private void transfer(String key, KeyState ks, Version winner, Map<CopyRuntime, Observed> views,
                          Map<CopyRuntime, Observed> targets, Map<CopyRuntime, Fetched> fetched) {
        CopyRuntime source = null;
        Map<CopyRuntime, Observed> streamed = new LinkedHashMap<>();
        for (Map.Entry<CopyRuntime, Observed> t : targets.entrySet()) {
            CopyRuntime target = t.getKey();
            CopyRuntime local = null;
            for (Map.Entry<CopyRuntime, Observed> e : views.entrySet()) {
                Observed o = e.getValue();
                if (o != null && o.version.sameWrite(winner)) {
                    source = source == null ? e.getKey() : source;
                    if (e.getKey().copy.store() == target.copy.store() && o.stampedAtSource) {
                        local = e.getKey();
                    }
                }
            }
            if (local != null && target.copy.store().capabilities().serverSideCopy()) {
                try {
                    target.permits.acquireUninterruptibly();
                    try {
                        ObjectInfo written = target.copy.store().copy(local.copy.bucket(), key, target.copy.bucket(), key);
                        arrived(key, ks, winner, local, target, written, written.size());
                    } finally {
                        target.permits.release();
                    }
                } catch (SkyforgeException ex) {
                    failedOn(target, ks, winner, ex);
                }
            } else {
                streamed.put(target, t.getValue());
            }
        }
        if (streamed.isEmpty()) {
            return;
        }
        if (source == null) {
            SkyforgeException ex = new SkyforgeException(ErrorCode.UNAVAILABLE, "no reachable copy holds " + winner + " of '" + key + "'");
            streamed.keySet().forEach(c -> blocked(c, winner, ex));
            return;
        }
        Observed src = views.get(source);
        Fetched pre = fetched.get(source);
        if (pre != null && pre.info().etag().equals(src.etag) || streamed.size() > 1 && src.size <= BUFFERED_MAX_BYTES) {
            fanOut(key, ks, winner, source, src, streamed, pre != null && pre.info().etag().equals(src.etag) ? pre : null);
            return;
        }
        for (Map.Entry<CopyRuntime, Observed> t : streamed.entrySet()) {
            CopyRuntime target = t.getKey();
            target.permits.acquireUninterruptibly();
            try {
                ObjectContent content;
                try {
                    content = read(key, ks, source, src);
                } catch (SkyforgeException ex) {
                    if (ex.code() != ErrorCode.PRECONDITION_FAILED) {
                        source.failed(ex);
                    }
                    streamed.keySet().forEach(c -> blocked(c, winner, ex));
                    return;
                }
                try (content) {
                    ObjectInfo si = content.info();
                    String sha = winner.sha256() != null ? winner.sha256() : si.sha256();
                    boolean serverChecks = serverChecks(sha, si, List.of(target));
                    ExactBody in = serverChecks ? ExactBody.of(content.stream(), si.size())
                            : ExactBody.sha256(content.stream(), si.size(), sha);
                    ObjectInfo written = target.copy.store().put(target.copy.bucket(), key, in,
                            putOptions(si, winner.withSha256(sha).stamp(si.userMetadata()), sha, serverChecks,
                                    precondition(target, t.getValue())));
                    arrived(key, ks, winner, source, target, written, in.count());
                } catch (SkyforgeException ex) {
                    failedOn(target, ks, winner, ex);
                }
            } finally {
                target.permits.release();
            }
        }
    }

    /** A small object read once from {@code source} and written to every target from memory. */
    private void fanOut(String key, KeyState ks, Version winner, CopyRuntime source, Observed src,
                        Map<CopyRuntime, Observed> targets, Fetched pre) {
        byte[] data;
        ObjectInfo si;
        String sha;
        boolean serverChecks;
        try (ObjectContent content = pre != null ? null : read(key, ks, source, src)) {
            si = pre != null ? pre.info() : content.info();
            sha = winner.sha256() != null ? winner.sha256() : si.sha256();
            serverChecks = serverChecks(sha, si, targets.keySet());
            InputStream raw = pre != null ? new ByteArrayInputStream(pre.data()) : content.stream();
            data = (serverChecks ? ExactBody.of(raw, si.size()) : ExactBody.sha256(raw, si.size(), sha)).readAllBytes();
        } catch (IOException e) {
            // The source was overwritten while we read it (hash mismatch) or the read broke off.
            ks.stale.add(source.copy.cloud());
            again.add(key);
            SkyforgeException ex = new SkyforgeException(ErrorCode.IO, "reading '" + key + "' from "
                    + source.copy.cloud() + " failed: " + e.getMessage(), e);
            targets.keySet().forEach(c -> blocked(c, winner, ex));
            return;
        } catch (SkyforgeException ex) {
            if (ex.code() != ErrorCode.PRECONDITION_FAILED) {
                source.failed(ex);
            }
            targets.keySet().forEach(c -> blocked(c, winner, ex));
            return;
        }
        Map<String, String> metadata = winner.withSha256(sha).stamp(si.userMetadata());
        for (Map.Entry<CopyRuntime, Observed> t : targets.entrySet()) {
            CopyRuntime target = t.getKey();
            try {
                target.permits.acquireUninterruptibly();
                try {
                    ObjectInfo written = target.copy.store().put(target.copy.bucket(), key, new ByteArrayInputStream(data),
                            putOptions(si, metadata, sha, serverChecks, precondition(target, t.getValue())));
                    arrived(key, ks, winner, source, target, written, data.length);
                } finally {
                    target.permits.release();
                }
            } catch (SkyforgeException ex) {
                failedOn(target, ks, winner, ex);
            }
        }
    }

    /**
     * Whether the targets' servers can check a copy's bytes against the source's MD5 (S3 Content-MD5; the source's
     * server computed it when the object was written), so this process need not hash them against the version's
     * SHA-256 — the hash was the largest CPU cost of copying big objects.
     */
    private static boolean serverChecks(String sha, ObjectInfo source, Collection<CopyRuntime> targets) {
        return sha != null && source.contentMd5() != null
                && targets.stream().allMatch(t -> t.copy.store().capabilities().contentMd5Check());
    }

    /**
     * A replication write: the version's SHA-256 goes along (checked here or, with {@code serverChecks}, the
     * bytes by the target's server against the source's MD5), so the target store does not hash them again.
     */
    private static PutOptions putOptions(ObjectInfo source, Map<String, String> metadata, String sha, boolean serverChecks,
                                         Precondition precondition) {
        PutOptions options = new PutOptions(source.contentType(), metadata, source.size(), precondition).withSha256(sha);
        return serverChecks ? options.withContentMd5(source.contentMd5()) : options;
    }

    /** Opens the winner's content on {@code source}, refusing a copy that changed since it was looked at. */
    private ObjectContent read(String key, KeyState ks, CopyRuntime source, Observed src) {
        ObjectContent content = source.copy.store().get(source.copy.bucket(), key);
        if (!content.info().etag().equals(src.etag)) {
            content.close();
            ks.stale.add(source.copy.cloud());
            again.add(key);
            throw new SkyforgeException(ErrorCode.PRECONDITION_FAILED, "'" + key + "' changed on "
                    + source.copy.cloud() + " while replicating; will look again");
        }
        return content;
    }

    /** The winner is now on {@code target}: remember it, and account for it. */
    private void arrived(String key, KeyState ks, Version winner, CopyRuntime source, CopyRuntime target,
                         ObjectInfo written, long bytes) {
        Version held = winner.sha256() == null && written.sha256() != null ? winner.withSha256(written.sha256()) : winner;
        ks.observed.put(target.copy.cloud(), new Observed(written.etag(), written.size(), held, true));
        target.listing.put(key, written.summary());
        target.touched.put(key, System.nanoTime());
        target.pending.remove(key);
        target.succeeded();
        metrics.replicated(source.copy.cloud(), target.copy.cloud(), bytes);
        metrics.lag(winner.origin(), target.copy.cloud(),
                Duration.ofMillis(System.currentTimeMillis() - winner.hlc().physicalMillis()));
    }

    /** Guards a replication write with the copy's state when the store can check it atomically. */
    private static Precondition precondition(CopyRuntime target, Observed current) {
        var caps = target.copy.store().capabilities();
        if (current == null) {
            return caps.conditionalCreate() ? Precondition.IF_ABSENT : Precondition.NONE;
        }
        return caps.conditionalReplace() ? Precondition.ifMatch(current.etag) : Precondition.NONE;
    }

    private void deleteAt(CopyRuntime c, String key, KeyState ks, Version tombstone) {
        c.permits.acquireUninterruptibly();
        try {
            c.copy.store().delete(c.copy.bucket(), key);
        } finally {
            c.permits.release();
        }
        ks.observed.remove(c.copy.cloud());
        c.listing.remove(key);
        c.touched.put(key, System.nanoTime());
        c.succeeded();
        metrics.replicated(tombstone.origin(), c.copy.cloud(), 0);
        metrics.lag(tombstone.origin(), c.copy.cloud(),
                Duration.ofMillis(System.currentTimeMillis() - tombstone.hlc().physicalMillis()));
    }

    /**
     * Removes the tombstone markers once every copy has acknowledged the delete (holds the marker or
     * nothing). A copy unreachable for longer than the tombstone window does not hold collection up
     * forever: it is flagged for a full resync, which knows the horizon of what it missed.
     */
    private void collectTombstone(String key, KeyState ks, Version winner, List<CopyRuntime> markers, List<CopyRuntime> down) {
        boolean expired = ks.tombstoneSince < System.currentTimeMillis() - config.tombstoneWindow().toMillis();
        if (!down.isEmpty() && !expired) {
            return;
        }
        for (CopyRuntime c : copies) {
            Observed o = ks.observed.get(c.copy.cloud());
            if (!down.contains(c) && o != null && !(o.version.sameWrite(winner))) {
                return;
            }
        }
        for (CopyRuntime c : markers) {
            try {
                c.copy.store().delete(c.copy.bucket(), key);
                ks.observed.remove(c.copy.cloud());
                c.listing.remove(key);
                c.touched.put(key, System.nanoTime());
            } catch (SkyforgeException e) {
                c.failed(e);
                return;
            }
        }
        for (CopyRuntime c : down) {
            c.resyncHorizon = c.resyncHorizon == null ? winner.hlc() : Hlc.max(c.resyncHorizon, winner.hlc());
            c.pending.remove(key);
        }
        if (!ks.collected) {
            ks.collected = true;
            ks.tombstoneSince = System.currentTimeMillis();
        }
    }

    /**
     * After an outage longer than the tombstone window, an object found only on the returning copy,
     * older than both the last contact with that copy and the newest delete it missed, is one whose
     * tombstone was already collected: copying it back would resurrect a deleted object.
     */
    private boolean isStaleAfterOutage(Version winner, Map<CopyRuntime, Observed> views, List<CopyRuntime> down) {
        if (!down.isEmpty()) {
            return false;
        }
        boolean anyHolder = false;
        for (Map.Entry<CopyRuntime, Observed> e : views.entrySet()) {
            Observed o = e.getValue();
            if (o == null) {
                continue;
            }
            if (!o.version.sameWrite(winner)) {
                return false;
            }
            CopyRuntime c = e.getKey();
            if (c.resyncHorizon == null || c.downSince == null
                    || winner.hlc().compareTo(c.resyncHorizon) > 0 || winner.hlc().compareTo(c.downSince) > 0) {
                return false;
            }
            anyHolder = true;
        }
        return anyHolder && views.values().stream().anyMatch(Objects::isNull);
    }

    private void discardStale(String key, KeyState ks, Map<CopyRuntime, Observed> views, Version stale) {
        for (Map.Entry<CopyRuntime, Observed> e : views.entrySet()) {
            if (e.getValue() != null) {
                CopyRuntime c = e.getKey();
                LOG.info("sync " + bucket + ": not resurrecting '" + key + "' (" + stale + ") found only on " + c.copy.cloud()
                        + " after an outage longer than the tombstone window");
                deleteAt(c, key, ks, Version.write(clock.now(), c.copy.cloud(), null, true, stale));
            }
        }
    }

    // ------------------------------------------------------------------ writes through the data API

    /**
     * Called by {@link BucketWriter} with the key's lock held, after its write succeeded; {@code content} is what
     * it stored when it kept it (small objects), else null.
     */
    void recordLocalWrite(String cloud, String key, ObjectInfo info, Version version, byte[] content) {
        KeyState ks = state.computeIfAbsent(key, k -> new KeyState());
        CopyRuntime c = byCloud.get(cloud);
        takeWritten(ks);
        if (content != null && content.length == info.size() && content.length <= BUFFERED_MAX_BYTES) {
            if (writtenBytes.addAndGet(content.length) <= WRITTEN_MAX_BYTES) {
                ks.written = new Written(c, new Fetched(info, content));
            } else {
                writtenBytes.addAndGet(-content.length);
            }
        }
        ks.observed.put(cloud, new Observed(info.etag(), info.size(), version, true));
        c.listing.put(key, info.summary());
        c.touched.put(key, System.nanoTime());
        enqueue(key);
    }

    ReentrantLock lockFor(String key) {
        return locks.forKey(key);
    }

    CopyRuntime copy(String cloud) {
        CopyRuntime c = byCloud.get(cloud);
        if (c == null) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "logical bucket '" + bucket + "' has no copy on cloud '" + cloud
                    + "'; its copies are " + byCloud.keySet());
        }
        return c;
    }

    /** What the replicator last saw for a key on a copy, for the writer's parent version. */
    Version observedVersion(String cloud, String key) {
        KeyState ks = state.get(key);
        Observed o = ks == null ? null : ks.observed.get(cloud);
        return o == null ? null : o.version;
    }

    /**
     * The delete a write onto an absent key follows: its tombstone may already be collected from the
     * copies, but the new write must still carry the history the delete carried.
     */
    Version tombstoneOf(String key) {
        KeyState ks = state.get(key);
        return ks == null ? null : ks.tombstone;
    }

    // ------------------------------------------------------------------ state

    /** Per key, guarded by the key's lock (except {@code stale}, which events add to concurrently). */
    private static final class KeyState {
        final Map<String, Observed> observed = new ConcurrentHashMap<>();
        final Set<String> stale = ConcurrentHashMap.newKeySet();
        /** The newest delete of this key, kept after its markers are collected until the window passes. */
        Version tombstone;
        /** Content the writer just stored, until the reconcile that replicates it takes it. */
        Written written;
        long tombstoneSince;
        boolean collected;
        volatile boolean forgetObservations;
    }

    /** A copy's object as last seen: its listing identity and the version it carries. */
    private record Observed(String etag, long size, Version version, boolean stampedAtSource) {
    }

    private record Pending(long bytes, long sinceMillis) {
    }

    final class CopyRuntime {
        final SyncCopy copy;
        final Semaphore permits;
        final Map<String, ObjectSummary> listing = new ConcurrentHashMap<>();
        final Map<String, Pending> pending = new ConcurrentHashMap<>();
        /** Keys reconciled while this copy was away that it lacks nothing of, to settle once it answers. */
        final Set<String> revisit = ConcurrentHashMap.newKeySet();
        /** When this replicator last wrote or deleted each key here, for telling its own changes from news. */
        final Map<String, Long> touched = new ConcurrentHashMap<>();
        volatile boolean listed;
        /** Set while its first listing runs ({@link #firstListing}); that listing has got as far as {@code listedThrough}. */
        final java.util.concurrent.atomic.AtomicBoolean firstListing = new java.util.concurrent.atomic.AtomicBoolean();
        volatile String listedThrough;
        volatile boolean reachable = true;
        volatile String lastError = "";
        volatile Instant lastErrorAt;
        volatile Instant lastScan;
        volatile Hlc downSince;
        volatile Hlc resyncHorizon;
        volatile long fullResyncStartedAt;
        volatile Map<String, ObjectSummary> heldListing;
        volatile long heldStart;

        CopyRuntime(SyncCopy copy) {
            this.copy = copy;
            this.permits = new Semaphore(copy.maxTransfers());
        }

        /** Whether a listing has shown what this copy holds of the key (absent from {@link #listing}: nothing). */
        boolean covers(String key) {
            if (listed) {
                return true;
            }
            String through = listedThrough;
            return through != null && ObjectKeys.UTF8_ORDER.compare(key, through) <= 0;
        }

        long pendingBytes() {
            return pending.values().stream().mapToLong(Pending::bytes).sum();
        }

        void pend(String key, long bytes, long sinceMillis) {
            pending.putIfAbsent(key, new Pending(bytes, sinceMillis));
        }

        void error(SkyforgeException e) {
            lastError = e.code().code() + ": " + e.getMessage();
            lastErrorAt = Instant.now();
        }

        /** An operation on this copy failed; an outage marks it unreachable until a probe succeeds. */
        void failed(RuntimeException e) {
            SkyforgeException se = e instanceof SkyforgeException s ? s
                    : new SkyforgeException(ErrorCode.INTERNAL, String.valueOf(e.getMessage()), e);
            error(se);
            if (se.code() == ErrorCode.UNAVAILABLE || se.code() == ErrorCode.THROTTLED || se.code() == ErrorCode.IO
                    || se.code() == ErrorCode.TIMEOUT || se.code() == ErrorCode.ACCESS_DENIED || se.code() == ErrorCode.BUCKET_NOT_FOUND) {
                if (reachable) {
                    reachable = false;
                    downSince = clock.peek();
                }
            }
        }

        void succeeded() {
            if (!reachable) {
                reachable = true;
                if (resyncHorizon != null) {
                    fullResyncStartedAt = System.currentTimeMillis();
                } else {
                    downSince = null;
                }
            }
        }
    }

    // ------------------------------------------------------------------ construction

    public static final class Builder {
        private final String bucket;
        private final List<SyncCopy> copies = new ArrayList<>();
        private final List<ChangeSource> sources = new ArrayList<>();
        private SyncConfig config = SyncConfig.DEFAULTS;
        private HybridLogicalClock clock = new HybridLogicalClock();
        private ConflictLog conflictLog = new InMemoryConflictLog();
        private MeterRegistry registry = new SimpleMeterRegistry();

        private Builder(String bucket) {
            if (bucket == null || bucket.isBlank()) {
                throw new SkyforgeException(ErrorCode.VALIDATION, "a logical bucket name is required");
            }
            this.bucket = bucket;
        }

        public Builder copy(SyncCopy c) {
            copies.add(Objects.requireNonNull(c));
            return this;
        }

        public Builder config(SyncConfig c) {
            config = Objects.requireNonNull(c);
            return this;
        }

        public Builder clock(HybridLogicalClock c) {
            clock = Objects.requireNonNull(c);
            return this;
        }

        public Builder conflictLog(ConflictLog l) {
            conflictLog = Objects.requireNonNull(l);
            return this;
        }

        public Builder meterRegistry(MeterRegistry r) {
            registry = Objects.requireNonNull(r);
            return this;
        }

        public Builder changeSource(ChangeSource s) {
            sources.add(Objects.requireNonNull(s));
            return this;
        }

        public LogicalBucketReplicator build() {
            return new LogicalBucketReplicator(this);
        }
    }
}
