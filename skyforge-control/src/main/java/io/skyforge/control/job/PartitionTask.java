package io.skyforge.control.job;

import java.time.Instant;
import java.util.Objects;

/**
 * One partition of one table of a DataJob: the unit a worker claims, runs and reports. Its output
 * name is deterministic ({@code <prefix>/<table>/part-<k>-of-<N>.<ext>}), so a re-run after a lost
 * lease writes the same bytes under the same name and nothing is duplicated.
 */
public record PartitionTask(
        String jobUid,
        int index,
        String namespace,
        String jobName,
        String table,
        int part,
        int parts,
        String cloud,
        State state,
        int attempts,
        String leaseOwner,
        Instant leaseExpiresAt,
        String result,
        String lastError) {

    public enum State { PENDING, RUNNING, SUCCEEDED, FAILED }

    public PartitionTask {
        Objects.requireNonNull(jobUid, "jobUid");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(state, "state");
        if (part < 0 || parts < 1 || part >= parts) {
            throw new IllegalArgumentException("part " + part + " of " + parts);
        }
    }

    /** A task to enqueue: pending, never attempted. */
    public static PartitionTask planned(String jobUid, int index, String namespace, String jobName, String table,
                                        int part, int parts, String cloud) {
        return new PartitionTask(jobUid, index, namespace, jobName, table, part, parts, cloud, State.PENDING, 0,
                null, null, null, null);
    }

    /** The lease a worker holds on this task after a claim. */
    public Lease lease() {
        return new Lease(jobUid, index, leaseOwner, attempts);
    }

    /**
     * Proof of a claim: owner and attempt number. Reports carrying an older attempt or another
     * owner are refused, so a worker that lost its lease cannot overwrite the re-run's result.
     */
    public record Lease(String jobUid, int index, String owner, int attempt) {
    }
}
