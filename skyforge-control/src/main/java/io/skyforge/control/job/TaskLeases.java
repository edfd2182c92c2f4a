package io.skyforge.control.job;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a worker needs from the control plane's task queue: claim a partition with a lease, keep the
 * lease alive, report the outcome. In the server it is the queue itself ({@link QueueLeases}); a
 * worker process ({@code skyforge worker}) reaches the same operations over REST. Every report
 * carries the lease of its attempt and is refused ({@code SF-CONFLICT}) when that lease expired or
 * belongs to another attempt, owner or job.
 */
public interface TaskLeases {

    /** Claims any claimable task of a cloud; empty when there is none. */
    Optional<Claim> claim(String cloud, String owner);

    /**
     * Claims one given partition of a job (what a Kubernetes Indexed Job pod asks for), or says why
     * it cannot: finished, failed for good, moved to another cloud, or held / backing off for now.
     * Fails with {@code SF-NOT-FOUND} when the job or the task does not exist.
     */
    ClaimAnswer claim(String cloud, String owner, String namespace, String jobName, int index);

    /** Extends the lease by its duration. */
    void heartbeat(PartitionTask.Lease lease);

    /** Records the part written ({@link PartitionRunner#run} result JSON). */
    void succeed(PartitionTask.Lease lease, String resultJson);

    /** Records a failed attempt; the control plane decides whether and when it is retried. */
    void fail(PartitionTask.Lease lease, String error);

    /**
     * Hands a claimed task back unfinished because this worker is stopping: the task is claimable
     * again at once (no wait for the lease to expire) and the attempt does not count against the
     * job's {@code backoffLimit}. Refused ({@code SF-CONFLICT}) like a report when the lease is no
     * longer held.
     */
    void release(PartitionTask.Lease lease, String reason);

    /** A claimed task and how long its lease lasts without a heartbeat. */
    record Claim(PartitionTask task, Duration lease) {
        public Claim {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(lease, "lease");
        }
    }

    /**
     * The answer to a claim of one given task.
     *
     * @param claim      the claim when {@code outcome} is {@link Outcome#CLAIMED}, else null
     * @param state      the task's state when it was not claimed
     * @param cloud      the cloud the task is assigned to
     * @param retryAfter for {@link Outcome#WAIT}: when asking again may succeed
     * @param reason     why it was not claimed, for the worker's log
     */
    record ClaimAnswer(Outcome outcome, Claim claim, PartitionTask.State state, String cloud, Duration retryAfter,
                       String reason) {

        public ClaimAnswer {
            Objects.requireNonNull(outcome, "outcome");
            if ((outcome == Outcome.CLAIMED) != (claim != null)) {
                throw new IllegalArgumentException("a claim goes with outcome CLAIMED and only with it");
            }
            retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
            reason = reason == null ? "" : reason;
        }

        public static ClaimAnswer claimed(Claim claim) {
            return new ClaimAnswer(Outcome.CLAIMED, claim, PartitionTask.State.RUNNING, claim.task().cloud(), Duration.ZERO,
                    "claimed");
        }
    }

    /** What became of a claim of one given task. */
    enum Outcome {
        /** The caller holds the lease now. */
        CLAIMED,
        /** The partition is written already; nothing to do. */
        DONE,
        /** The partition used up its attempts; the job fails. */
        FAILED,
        /** The partition was moved to another cloud (its own became unhealthy); a worker there runs it. */
        ELSEWHERE,
        /** Another worker holds a fresh lease, or the task waits out its retry backoff: ask again later. */
        WAIT
    }
}
