package io.skyforge.control.job;

import io.skyforge.core.model.Resource;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution slot of a cloud: claims a task, keeps its lease alive with heartbeats while it
 * generates, and reports the result. Several workers (threads of the server, worker processes)
 * share one queue through {@link TaskLeases}; whether a failed task is retried is the queue's call.
 *
 * <p>{@link #stop} is cooperative: the partition being generated stops at its next chunk of rows
 * (the part is aborted, so no truncated object becomes visible) and its task is handed back to the
 * queue, claimable at once by another worker. Nothing is interrupted — an interrupt inside H2's file
 * I/O closes the control plane's database, and one inside an upload leaves it half-done.
 */
public final class TaskWorker {

    private static final Logger LOG = LoggerFactory.getLogger(TaskWorker.class);
    static final int PREPARED_KEPT = 8;

    private final TaskLeases leases;
    private final PartitionRunner runner;
    private final JobRuntime runtime;
    private final String cloud;
    private final String owner;
    private final ScheduledExecutorService heartbeats;
    /**
     * Jobs this worker prepared (spec read, dataset compiled), by uid and generation, so the next
     * task of the same job starts at once; only the most recent few, since a long-running worker
     * sees thousands of jobs and their tasks arrive close together.
     */
    private final Map<String, PartitionRunner.Prepared> prepared = recent(PREPARED_KEPT);
    private final AtomicBoolean stopping = new AtomicBoolean();

    public TaskWorker(TaskLeases leases, PartitionRunner runner, JobRuntime runtime, String cloud, String owner,
                      ScheduledExecutorService heartbeats) {
        this.leases = leases;
        this.runner = runner;
        this.runtime = runtime;
        this.cloud = cloud;
        this.owner = owner;
        this.heartbeats = heartbeats;
    }

    public String owner() {
        return owner;
    }

    /**
     * Asks this worker to stop: it claims nothing more, and the partition it is generating (if any)
     * is abandoned at its next chunk and handed back. Returns at once; {@link #run} returns soon after.
     */
    public void stop() {
        stopping.set(true);
    }

    public boolean stopping() {
        return stopping.get();
    }

    /** Claims and runs one task; false when there was none to claim, or this worker is stopping. */
    public boolean runOnce() {
        if (stopping.get()) {
            return false;
        }
        Optional<TaskLeases.Claim> claimed = leases.claim(cloud, owner);
        claimed.ifPresent(this::run);
        return claimed.isPresent();
    }

    /**
     * Runs a claimed task to its report; true when the part was written and the success recorded.
     * A worker told to {@link #stop} hands the task back instead (and answers false).
     */
    public boolean run(TaskLeases.Claim claim) {
        PartitionTask task = claim.task();
        PartitionTask.Lease held = task.lease();
        Duration lease = claim.lease();
        LOG.info("task {} ({} part {} of {}) of job {}/{} claimed by {}, attempt {}", task.index(), task.table(), task.part(),
                task.parts(), task.namespace(), task.jobName(), owner, task.attempts());
        // The lease as this worker knows it: reports are worth retrying only while it lasts.
        AtomicLong deadline = new AtomicLong(System.nanoTime() + lease.toNanos());
        if (stopping.get()) {
            // Claimed while the stop arrived (a long poll answered late): not started, so give it straight back.
            handBack(task, held, deadline);
            return false;
        }
        long every = Math.max(50, lease.toMillis() / 3);
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> {
            long sent = System.nanoTime();
            try {
                leases.heartbeat(held);
                deadline.set(sent + lease.toNanos());
            } catch (SkyforgeException e) {
                LOG.warn("heartbeat of task {} of job {}/{} failed: {}", held.index(), task.namespace(), task.jobName(),
                        e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("heartbeat of task {} of job {}/{} failed: {}", held.index(), task.namespace(), task.jobName(), e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        String result;
        try {
            Resource job = runtime.dataJob(task.namespace(), task.jobName()).orElseThrow(() ->
                    new SkyforgeException(ErrorCode.NOT_FOUND, "DataJob " + task.namespace() + "/" + task.jobName()
                            + " no longer exists"));
            if (!task.jobUid().equals(job.metadata().uid())) {
                throw new SkyforgeException(ErrorCode.NOT_FOUND, "DataJob " + task.namespace() + "/" + task.jobName()
                        + " was deleted and created again; this task belongs to the old one");
            }
            PartitionRunner.Prepared p = prepared.computeIfAbsent(job.metadata().uid() + "@" + job.metadata().generation(),
                    k -> runner.prepare(job));
            result = runner.run(p, task, rows -> {
                if (stopping.get()) {
                    throw new SkyforgeException(ErrorCode.UNAVAILABLE, "worker " + owner + " is stopping");
                }
            });
        } catch (RuntimeException e) {
            beat.cancel(false);
            if (stopping.get()) {
                handBack(task, held, deadline);
                return false;
            }
            String message = e instanceof SkyforgeException se ? se.code().code() + ": " + se.getMessage() : e.toString();
            LOG.warn("task {} ({} part {} of {}) of job {}/{} failed in attempt {}: {}", task.index(), task.table(),
                    task.part(), task.parts(), task.namespace(), task.jobName(), task.attempts(), message);
            report(() -> leases.fail(held, message), held, deadline);
            return false;
        }
        beat.cancel(false);
        boolean reported = report(() -> leases.succeed(held, result), held, deadline);
        if (reported) {
            LOG.info("task {} ({} part {} of {}) of job {}/{} written by {} in attempt {} ({} ms)", task.index(), task.table(),
                    task.part(), task.parts(), task.namespace(), task.jobName(), owner, task.attempts(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        return reported;
    }

    private void handBack(PartitionTask task, PartitionTask.Lease held, AtomicLong deadline) {
        if (report(() -> leases.release(held, "worker " + owner + " is stopping"), held, deadline)) {
            LOG.info("task {} ({} part {} of {}) of job {}/{} handed back by {}: it is stopping, the part was not written",
                    task.index(), task.table(), task.part(), task.parts(), task.namespace(), task.jobName(), owner);
        }
    }

    /**
     * Sends a report, again after a transient failure (the control plane restarting, a database
     * hiccup) for as long as the lease could still be valid; a refused lease is final.
     */
    private boolean report(Runnable send, PartitionTask.Lease held, AtomicLong deadline) {
        long pause = 100;
        while (true) {
            try {
                send.run();
                return true;
            } catch (SkyforgeException e) {
                if (!e.retryable() || System.nanoTime() + pause * 1_000_000 > deadline.get()) {
                    LOG.warn("could not report task {} of job {}: {}", held.index(), held.jobUid(), e.getMessage());
                    return false;
                }
                LOG.info("report of task {} of job {} failed ({}), trying again", held.index(), held.jobUid(), e.getMessage());
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = Math.min(2000, pause * 2);
        }
    }

    /** A map that keeps its {@code capacity} most recently used entries and forgets older ones. */
    static <V> Map<String, V> recent(int capacity) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        });
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
