package io.skyforge.sync.conflict;

import java.util.List;

/**
 * Where conflict records go. The control plane persists them (and serves {@code skyforge conflicts});
 * {@link InMemoryConflictLog} serves a library user and tests. Implementations must be thread-safe.
 */
public interface ConflictLog {

    /**
     * Stores a record unless one for the same (bucket, key, loser version) exists: the same conflict is
     * seen again when a replication pass is retried.
     *
     * @return true when the record is new
     */
    boolean record(ConflictRecord record);

    /** Every record of a logical bucket, oldest first. */
    List<ConflictRecord> list(String bucket);
}
