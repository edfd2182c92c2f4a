package io.skyforge.control.job;

import io.skyforge.core.model.DataJobSpec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task queue as workers see it, inside the control plane: in-process workers use it directly,
 * and the worker REST API is a thin layer over it. It owns the retry policy — how many attempts a
 * partition gets ({@code spec.backoffLimit}) and how long it waits between them — so a worker
 * process only says that an attempt failed.
 */
public final class QueueLeases implements TaskLeases {

    private static final Logger LOG = LoggerFactory.getLogger(QueueLeases.class);

    /** How soon a worker waiting for a task that is not enqueued yet asks again. */
    private static final Duration NOT_YET = Duration.ofSeconds(1);

    /** The most a fresh claim holds its task before the worker's first heartbeat (see {@link #firstLease()}). */
    static final Duration FIRST_LEASE = Duration.ofSeconds(10);

    private final TaskQueue queue;
    private final JobRuntime runtime;
    private final Duration lease;
    private final RetryBackoff backoff;
    private final Clock clock;
    private volatile Runnable onFinished = () -> { };

    /**
     * @param lease how long a claim lasts without a heartbeat: how soon a vanished worker's task is
     *              run again, against how long a worker may stall (GC, network) without losing it
     */
    public QueueLeases(TaskQueue queue, JobRuntime runtime, Duration lease, RetryBackoff backoff, Clock clock) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (lease.toMillis() < 100) {
            throw new IllegalArgumentException("a lease must last at least 100 ms, got " + lease);
        }
    }

    /** Called after a task succeeded or failed for good, so the DataJob controller can commit or fail its job at once. */
    public void onTaskFinished(Runnable listener) {
        this.onFinished = Objects.requireNonNull(listener, "listener");
    }

    public Duration lease() {
        return lease;
    }

    /**
     * How long a fresh claim lasts before its first heartbeat: at most {@link #FIRST_LEASE}. A long
     * poll can hand a task to a worker that was stopped while it waited (its connection is gone, the
     * answer is lost, job-bench.sh saw runs of 35 s instead of 11 s); the task then comes back after
     * this, not after the whole lease. A live worker's first heartbeat, a third of the way in,
     * extends it to the whole lease.
     */
    public Duration firstLease() {
        return lease.compareTo(FIRST_LEASE) > 0 ? FIRST_LEASE : lease;
    }

    public RetryBackoff backoff() {
        return backoff;
    }

    @Override
    public Optional<Claim> claim(String cloud, String owner) {
        return queue.claim(cloud, owner, firstLease()).map(t -> new Claim(t, firstLease()));
    }

    @Override
    public ClaimAnswer claim(String cloud, String owner, String namespace, String jobName, int index) {
        Resource job = runtime.dataJob(namespace, jobName).orElseThrow(() -> new SkyforgeException(ErrorCode.NOT_FOUND,
                "DataJob " + namespace + "/" + jobName + " not found"));
        String uid = job.metadata().uid();
        Optional<PartitionTask> task = queue.get(uid, index);
        if (task.isEmpty()) {
            int tasks = queue.tasks(uid).size();
            if (tasks > 0) {
                throw new SkyforgeException(ErrorCode.NOT_FOUND, "DataJob " + namespace + "/" + jobName + " has tasks 0.."
                        + (tasks - 1) + ", not " + index);
            }
            // Not planned yet (or a container job, which has no partition tasks): ask again shortly.
            return new ClaimAnswer(Outcome.WAIT, null, PartitionTask.State.PENDING, cloud, NOT_YET,
                    "DataJob " + namespace + "/" + jobName + " has no tasks yet (phase "
                            + job.status().path("phase").asString("Pending") + ")");
        }
        Optional<PartitionTask> claimed = queue.claim(uid, index, cloud, owner, firstLease());
        if (claimed.isPresent()) {
            return ClaimAnswer.claimed(new Claim(claimed.get(), firstLease()));
        }
        PartitionTask t = queue.get(uid, index).orElseThrow(() -> new SkyforgeException(ErrorCode.NOT_FOUND,
                "task " + index + " of DataJob " + namespace + "/" + jobName + " is gone (the job was deleted)"));
        Instant now = clock.instant();
        return switch (t.state()) {
            case SUCCEEDED -> new ClaimAnswer(Outcome.DONE, null, t.state(), t.cloud(), null,
                    "partition " + t.part() + " of " + t.table() + " is written already");
            case FAILED -> new ClaimAnswer(Outcome.FAILED, null, t.state(), t.cloud(), null,
                    "partition " + t.part() + " of " + t.table() + " failed after " + t.attempts() + " attempts: " + t.lastError());
            case PENDING, RUNNING -> {
                if (!t.cloud().equals(cloud)) {
                    yield new ClaimAnswer(Outcome.ELSEWHERE, null, t.state(), t.cloud(), null,
                            "the task now runs on cloud " + t.cloud() + ", not " + cloud);
                }
                Duration wait = t.leaseExpiresAt() == null ? Duration.ZERO : Duration.between(now, t.leaseExpiresAt());
                yield new ClaimAnswer(Outcome.WAIT, null, t.state(), t.cloud(), wait.isNegative() ? Duration.ZERO : wait,
                        t.state() == PartitionTask.State.RUNNING
                                ? "held by " + t.leaseOwner() + " (attempt " + t.attempts() + ") until " + t.leaseExpiresAt()
                                : "waiting out its retry backoff until " + t.leaseExpiresAt());
            }
        };
    }

    @Override
    public void heartbeat(PartitionTask.Lease held) {
        queue.heartbeat(held, lease);
    }

    @Override
    public void succeed(PartitionTask.Lease held, String resultJson) {
        queue.succeed(held, resultJson);
        onFinished.run();
    }

    @Override
    public void fail(PartitionTask.Lease held, String error) {
        PartitionTask t = queue.get(held.jobUid(), held.index()).orElseThrow(() -> new SkyforgeException(ErrorCode.CONFLICT,
                "failure report refused: task " + held.index() + " of job " + held.jobUid() + " does not exist"));
        int maxAttempts = maxAttempts(t);
        Instant retryAt = clock.instant().plus(backoff.delay(held.attempt()));
        queue.fail(held, error, maxAttempts, t.cloud(), retryAt);
        if (held.attempt() >= maxAttempts) {
            onFinished.run();
        }
    }

    @Override
    public void release(PartitionTask.Lease held, String reason) {
        queue.release(held);
        LOG.info("task {} of job {} handed back by {} (attempt {} not counted): {}", held.index(), held.jobUid(), held.owner(),
                held.attempt(), reason);
    }

    /** Attempts the task's job allows; the default when the job is gone (its tasks are removed soon anyway). */
    public int maxAttempts(PartitionTask t) {
        return runtime.dataJob(t.namespace(), t.jobName())
                .filter(j -> t.jobUid().equals(j.metadata().uid()))
                .map(j -> RetryBackoff.maxAttempts(Kinds.spec(j, DataJobSpec.class).backoffLimit()))
                .orElse(RetryBackoff.maxAttempts(null));
    }
}
