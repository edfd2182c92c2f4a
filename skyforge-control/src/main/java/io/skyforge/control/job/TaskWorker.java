package io.skyforge.control.job;

import io.skyforge.core.model.DataJobSpec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution slot of a cloud: claims a task, keeps its lease alive with heartbeats while it
 * generates, and reports the result. A failure goes back to the queue for another attempt until
 * the job's {@code backoffLimit} is used up. Several workers (threads or processes) share the queue.
 */
public final class TaskWorker {

    private static final Logger LOG = LoggerFactory.getLogger(TaskWorker.class);
    /** Retries of a failed partition when the job does not say ({@code spec.backoffLimit}). */
    static final int DEFAULT_BACKOFF_LIMIT = 3;

    private final TaskQueue queue;
    private final PartitionRunner runner;
    private final JobRuntime runtime;
    private final String cloud;
    private final String owner;
    private final Duration lease;
    private final ScheduledExecutorService heartbeats;
    private final Map<String, PartitionRunner.Prepared> prepared = new ConcurrentHashMap<>();

    public TaskWorker(TaskQueue queue, PartitionRunner runner, JobRuntime runtime, String cloud, String owner,
                      Duration lease, ScheduledExecutorService heartbeats) {
        this.queue = queue;
        this.runner = runner;
        this.runtime = runtime;
        this.cloud = cloud;
        this.owner = owner;
        this.lease = lease;
        this.heartbeats = heartbeats;
    }

    /** Claims and runs one task; false when there was none to claim. */
    public boolean runOnce() {
        Optional<PartitionTask> claimed = queue.claim(cloud, owner, lease);
        if (claimed.isEmpty()) {
            return false;
        }
        PartitionTask task = claimed.get();
        PartitionTask.Lease held = task.lease();
        long every = Math.max(100, lease.toMillis() / 3);
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> {
            try {
                queue.heartbeat(held, lease);
            } catch (SkyforgeException e) {
                LOG.warn("lost the lease of task {} of job {}: {}", held.index(), held.jobUid(), e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        int maxAttempts = 1 + DEFAULT_BACKOFF_LIMIT;
        try {
            Resource job = runtime.dataJob(task.namespace(), task.jobName()).orElseThrow(() ->
                    new SkyforgeException(io.skyforge.spi.error.ErrorCode.NOT_FOUND, "DataJob " + task.namespace() + "/"
                            + task.jobName() + " no longer exists"));
            DataJobSpec spec = Kinds.spec(job, DataJobSpec.class);
            maxAttempts = 1 + (spec.backoffLimit() == null ? DEFAULT_BACKOFF_LIMIT : spec.backoffLimit());
            PartitionRunner.Prepared p = prepared.computeIfAbsent(job.metadata().uid() + "@" + job.metadata().generation(),
                    k -> runner.prepare(job));
            String result = runner.run(p, task, rows -> { });
            beat.cancel(false);
            queue.succeed(held, result);
        } catch (RuntimeException e) {
            beat.cancel(false);
            String message = e instanceof SkyforgeException se ? se.code().code() + ": " + se.getMessage() : e.toString();
            LOG.warn("task {} ({} part {} of {}) of job {}/{} failed in attempt {}: {}", task.index(), task.table(),
                    task.part(), task.parts(), task.namespace(), task.jobName(), task.attempts(), message);
            try {
                queue.fail(held, message, maxAttempts, cloud);
            } catch (SkyforgeException lost) {
                LOG.warn("could not report the failure: {}", lost.getMessage());
            }
        }
        return true;
    }

    /** A scheduler for heartbeats, shared by the workers of one process. */
    public static ScheduledExecutorService heartbeatScheduler() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skyforge-task-heartbeats");
            t.setDaemon(true);
            return t;
        });
    }
}
