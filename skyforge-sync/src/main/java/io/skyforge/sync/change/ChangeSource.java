package io.skyforge.sync.change;

import java.util.List;

/**
 * A feed of changes the replicator polls, oldest first, resuming after a cursor: the data API's write
 * journal implements it. The replicator keeps the cursor of the last batch it fully accepted
 * ({@link io.skyforge.sync.replication.LogicalBucketReplicator#changeCursor}); a control plane that
 * restarts passes it back so nothing between is skipped.
 */
public interface ChangeSource {

    /**
     * Up to {@code max} changes after {@code cursor} (null: from the oldest retained change).
     * May return an empty batch; must not block for long.
     */
    Batch poll(String cursor, int max);

    /** @param next the cursor to pass to the next poll (the same cursor when {@code events} is empty) */
    record Batch(List<ChangeEvent> events, String next) {
        public Batch {
            events = List.copyOf(events);
        }
    }
}
