package io.skyforge.control.job;

import io.skyforge.control.placement.CloudCandidate;
import io.skyforge.control.placement.Outcome;
import io.skyforge.control.placement.PlacementDecision;
import io.skyforge.control.placement.PlacementInputs;
import io.skyforge.control.placement.PlacementRequest;
import io.skyforge.control.placement.Placer;
import io.skyforge.control.resources.ResourceService;
import io.skyforge.control.store.ResourcePage;
import io.skyforge.control.store.Watch;
import io.skyforge.control.store.WatchEvent;
import io.skyforge.control.store.WatchListener;
import io.skyforge.core.codec.Json;
import io.skyforge.core.model.Condition;
import io.skyforge.core.model.DataJobSpec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.select.LabelSelector;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reconciles DataJobs: plan partitions → place them (recording the full decision for
 * {@code skyforge explain}) → enqueue them for the chosen clouds' workers → track progress → commit
 * the manifest → {@code Succeeded}. Container jobs ({@code spec.image}) take the same path without
 * the dataset and the manifest: their tasks are run, and reported done, by a Kubernetes backend. Every pass is idempotent and reads its state from the store and
 * the task queue, so a control-plane restart resumes a job without redoing finished partitions.
 */
public final class DataJobController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataJobController.class);
    /** Rough output size per row and generation speed per core, for placement's cost estimate. */
    private static final long BYTES_PER_ROW_ESTIMATE = 100;
    private static final double ROWS_PER_CPU_SECOND_ESTIMATE = 300_000;
    private static final int HISTORY = 20;
    /** How often a pass looks at every stored job, when nobody says otherwise. */
    public static final Duration FULL_PASS = Duration.ofSeconds(10);
    /**
     * Container tasks are held by the Kubernetes Job that runs them, not by a worker that renews a
     * lease: the controller claims them for the Job at dispatch with a lease no worker could outlive,
     * so no worker claims them and they count as load while they run; the Job's completed indexes,
     * reported by the backend, complete them.
     */
    static final Duration CONTAINER_LEASE = Duration.ofDays(365);
    static final String CONTAINER_TABLE = "container";

    /** How long a cloud holding finished parts may stay not Ready before they are generated again elsewhere. */
    public static final Duration LOST_CLOUD_AFTER = Duration.ofMinutes(10);

    /** How often a job with tasks stuck on an unhealthy cloud tries to move them. */
    private static final Duration REROUTE_EVERY = Duration.ofSeconds(2);

    private final ResourceService service;
    private final TaskQueue queue;
    private final PartitionRunner runner;
    private final Placer placer;
    private final ComputeBackends backends;
    private final Clock clock;
    private final Duration interval;
    private final Duration fullPass;
    private final Duration lostCloudAfter;
    /** Jobs ({@code namespace/name}) the next pass looks at; see {@link #start()}. */
    private final Set<String> hot = ConcurrentHashMap.newKeySet();
    /** uids of jobs deleted since the last pass, whose tasks are withdrawn. */
    private final Queue<String> deleted = new ConcurrentLinkedQueue<>();
    private volatile boolean fullPassDue = true;
    private volatile long lastFullPass;
    private volatile Watch watch;
    /** {@link #cloudCandidates()} of the pass under way; null between passes. */
    private List<CloudCandidate> passClouds;
    /** Jobs whose tasks this process has dispatched: after a restart, running jobs are dispatched again. */
    private final Set<String> dispatched = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> lastReroute = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastLostCheck = new ConcurrentHashMap<>();
    /** The spec generation of each generation job as last seen by the watch: only a new one asks for an early pass. */
    private final Map<String, Long> seenGenerations = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean passRequested = new java.util.concurrent.atomic.AtomicBoolean();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "skyforge-datajob-controller");
        t.setDaemon(true);
        return t;
    });

    public DataJobController(ResourceService service, TaskQueue queue, PartitionRunner runner, Placer placer,
                             ComputeBackends backends, Clock clock, Duration interval) {
        this(service, queue, runner, placer, backends, clock, interval, FULL_PASS);
    }

    /**
     * @param interval how often a pass looks at the jobs that need it
     * @param fullPass how often a pass looks at every stored job
     */
    public DataJobController(ResourceService service, TaskQueue queue, PartitionRunner runner, Placer placer,
                             ComputeBackends backends, Clock clock, Duration interval, Duration fullPass) {
        this(service, queue, runner, placer, backends, clock, interval, fullPass, LOST_CLOUD_AFTER);
    }

    /**
     * @param lostCloudAfter how long a cloud holding finished parts of a running job may stay not
     *                       Ready before those partitions are generated again on another cloud
     */
    public DataJobController(ResourceService service, TaskQueue queue, PartitionRunner runner, Placer placer,
                             ComputeBackends backends, Clock clock, Duration interval, Duration fullPass,
                             Duration lostCloudAfter) {
        this.lostCloudAfter = lostCloudAfter;
        this.fullPass = fullPass;
        this.service = service;
        this.queue = queue;
        this.runner = runner;
        this.placer = placer;
        this.backends = backends;
        this.clock = clock;
        this.interval = interval;
    }

    /**
     * Watches DataJobs and runs a pass every {@code interval}. A pass looks only at the jobs that
     * need it — those a watch event named since the last pass, and running ones (their progress
     * comes from the task queue, which has no events) — and every {@code fullPass} at all of them,
     * for what events do not cover: a job waiting for a dataset, a cloud or a cheaper hour. Listing
     * and parsing every stored job five times a second instead cost a core's quarter and most of the
     * API's tail latency with 10,000 jobs stored. A new or changed generation job, and a finished
     * task, ask for a pass at once ({@link #requestPass}) rather than at the next tick.
     */
    public void start() {
        watchJobs();
        loop.scheduleWithFixedDelay(this::pass, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void watchJobs() {
        watch = service.store().watch(Kinds.DATA_JOB, null, null, new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                Resource job = event.object();
                if (event.type() == WatchEvent.Type.DELETED) {
                    deleted.add(job.metadata().uid());
                    hot.remove(job.namespace() + "/" + job.name());
                } else if (!isTerminal(job)) {
                    hot.add(job.namespace() + "/" + job.name());
                }
                if (job.spec().has("generate") && newGeneration(event)) {
                    // Container jobs only wait for a Kubernetes backend: the next tick is soon enough for them
                    // (and waking at once would race every client that updates a just-created job by version).
                    requestPass();
                }
            }

            @Override
            public void onError(SkyforgeException error) {
                if (!loop.isShutdown()) {
                    LOG.warn("DataJob watch ended ({}); watching again after a full pass", error.code().code());
                    fullPassDue = true;
                    loop.execute(DataJobController.this::rewatch);
                }
            }
        });
    }

    /** Created, spec changed or deleted; not one of the controller's own status writes. */
    private boolean newGeneration(WatchEvent event) {
        Resource job = event.object();
        long generation = job.metadata().generation() == null ? 0 : job.metadata().generation();
        Long seen = event.type() == WatchEvent.Type.DELETED ? seenGenerations.remove(job.metadata().uid())
                : seenGenerations.put(job.metadata().uid(), generation);
        return event.type() == WatchEvent.Type.DELETED || seen == null || seen != generation;
    }

    /**
     * Runs a pass over the jobs that need one soon instead of at the next tick (coalesced: at most
     * one is pending): a generation job was created or changed, or a task finished and its job may
     * be ready to commit.
     */
    public void requestPass() {
        if (!loop.isShutdown() && passRequested.compareAndSet(false, true)) {
            try {
                loop.execute(() -> {
                    passRequested.set(false);
                    pass();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                passRequested.set(false); // closing
            }
        }
    }

    /**
     * Runs a full pass soon: something no job event announces changed for every waiting job (a
     * worker cloud got live workers), so jobs queued for it are placed now rather than within
     * {@code fullPass}.
     */
    public void requestFullPass() {
        fullPassDue = true;
        requestPass();
    }

    private void rewatch() {
        Watch w = watch;
        if (w != null) {
            w.close();
        }
        try {
            watchJobs();
        } catch (RuntimeException e) {
            loop.schedule(this::rewatch, fullPass.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void pass() {
        if (fullPassDue || clock.millis() - lastFullPass >= fullPass.toMillis()) {
            reconcileAll();
            return;
        }
        try {
            passClouds = null;
            for (String uid = deleted.poll(); uid != null; uid = deleted.poll()) {
                forget(uid);
            }
            for (String key : List.copyOf(hot)) {
                int slash = key.indexOf('/');
                Optional<Resource> job = service.get(Kinds.DATA_JOB, key.substring(0, slash), key.substring(slash + 1));
                if (job.isEmpty() || !reconcileOne(job.get(), !queue.tasks(job.get().metadata().uid()).isEmpty())) {
                    hot.remove(key);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("DataJob reconcile pass failed: {}", e.toString());
        } finally {
            passClouds = null;
        }
    }

    /** One pass over every DataJob; also forgets the tasks of deleted jobs. */
    public void reconcileAll() {
        try {
            passClouds = null;
            fullPassDue = false;
            lastFullPass = clock.millis();
            deleted.clear();
            ResourcePage jobs = service.list(Kinds.DATA_JOB, null, LabelSelector.EVERYTHING, 0, null);
            Set<String> live = new HashSet<>();
            Set<String> withTasks = new HashSet<>(queue.jobUids());
            for (Resource job : jobs.items()) {
                live.add(job.metadata().uid());
                if (reconcileOne(job, withTasks.contains(job.metadata().uid()))) {
                    hot.add(job.namespace() + "/" + job.name());
                }
            }
            for (String uid : withTasks) {
                if (!live.contains(uid)) {
                    forget(uid);
                }
            }
        } catch (RuntimeException e) {
            fullPassDue = true;
            LOG.warn("DataJob reconcile pass failed: {}", e.toString());
        } finally {
            passClouds = null;
        }
    }

    /**
     * Reconciles one job; true when the next pass should look at it again: it has tasks in the queue
     * (had them, or was just placed and dispatched) and had not finished (a job it just finished
     * drops out one pass later), or it failed to reconcile. A job just placed must stay: the watch
     * event of its status write may arrive before the caller drops it, and would then be lost.
     */
    private boolean reconcileOne(Resource job, boolean hasTasks) {
        try {
            reconcile(job);
        } catch (RuntimeException e) {
            LOG.warn("reconciling {} failed: {}", job.ref(), e.toString());
            return true;
        }
        return (hasTasks || dispatched.contains(job.metadata().uid())) && !isTerminal(job);
    }

    /** The job was deleted: let its workers go and cancel what has not run. */
    private void forget(String uid) {
        List<PartitionTask> left = queue.tasks(uid);
        if (!left.isEmpty()) {
            PartitionTask any = left.get(0);
            release(new ComputeBackend.JobRef(any.namespace(), any.jobName(), uid), left, "the job was deleted");
        }
        queue.remove(uid);
    }

    private static boolean isTerminal(Resource job) {
        String phase = job.status().path("phase").asString("");
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    public void reconcile(Resource job) {
        ObjectNode status = job.status().deepCopy();
        String phase = status.path("phase").asString("Pending");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return;
        }
        DataJobSpec spec = Kinds.spec(job, DataJobSpec.class);
        String uid = job.metadata().uid();
        if (Boolean.TRUE.equals(spec.suspend())) {
            if (!phase.equals("Suspended")) {
                if (spec.generate() == null) {
                    letGoContainerTasks(job, "the job was suspended", false);
                }
                queue.removePending(uid);
                release(ref(job), queue.tasks(uid), "the job was suspended");
                transition(job, status, "Suspended", "spec.suspend is true: pending partitions withdrawn");
            }
            return;
        }
        List<PartitionTask> tasks = queue.tasks(uid);
        boolean placing = tasks.isEmpty() || phase.equals("Pending") || phase.equals("Suspended") || phase.equals("Waiting");
        if (!placing && spec.generate() != null) {
            switch (regenerateLostParts(job, status, spec, tasks)) {
                case FAILED -> {
                    return;
                }
                case MOVED -> tasks = queue.tasks(uid);
                case NONE -> { }
            }
        }
        if (!placing && tasks.stream().anyMatch(t -> t.state() != PartitionTask.State.SUCCEEDED)) {
            // Still running: progress comes from the queue alone; the dataset is compiled only to place or commit.
            if (queue.failAbandoned(uid, RetryBackoff.maxAttempts(spec.backoffLimit())) > 0
                    || rerouteFromUnhealthyClouds(job, status, spec, tasks)) {
                tasks = queue.tasks(uid);
            }
            if (!dispatched.contains(uid)) {
                dispatch(job, status, tasks); // first pass of this process over a running job (a restart)
            }
            track(job, status, spec, tasks);
            return;
        }
        if (spec.generate() == null) {
            if (placing) {
                placeContainerJob(job, status, spec);
            } else {
                finishContainerJob(job, status, tasks);
            }
            return;
        }
        PartitionRunner.Prepared prepared;
        try {
            prepared = runner.prepare(job);
        } catch (SkyforgeException e) {
            condition(status, "Ready", false, "InvalidReference", e.getMessage(), job);
            transitionIfChanged(job, status, "Pending", e.getMessage());
            return;
        }
        if (placing) {
            place(job, status, prepared);
        } else {
            commit(job, status, prepared, tasks);
        }
    }

    /** The placement decision for a generation job's partitions on the clouds as they are now. */
    private PlacementDecision decide(Resource job, PartitionRunner.Prepared prepared) {
        DataJobSpec spec = prepared.spec();
        List<String> tables = PartitionRunner.tables(prepared);
        int parts = spec.parallelism() == null ? 1 : spec.parallelism();
        int total = tables.size() * parts;
        long rows = tables.stream().mapToLong(t -> prepared.dataset().table(t).rows()).sum();
        List<CloudCandidate> clouds = cloudCandidates();
        Resource dataset = service.get(Kinds.DATASET, job.namespace(), spec.generate().dataset()).orElse(null);
        Resource bucket = service.get(Kinds.LOGICAL_BUCKET, job.namespace(), spec.output().bucket()).orElse(null);
        Resource cluster = spec.cluster() == null ? null : service.get(Kinds.LOGICAL_CLUSTER, job.namespace(), spec.cluster()).orElse(null);
        double cpuHours = rows / (double) total / ROWS_PER_CPU_SECOND_ESTIMATE / 3600.0;
        PlacementRequest request = PlacementInputs.request(job, dataset, bucket, cluster, clouds, total, cpuHours,
                rows * BYTES_PER_ROW_ESTIMATE);
        return placer.place(request, clouds, clock.instant());
    }

    private void place(Resource job, ObjectNode status, PartitionRunner.Prepared prepared) {
        DataJobSpec spec = prepared.spec();
        List<String> tables = PartitionRunner.tables(prepared);
        int parts = spec.parallelism() == null ? 1 : spec.parallelism();
        PlacementDecision decision;
        try {
            decision = decide(job, prepared);
        } catch (SkyforgeException e) {
            // A pin to a missing or forbidden cloud, bad weights: the user fixes the spec, the job waits.
            condition(status, "Placed", false, e.code().code(), e.getMessage(), job);
            transitionIfChanged(job, status, "Pending", e.getMessage());
            return;
        }
        if (!recordDecision(job, status, decision, decision.reason())) {
            return;
        }
        List<PartitionTask> plan = new ArrayList<>();
        int index = 0;
        for (String table : tables) {
            for (int k = 0; k < parts; k++) {
                plan.add(PartitionTask.planned(job.metadata().uid(), index, job.namespace(), job.name(), table, k, parts,
                        decision.cloudFor(index)));
                index++;
            }
        }
        queue.enqueue(plan);
        ArrayNode winners = status.putArray("clouds");
        decision.winners().forEach(winners::add);
        if (decision.estimatedCost() != null) {
            status.put("costEstimate", decision.estimatedCost());
            status.put("currency", decision.currency());
        }
        if (!status.has("startTime")) {
            status.put("startTime", clock.instant().toString());
        }
        condition(status, "Placed", true, "Placed", "on " + String.join(", ", decision.winners()), job);
        condition(status, "Ready", true, "Valid", "dataset and bucket found", job);
        List<PartitionTask> enqueued = queue.tasks(job.metadata().uid());
        dispatch(job, status, enqueued);
        progress(status, enqueued);
        transition(job, status, "Running", decision.reason());
    }

    /**
     * Writes the placement decision into the status; answers whether the job was placed. A job that
     * waits for a cheaper window goes to Waiting, one no cloud can take to Pending with
     * {@code pendingMessage}.
     */
    private boolean recordDecision(Resource job, ObjectNode status, PlacementDecision decision, String pendingMessage) {
        setPlacement(status, decision);
        if (decision.outcome() == Outcome.WAITING) {
            status.put("startAt", String.valueOf(decision.startAt()));
            transitionIfChanged(job, status, "Waiting", decision.reason());
            return false;
        }
        if (decision.outcome() != Outcome.PLACED) {
            condition(status, "Placed", false, decision.outcome().name(), decision.reason(), job);
            transitionIfChanged(job, status, "Pending", pendingMessage);
            return false;
        }
        return true;
    }

    /**
     * Container jobs (spec.image) run only on a Kubernetes compute backend (placement filters the
     * others out, and says so). A placed one gets a task per partition ({@code spec.parallelism}) on
     * its cloud, claimed at once for the Indexed Job the backend makes of them; their progress is the
     * Job's completed indexes ({@link ComputeBackend#report}).
     */
    private void placeContainerJob(Resource job, ObjectNode status, DataJobSpec spec) {
        List<CloudCandidate> clouds = cloudCandidates();
        Resource cluster = spec.cluster() == null ? null : service.get(Kinds.LOGICAL_CLUSTER, job.namespace(), spec.cluster()).orElse(null);
        int parts = spec.parallelism() == null ? 1 : spec.parallelism();
        PlacementDecision decision;
        try {
            decision = placer.place(PlacementInputs.request(job, null, null, cluster, clouds, parts, 1.0, 0), clouds, clock.instant());
        } catch (SkyforgeException e) {
            condition(status, "Placed", false, e.code().code(), e.getMessage(), job);
            transitionIfChanged(job, status, "Pending", e.getMessage());
            return;
        }
        if (!recordDecision(job, status, decision, "container job not placed")) {
            return;
        }
        String uid = job.metadata().uid();
        List<PartitionTask> plan = new ArrayList<>();
        for (int k = 0; k < parts; k++) {
            plan.add(PartitionTask.planned(uid, k, job.namespace(), job.name(), CONTAINER_TABLE, k, parts, decision.cloudFor(k)));
        }
        queue.enqueue(plan);
        for (PartitionTask t : queue.tasks(uid)) {
            if (t.state() == PartitionTask.State.PENDING) {
                queue.claim(uid, t.index(), t.cloud(), containerOwner(t.cloud()), CONTAINER_LEASE);
            }
        }
        ArrayNode winners = status.putArray("clouds");
        decision.winners().forEach(winners::add);
        if (!status.has("startTime")) {
            status.put("startTime", clock.instant().toString());
        }
        condition(status, "Placed", true, "Placed", "on " + String.join(", ", decision.winners()), job);
        List<PartitionTask> enqueued = queue.tasks(uid);
        dispatch(job, status, enqueued);
        progress(status, enqueued);
        transition(job, status, "Running", decision.reason());
    }

    private static String containerOwner(String cloud) {
        return "kubernetes/" + cloud;
    }

    /**
     * Every index of a container job completed. Skyforge commits nothing for it: what its pods wrote
     * (through the data API, under the output prefix) is theirs, and there is no manifest unless they
     * wrote one.
     */
    private void finishContainerJob(Resource job, ObjectNode status, List<PartitionTask> tasks) {
        progress(status, tasks);
        status.put("completionTime", clock.instant().toString());
        condition(status, "Complete", true, "AllIndexesCompleted", "all " + tasks.size() + " partitions' pods completed", job);
        transition(job, status, "Succeeded", "every index of the Kubernetes Job completed");
        release(ref(job), tasks, "the job succeeded");
    }

    /**
     * Releases the container tasks the controller claimed for a Kubernetes Job that will not run
     * them any more: back to pending (suspend; withdrawn right after) or failed for good.
     */
    private void letGoContainerTasks(Resource job, String why, boolean forGood) {
        for (PartitionTask t : queue.tasks(job.metadata().uid())) {
            if (t.state() == PartitionTask.State.RUNNING && containerOwner(t.cloud()).equals(t.leaseOwner())) {
                try {
                    queue.fail(t.lease(), why, forGood ? t.attempts() : Integer.MAX_VALUE, t.cloud(), clock.instant());
                } catch (SkyforgeException e) {
                    LOG.debug("{}: task {} changed under us: {}", job.ref(), t.index(), e.getMessage());
                }
            }
        }
    }

    /**
     * The placement snapshot: every Cloud with the tasks running on it now, read once per pass. A
     * pass only enqueues PENDING tasks, so the running counts it reads cannot change under it, and a
     * pass over thousands of waiting jobs must not list the clouds once per job.
     */
    private List<CloudCandidate> cloudCandidates() {
        List<CloudCandidate> snapshot = passClouds;
        if (snapshot == null) {
            snapshot = readClouds();
            passClouds = snapshot;
        }
        return snapshot;
    }

    private List<CloudCandidate> readClouds() {
        Map<String, Integer> running = queue.runningByCloud();
        List<CloudCandidate> clouds = new ArrayList<>();
        for (Resource c : service.list(Kinds.CLOUD, null, LabelSelector.EVERYTHING, 0, null).items()) {
            clouds.add(PlacementInputs.cloud(c, running.getOrDefault(c.name(), 0)));
        }
        return clouds;
    }

    /**
     * Progress of a running job; a partition out of attempts fails the job, and so does a compute
     * backend that reports it cannot finish it. A container job's completed indexes come from its
     * backend; a backend's passing problem (an API server that does not answer) shows as the
     * {@code Dispatched} condition with its error code.
     */
    private void track(Resource job, ObjectNode status, DataJobSpec spec, List<PartitionTask> tasks) {
        ComputeBackend.Report report = backends.report(ref(job),
                tasks.stream().map(PartitionTask::cloud).collect(java.util.stream.Collectors.toSet()));
        if (spec.generate() == null && !report.completed().isEmpty()) {
            Set<Integer> done = Set.copyOf(report.completed());
            for (PartitionTask t : tasks) {
                if (t.state() == PartitionTask.State.RUNNING && done.contains(t.index())
                        && containerOwner(t.cloud()).equals(t.leaseOwner())) {
                    queue.succeed(t.lease(), "{}");
                }
            }
            tasks = queue.tasks(job.metadata().uid());
        }
        if (report.failure() != null && tasks.stream().anyMatch(t -> t.state() != PartitionTask.State.SUCCEEDED)) {
            if (spec.generate() == null) {
                letGoContainerTasks(job, report.failure(), true);
            }
            progress(status, queue.tasks(job.metadata().uid()));
            fail(job, status, "ComputeFailed", report.failure());
            return;
        }
        if (report.problem() != null) {
            condition(status, "Dispatched", false, report.problem().code().code(), report.problem().getMessage(), job);
        } else if (isProblem(status.path("conditions"))) {
            condition(status, "Dispatched", true, "Dispatched", "the compute backend answers again", job);
        }
        progress(status, tasks);
        Optional<PartitionTask> failed = tasks.stream().filter(t -> t.state() == PartitionTask.State.FAILED).findFirst();
        if (failed.isPresent()) {
            PartitionTask f = failed.get();
            fail(job, status, "PartitionFailed", "partition " + f.part() + " of table " + f.table() + " failed after "
                    + f.attempts() + " attempts: " + f.lastError());
            return;
        }
        writeStatus(job, status);
    }

    /** Every partition succeeded: write the manifest last and finish the job. */
    private void commit(Resource job, ObjectNode status, PartitionRunner.Prepared prepared, List<PartitionTask> tasks) {
        progress(status, tasks);
        ObjectNode manifest = runner.commit(prepared, tasks);
        status.put("manifest", (prepared.spec().output().prefix() == null ? "" : prepared.spec().output().prefix() + "/")
                + io.skyforge.datagen.run.Manifest.KEY);
        status.put("specHash", manifest.path("specHash").asString());
        status.put("completionTime", clock.instant().toString());
        condition(status, "Complete", true, "ManifestWritten", "all " + tasks.size() + " partitions written; manifest committed", job);
        transition(job, status, "Succeeded", "manifest committed");
        release(ref(job), tasks, "the job succeeded");
    }

    private static ComputeBackend.JobRef ref(Resource job) {
        return new ComputeBackend.JobRef(job.namespace(), job.name(), job.metadata().uid());
    }

    /**
     * Tells each cloud's compute backend which of the job's unfinished tasks wait there. A cloud
     * without a usable backend (no compute, a type this control plane cannot run) leaves its tasks
     * waiting, and the {@code Dispatched} condition says why.
     */
    private void dispatch(Resource job, ObjectNode status, List<PartitionTask> tasks) {
        Map<String, List<Integer>> byCloud = new java.util.TreeMap<>();
        for (PartitionTask t : tasks) {
            if (t.state() == PartitionTask.State.PENDING || t.state() == PartitionTask.State.RUNNING) {
                byCloud.computeIfAbsent(t.cloud(), c -> new ArrayList<>()).add(t.index());
            }
        }
        DataJobSpec spec = Kinds.spec(job, DataJobSpec.class);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byCloud.entrySet()) {
            try {
                backends.dispatched(new ComputeBackend.Dispatch(ref(job), e.getKey(), e.getValue(), tasks.size(),
                        spec.resources(), spec.image()));
            } catch (SkyforgeException ex) {
                problems.add(ex.getMessage());
            } catch (RuntimeException ex) {
                problems.add("the compute backend of cloud " + e.getKey() + " failed: " + ex);
            }
        }
        dispatched.add(job.metadata().uid());
        if (problems.isEmpty()) {
            condition(status, "Dispatched", true, "Dispatched", "tasks handed to the compute of " + String.join(", ",
                    byCloud.keySet()), job);
        } else {
            condition(status, "Dispatched", false, "NoComputeBackend", String.join("; ", problems)
                    + "; the tasks wait in the queue", job);
        }
    }

    /** Whether the Dispatched condition holds a backend's passing problem (reason: an error code). */
    private static boolean isProblem(JsonNode conditions) {
        for (JsonNode c : conditions) {
            if ("Dispatched".equals(c.path("type").asString()) && c.path("reason").asString().startsWith("SF-")) {
                return true;
            }
        }
        return false;
    }

    /** Lets the compute backends of a job's clouds go; the job will not be dispatched again by this process. */
    private void release(ComputeBackend.JobRef job, List<PartitionTask> tasks, String reason) {
        dispatched.remove(job.uid());
        lastReroute.remove(job.uid());
        lastLostCheck.remove(job.uid());
        backends.released(job, tasks.stream().map(PartitionTask::cloud).collect(java.util.stream.Collectors.toSet()), reason);
    }

    /**
     * Moves the claimable tasks of an unpinned job off clouds that are not Ready (their storage or
     * endpoint failed its probes) or have no live workers (a {@code worker} cloud whose workers all
     * stopped calling) to the cloud placement picks among the healthy ones now; tasks whose worker
     * still holds a fresh lease stay. A pinned job waits for its cloud. Returns whether anything moved.
     */
    private boolean rerouteFromUnhealthyClouds(Resource job, ObjectNode status, DataJobSpec spec, List<PartitionTask> tasks) {
        if (spec.cloud() != null) {
            return false;
        }
        Instant now = clock.instant();
        Set<String> stuckOn = new java.util.TreeSet<>();
        for (PartitionTask t : tasks) {
            if (t.state() == PartitionTask.State.PENDING
                    || t.state() == PartitionTask.State.RUNNING && TaskQueue.claimable(t, now)) {
                stuckOn.add(t.cloud());
            }
        }
        if (stuckOn.isEmpty()) {
            return false;
        }
        List<CloudCandidate> clouds = cloudCandidates();
        Map<String, CloudCandidate> byName = new java.util.HashMap<>();
        clouds.forEach(c -> byName.put(c.name(), c));
        List<String> unhealthy = stuckOn.stream()
                .filter(c -> byName.get(c) == null || !byName.get(c).ready() || byName.get(c).noWorkers() != null).toList();
        Instant last = lastReroute.get(job.metadata().uid());
        if (unhealthy.isEmpty() || last != null && last.plus(REROUTE_EVERY).isAfter(now)) {
            return false;
        }
        lastReroute.put(job.metadata().uid(), now);
        PlacementDecision decision;
        try {
            decision = decide(job, runner.prepare(job));
        } catch (SkyforgeException e) {
            LOG.warn("{}: cannot re-place the tasks stuck on {}: {}", job.ref(), unhealthy, e.getMessage());
            return false;
        }
        if (decision.outcome() != Outcome.PLACED) {
            LOG.info("{}: tasks on {} wait for it to recover; no other cloud can take them now: {}", job.ref(), unhealthy,
                    decision.reason());
            return false;
        }
        String target = decision.winners().get(0);
        int moved = 0;
        for (String from : unhealthy) {
            CloudCandidate c = byName.get(from);
            int n = queue.reroute(job.metadata().uid(), from, target);
            if (n > 0) {
                moved += n;
                String why = c == null ? "it no longer exists" : !c.ready() ? "it is not Ready (" + c.readyReason() + ")"
                        : "it has " + c.noWorkers();
                event(status, n + " partition(s) moved from cloud " + from + " to " + target + ": " + why);
                LOG.info("{}: moved {} partition(s) from {} to {}: {}", job.ref(), n, from, target, why);
            }
        }
        if (moved == 0) {
            return false;
        }
        dispatchMovedTasks(job, status, target);
        return true;
    }

    /** Tasks were moved to {@code target}: it joins the job's clouds in the status, and the tasks are dispatched there. */
    private void dispatchMovedTasks(Resource job, ObjectNode status, String target) {
        ArrayNode clouds = status.has("clouds") && status.get("clouds").isArray() ? (ArrayNode) status.get("clouds")
                : status.putArray("clouds");
        boolean listed = false;
        for (JsonNode c : clouds) {
            listed |= c.asString().equals(target);
        }
        if (!listed) {
            clouds.add(target);
        }
        dispatch(job, status, queue.tasks(job.metadata().uid()));
    }

    private enum LostParts { NONE, MOVED, FAILED }

    /**
     * A running job whose finished parts lie on a cloud that has not been Ready for
     * {@code lostCloudAfter} (or was deleted) could never commit: the manifest goes to every copy
     * that holds parts. Those partitions are generated again on the cloud placement picks among the
     * healthy ones — the bytes are the same wherever they are generated, and the manifest then lists
     * the new copies. A pinned job ({@code spec.cloud}), or one that no other cloud may run, fails
     * with reason {@code CloudLost} instead of waiting for ever. Parts left on the lost cloud stay
     * there if it comes back; no manifest lists them.
     */
    private LostParts regenerateLostParts(Resource job, ObjectNode status, DataJobSpec spec, List<PartitionTask> tasks) {
        Map<String, CloudCandidate> byName = new java.util.HashMap<>();
        cloudCandidates().forEach(c -> byName.put(c.name(), c));
        // The common case, checked without reading any result: every cloud is Ready and none of the job's is gone.
        if (byName.values().stream().allMatch(CloudCandidate::ready) && tasks.stream().allMatch(t -> byName.containsKey(t.cloud()))) {
            return LostParts.NONE;
        }
        Map<String, List<Integer>> doneOn = new java.util.TreeMap<>();
        for (PartitionTask t : tasks) {
            if (t.state() == PartitionTask.State.SUCCEEDED && t.result() != null) {
                String cloud = Json.MAPPER.readTree(t.result()).path("cloud").asString(t.cloud());
                CloudCandidate c = byName.get(cloud);
                if (c == null || !c.ready()) {
                    doneOn.computeIfAbsent(cloud, k -> new ArrayList<>()).add(t.index());
                }
            }
        }
        if (doneOn.isEmpty()) {
            return LostParts.NONE;
        }
        Instant now = clock.instant();
        Instant last = lastLostCheck.get(job.metadata().uid());
        if (last != null && last.plus(REROUTE_EVERY).isAfter(now)) {
            return LostParts.NONE;
        }
        lastLostCheck.put(job.metadata().uid(), now);
        Map<String, String> lost = new java.util.TreeMap<>();
        for (String cloud : doneOn.keySet()) {
            Optional<Resource> c = service.get(Kinds.CLOUD, null, cloud);
            if (c.isEmpty()) {
                lost.put(cloud, "it no longer exists");
                continue;
            }
            Instant since = notReadySince(c.get());
            if (since != null && !since.plus(lostCloudAfter).isAfter(now)) {
                lost.put(cloud, "it has not been Ready since " + since + " (" + lostCloudAfter.toMinutes() + " min allowed, "
                        + "skyforge.jobs.lost-cloud-after)");
            }
        }
        if (lost.isEmpty()) {
            return LostParts.NONE;
        }
        String what = lost.entrySet().stream().map(e -> doneOn.get(e.getKey()).size() + " finished partition(s) on cloud "
                + e.getKey() + ": " + e.getValue()).collect(java.util.stream.Collectors.joining("; "));
        if (spec.cloud() != null) {
            fail(job, status, "CloudLost", what + "; the job is pinned there (spec.cloud), so they cannot be generated elsewhere");
            return LostParts.FAILED;
        }
        PlacementDecision decision;
        try {
            decision = decide(job, runner.prepare(job));
        } catch (SkyforgeException e) {
            LOG.warn("{}: cannot re-place the partitions lost with {}: {}", job.ref(), lost.keySet(), e.getMessage());
            return LostParts.NONE;
        }
        if (decision.winners().isEmpty()) {
            if (decision.outcome() == Outcome.UNSCHEDULABLE) {
                fail(job, status, "CloudLost", what + "; no other cloud may generate them: " + decision.reason());
                return LostParts.FAILED;
            }
            LOG.info("{}: partitions lost with {} wait for a cloud to take them: {}", job.ref(), lost.keySet(), decision.reason());
            return LostParts.NONE;
        }
        String target = decision.winners().get(0);
        int moved = 0;
        for (Map.Entry<String, String> e : lost.entrySet()) {
            int n = 0;
            for (int index : doneOn.get(e.getKey())) {
                n += queue.regenerate(job.metadata().uid(), index, target);
            }
            if (n > 0) {
                moved += n;
                event(status, n + " finished partition(s) to generate again on cloud " + target + ": their parts are on cloud "
                        + e.getKey() + ", and " + e.getValue());
                LOG.info("{}: {} finished partition(s) lost with cloud {} ({}) generate again on {}", job.ref(), n, e.getKey(),
                        e.getValue(), target);
            }
        }
        if (moved == 0) {
            return LostParts.NONE;
        }
        dispatchMovedTasks(job, status, target);
        return LostParts.MOVED;
    }

    /** When the cloud's Ready condition turned False; null when it is Ready or says nothing. */
    private static Instant notReadySince(Resource cloud) {
        for (JsonNode c : cloud.status().path("conditions")) {
            if ("Ready".equals(c.path("type").asString()) && "False".equals(c.path("status").asString())) {
                String t = c.path("lastTransitionTime").asString(null);
                return t == null ? null : Instant.parse(t);
            }
        }
        return null;
    }

    /** Records something that happened to the job in status.history without changing its phase. */
    private void event(ObjectNode status, String message) {
        ArrayNode history = status.has("history") && status.get("history").isArray()
                ? (ArrayNode) status.get("history") : status.putArray("history");
        ObjectNode e = history.addObject();
        e.put("time", clock.instant().toString());
        e.put("phase", status.path("phase").asString(""));
        e.put("message", message);
        while (history.size() > HISTORY) {
            history.remove(0);
        }
    }

    /** Partitions done/total, rows, bytes, attempts, rate and ETA from the task results. */
    private void progress(ObjectNode status, List<PartitionTask> tasks) {
        long rows = 0;
        long bytes = 0;
        int succeeded = 0;
        int running = 0;
        int attempts = 0;
        for (PartitionTask t : tasks) {
            attempts += t.attempts();
            if (t.state() == PartitionTask.State.RUNNING) {
                running++;
            }
            if (t.state() == PartitionTask.State.SUCCEEDED && t.result() != null) {
                succeeded++;
                JsonNode r = Json.MAPPER.readTree(t.result());
                rows += r.path("rows").asLong();
                bytes += r.path("bytes").asLong();
            }
        }
        // Rate and ETA move only when a partition finishes: recomputed on every pass they changed the
        // status five times a second, and each write (store row, watch event, JSON) cost the control
        // plane CPU that the workers of a two-core machine needed (job-bench.sh).
        boolean moved = status.path("rows").asLong(-1) != rows || status.path("partitions").path("succeeded").asInt(-1) != succeeded;
        ObjectNode p = status.putObject("partitions");
        p.put("total", tasks.size());
        p.put("succeeded", succeeded);
        p.put("running", running);
        p.put("pending", tasks.size() - succeeded - running);
        status.put("rows", rows);
        status.put("bytes", bytes);
        status.put("attempts", attempts);
        Optional<Instant> started = Optional.ofNullable(status.path("startTime").asString(null)).map(Instant::parse);
        if (started.isPresent() && rows > 0 && moved) {
            double secs = Math.max(0.001, Duration.between(started.get(), clock.instant()).toMillis() / 1000.0);
            double rate = rows / secs;
            status.put("rowsPerSecond", Math.round(rate));
            if (succeeded > 0 && succeeded < tasks.size()) {
                long eta = Math.round(secs * (tasks.size() - succeeded) / succeeded);
                status.put("etaSeconds", eta);
            } else {
                status.remove("etaSeconds");
            }
        }
    }

    /**
     * Records a decision, unless it only repeats the stored one (same outcome, winners and reason):
     * a job that waits is re-placed every pass, and rewriting an equal decision with a new time
     * would turn every pass into a write and a watch event.
     */
    private static void setPlacement(ObjectNode status, PlacementDecision decision) {
        JsonNode old = status.path("placement");
        ObjectNode fresh = decision.toJson();
        boolean same = old.isObject()
                && old.path("outcome").equals(fresh.path("outcome"))
                && old.path("winners").equals(fresh.path("winners"))
                && old.path("reason").equals(fresh.path("reason"));
        if (!same) {
            status.set("placement", fresh);
        }
    }

    private void fail(Resource job, ObjectNode status, String reason, String message) {
        condition(status, "Failed", true, reason, message, job);
        transition(job, status, "Failed", message);
        release(ref(job), queue.tasks(job.metadata().uid()), "the job failed");
    }

    private void transitionIfChanged(Resource job, ObjectNode status, String phase, String message) {
        if (!phase.equals(job.status().path("phase").asString("")) || !status.equals(job.status())) {
            transition(job, status, phase, message);
        }
    }

    /** Sets the phase and records the transition in status.history (the job's event log). */
    private void transition(Resource job, ObjectNode status, String phase, String message) {
        String previous = job.status().path("phase").asString("");
        status.put("phase", phase);
        if (!phase.equals(previous)) {
            ArrayNode history = status.has("history") && status.get("history").isArray()
                    ? (ArrayNode) status.get("history") : status.putArray("history");
            ObjectNode e = history.addObject();
            e.put("time", clock.instant().toString());
            e.put("phase", phase);
            e.put("message", message == null ? "" : message);
            while (history.size() > HISTORY) {
                history.remove(0);
            }
            LOG.info("{}: {} -> {} ({})", job.ref(), previous.isEmpty() ? "new" : previous, phase, message);
        }
        writeStatus(job, status);
    }

    /**
     * Numbers compare by value: a count put as a long (LongNode) never equals the same count read back
     * from the store (IntNode), and that made every pass of a running job rewrite its status.
     */
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private void writeStatus(Resource job, ObjectNode status) {
        if (!status.equals(BY_VALUE, job.status())) {
            service.replaceStatus(Kinds.DATA_JOB, job.namespace(), job.name(), status, null);
        }
    }

    /** Replaces the condition of that type, keeping its transition time when its status did not change. */
    private void condition(ObjectNode status, String type, boolean value, String reason, String message, Resource job) {
        ArrayNode conditions = status.has("conditions") && status.get("conditions").isArray()
                ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        String wanted = value ? Condition.TRUE : Condition.FALSE;
        for (int i = 0; i < conditions.size(); i++) {
            JsonNode c = conditions.get(i);
            if (type.equals(c.path("type").asString())) {
                if (wanted.equals(c.path("status").asString()) && reason.equals(c.path("reason").asString())
                        && message.equals(c.path("message").asString())) {
                    return;
                }
                conditions.remove(i);
                break;
            }
        }
        long generation = job.metadata().generation() == null ? 1 : job.metadata().generation();
        conditions.add(Json.MAPPER.valueToTree(Condition.of(type, value, reason, message, generation,
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))));
    }

    @Override
    public void close() {
        // Let a pass under way finish: an interrupt inside H2's file I/O closes the whole database.
        loop.shutdown();
        try {
            if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            loop.shutdownNow();
            Thread.currentThread().interrupt();
        }
        Watch w = watch;
        if (w != null) {
            w.close();
        }
    }
}
