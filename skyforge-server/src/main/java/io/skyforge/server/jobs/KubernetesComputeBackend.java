package io.skyforge.server.jobs;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.skyforge.control.job.ComputeBackend;
import io.skyforge.control.job.ComputeBackendFactory;
import io.skyforge.control.job.ComputeContext;
import io.skyforge.control.job.JobRuntime;
import io.skyforge.control.job.PartitionTask;
import io.skyforge.control.job.TaskQueue;
import io.skyforge.core.model.ComputeSpec;
import io.skyforge.core.model.Resource;
import io.skyforge.core.secret.EnvReferences;
import io.skyforge.provider.kubernetes.IndexedJobManifest;
import io.skyforge.provider.kubernetes.IndexedJobRequest;
import io.skyforge.provider.kubernetes.JobProgress;
import io.skyforge.provider.kubernetes.KubernetesJobs;
import io.skyforge.provider.kubernetes.KubernetesSettings;
import io.skyforge.provider.kubernetes.TaskIndexes;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code compute.type: kubernetes}: the adapter between the controller's {@link ComputeBackend} SPI
 * and {@code providers/kubernetes}. A dispatch becomes one Indexed Job for the dispatched tasks that
 * no unfinished Job of the DataJob on this cloud covers yet; the Jobs' status is polled into a
 * {@link ComputeBackend.Report}; a release deletes the unfinished Jobs.
 *
 * <p>Every call to the API server runs on this backend's own thread, never on the controller's:
 * an API server that does not answer costs the controller nothing, and shows on the job as a
 * {@code Dispatched} condition with the error's code until it answers again.
 */
public final class KubernetesComputeBackend implements ComputeBackend {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesComputeBackend.class);
    /** How often the Jobs of a running DataJob are read: progress shows this late at most. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** After a Job of an earlier DataJob of the same name was deleted, how soon to create ours. */
    private static final Duration REPLACING_RETRY = Duration.ofSeconds(1);
    private static final Duration RETRY_MIN = Duration.ofSeconds(2);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);
    /** A release's deletes are retried this long when the API server does not answer, then left to the Jobs' TTL. */
    private static final int DELETE_ATTEMPTS = 8;

    private final String cloud;
    private final KubernetesSettings settings;
    private final KubernetesJobs jobs;
    private final JobRuntime runtime;
    private final TaskQueue queue;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;

    /** What this backend knows of one DataJob on its cloud. */
    private static final class Tracked {
        final JobRef job;
        /** The latest dispatch not yet turned into Jobs; null when every dispatched task is covered. */
        volatile Dispatch pending;
        /** The latest dispatch, to start its tasks again when their Job vanishes (deleted by hand). */
        volatile Dispatch last;
        /**
         * The highest round this backend has seen or made: a Job deleted by hand is gone from the list,
         * and re-using its name could meet it still terminating (and keep it, as ours).
         */
        volatile int round = -1;
        volatile Duration retry = RETRY_MIN;
        /** Completed tasks, kept when a finished Job expires by its TTL. */
        final Set<Integer> completed = ConcurrentHashMap.newKeySet();
        volatile String failure;
        volatile SkyforgeException problem;
        volatile ScheduledFuture<?> poll;

        Tracked(JobRef job) {
            this.job = job;
        }
    }

    KubernetesComputeBackend(String cloud, KubernetesSettings settings, KubernetesJobs jobs, JobRuntime runtime, TaskQueue queue) {
        this.cloud = cloud;
        this.settings = settings;
        this.jobs = jobs;
        this.runtime = runtime;
        this.queue = queue;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skyforge-kubernetes-" + cloud);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void dispatched(Dispatch dispatch) {
        Tracked t = tracked.computeIfAbsent(dispatch.job().uid(), uid -> new Tracked(dispatch.job()));
        t.pending = dispatch;
        t.last = dispatch;
        t.retry = RETRY_MIN;
        thread.execute(() -> ensure(t));
        synchronized (t) {
            if (t.poll == null) {
                t.poll = thread.scheduleWithFixedDelay(() -> poll(t), POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public Report report(JobRef job) {
        Tracked t = tracked.get(job.uid());
        if (t == null) {
            return Report.NONE;
        }
        return new Report(new ArrayList<>(new TreeSet<>(t.completed)), t.failure, t.problem);
    }

    @Override
    public void released(JobRef job, String reason) {
        Tracked t = tracked.remove(job.uid());
        if (t != null && t.poll != null) {
            t.poll.cancel(false);
        }
        LOG.info("cloud {}: job {} released ({}); stopping its unfinished Kubernetes Jobs", cloud, job, reason);
        thread.execute(() -> deleteUnfinished(job, 1));
    }

    private void ensure(Tracked t) {
        Dispatch d = t.pending;
        if (d == null || tracked.get(t.job.uid()) != t) {
            return;
        }
        try {
            Optional<Resource> job = runtime.dataJob(t.job.namespace(), t.job.name());
            if (job.isEmpty() || !t.job.uid().equals(job.get().metadata().uid())) {
                // Deleted, or deleted and re-created under the same name: that job's own dispatch comes.
                LOG.info("cloud {}: job {} (uid {}) is gone; nothing to start", cloud, t.job, t.job.uid());
                t.pending = null;
                return;
            }
            List<JobProgress> existing = mine(t.job.uid());
            Set<Integer> covered = doneInQueue(t.job.uid());
            int round = t.round;
            for (JobProgress p : existing) {
                round = Math.max(round, p.round());
                covered.addAll(p.completedTasks());
                if (!p.isFinished()) {
                    covered.addAll(p.tasks());
                }
            }
            List<Integer> need = d.indexes().stream().filter(i -> !covered.contains(i)).toList();
            if (need.isEmpty()) {
                t.pending = null;
                t.problem = null;
                return;
            }
            Job manifest = IndexedJobManifest.build(new IndexedJobRequest(job.get(), cloud, new TaskIndexes(need), d.tasks(),
                    round + 1), settings);
            KubernetesJobs.Ensured ensured = jobs.ensure(manifest);
            t.problem = null;
            if (ensured.outcome() == KubernetesJobs.Outcome.REPLACING) {
                // The name is held by an earlier DataJob's Job, now being deleted: the same round takes it next time.
                thread.schedule(() -> ensure(t), REPLACING_RETRY.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            t.round = round + 1;
            if (t.pending == d) {
                t.pending = null;
            }
        } catch (SkyforgeException e) {
            if (e.code() == ErrorCode.VALIDATION) {
                // The Job cannot be made from this DataJob on this cloud (no worker image, bad resources): waiting will not help.
                t.failure = e.getMessage();
                t.pending = null;
                return;
            }
            t.problem = e;
            Duration wait = t.retry;
            t.retry = wait.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : wait.multipliedBy(2);
            LOG.warn("cloud {}: starting job {} on Kubernetes failed ({}); trying again in {} s", cloud, t.job,
                    e.getMessage(), wait.toSeconds());
            thread.schedule(() -> ensure(t), wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void poll(Tracked t) {
        try {
            List<JobProgress> mine = mine(t.job.uid());
            Set<Integer> running = new TreeSet<>();
            for (JobProgress p : mine) {
                t.completed.addAll(p.completedTasks());
                if (!p.isFinished()) {
                    running.addAll(p.tasks());
                }
            }
            Set<Integer> inFailedJobs = new TreeSet<>();
            String failure = null;
            for (JobProgress p : mine) {
                if (p.isFailed()) {
                    inFailedJobs.addAll(p.tasks());
                }
                if (p.isFailed() && p.tasks().stream().anyMatch(i -> !t.completed.contains(i) && !running.contains(i))) {
                    failure = "Kubernetes Job " + jobs.namespace() + "/" + p.name() + " on cloud " + cloud + " failed: "
                            + p.failureReason() + (p.failureMessage() == null || p.failureMessage().isEmpty() ? ""
                            : " (" + p.failureMessage() + ")");
                }
            }
            if (failure != null || t.failure == null) {
                t.failure = failure;
            }
            if (t.pending == null) {
                t.problem = null;
                Dispatch last = t.last;
                Set<Integer> done = doneInQueue(t.job.uid());
                if (last != null && t.failure == null && last.indexes().stream().anyMatch(i -> !t.completed.contains(i)
                        && !done.contains(i) && !running.contains(i) && !inFailedJobs.contains(i))) {
                    // No Job runs some dispatched tasks any more (one was deleted by hand): a new round does.
                    LOG.info("cloud {}: tasks of job {} have no Kubernetes Job any more; starting one", cloud, t.job);
                    t.pending = last;
                    ensure(t);
                }
            }
        } catch (SkyforgeException e) {
            t.problem = e;
        } catch (RuntimeException e) {
            t.problem = new SkyforgeException(ErrorCode.INTERNAL, "cloud " + cloud + ": reading the Kubernetes Jobs of "
                    + t.job + " failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Deletes the Jobs that Kubernetes still runs, except those whose every task the queue already
     * records as done: their pods finished and Kubernetes is only behind in saying so, and deleting
     * them would throw away the pods' logs before the Job's TTL.
     */
    private void deleteUnfinished(JobRef job, int attempt) {
        try {
            Set<Integer> done = doneInQueue(job.uid());
            for (JobProgress p : mine(job.uid())) {
                if (!p.isFinished() && !done.containsAll(p.tasks())) {
                    jobs.delete(p.name());
                    LOG.info("cloud {}: deleted Kubernetes Job {}/{} of job {}", cloud, jobs.namespace(), p.name(), job);
                }
            }
        } catch (SkyforgeException e) {
            if (attempt >= DELETE_ATTEMPTS) {
                LOG.warn("cloud {}: giving up deleting the Kubernetes Jobs of job {} (their TTL will): {}", cloud, job,
                        e.getMessage());
                return;
            }
            long wait = Math.min(RETRY_MAX.toMillis(), RETRY_MIN.toMillis() << (attempt - 1));
            LOG.warn("cloud {}: deleting the Kubernetes Jobs of job {} failed ({}); trying again in {} s", cloud, job,
                    e.getMessage(), wait / 1000);
            thread.schedule(() -> deleteUnfinished(job, attempt + 1), wait, TimeUnit.MILLISECONDS);
        }
    }

    /** Tasks the queue records as done (a worker's verified report, or a completion this backend reported). */
    private Set<Integer> doneInQueue(String uid) {
        Set<Integer> done = new TreeSet<>();
        queue.tasks(uid).stream().filter(t -> t.state() == PartitionTask.State.SUCCEEDED).forEach(t -> done.add(t.index()));
        return done;
    }

    /** This DataJob's Jobs on this cloud (the namespace may be shared by several clouds). */
    private List<JobProgress> mine(String uid) {
        return jobs.list(uid).stream().filter(p -> cloud.equals(p.cloud())).toList();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        jobs.close();
    }

    /**
     * {@code compute.type: kubernetes}. {@code ${VAR}} references in the compute fields are resolved
     * like every other cloud setting (environment, then {@code <data-dir>/secrets/VAR}); the control
     * plane's {@code skyforge.server.url} stands in for an unset {@code compute.serverUrl}.
     */
    public static final class Factory implements ComputeBackendFactory {

        static final String SERVER_URL = "skyforge.server.url";
        static final String SECRETS_DIR = "skyforge.secrets-dir";

        @Override
        public String type() {
            return "kubernetes";
        }

        @Override
        public ComputeBackend create(String cloud, ComputeSpec compute, ComputeContext context) {
            EnvReferences env = new EnvReferences(System::getenv, context.setting(SECRETS_DIR).map(Path::of).orElse(null));
            String where = "Cloud " + cloud + " spec.compute.";
            List<String> pullSecrets = compute.imagePullSecrets() == null ? null : compute.imagePullSecrets().stream()
                    .map(s -> env.resolve(s, where + "imagePullSecrets")).toList();
            ComputeSpec resolved = new ComputeSpec(compute.type(), compute.slots(),
                    env.resolve(compute.namespace(), where + "namespace"),
                    env.resolve(compute.image(), where + "image"),
                    env.resolve(compute.context(), where + "context"),
                    env.resolve(compute.masterUrl(), where + "masterUrl"),
                    env.resolve(compute.serverUrl(), where + "serverUrl"),
                    env.resolve(compute.serviceAccount(), where + "serviceAccount"),
                    pullSecrets,
                    env.resolve(compute.tokenSecret(), where + "tokenSecret"),
                    env.resolve(compute.tokenSecretKey(), where + "tokenSecretKey"),
                    compute.ttlSecondsAfterFinished());
            KubernetesSettings settings = KubernetesSettings.of(cloud, resolved, context.setting(SERVER_URL).orElse(null));
            return new KubernetesComputeBackend(cloud, settings, KubernetesJobs.connect(cloud, settings), context.runtime(),
                    context.queue());
        }
    }
}
