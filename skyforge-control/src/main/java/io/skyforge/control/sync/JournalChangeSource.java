package io.skyforge.control.sync;

import io.skyforge.control.journal.JournalEntry;
import io.skyforge.control.journal.WriteJournal;
import io.skyforge.sync.change.ChangeEvent;
import io.skyforge.sync.change.ChangeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One logical bucket's entries of the data API's write journal as the replicator's change feed. The
 * cursor is the journal position of the last entry handed out, so a control plane that persisted it
 * resumes exactly there; writes of another control-plane replica sharing the database arrive this way.
 */
public final class JournalChangeSource implements ChangeSource {

    private final WriteJournal journal;
    private final String namespace;
    private final String bucket;

    public JournalChangeSource(WriteJournal journal, String namespace, String bucket) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    @Override
    public Batch poll(String cursor, int max) {
        long after = cursor == null ? 0 : Long.parseLong(cursor);
        List<JournalEntry> entries = journal.readAfter(namespace, bucket, after, Math.min(max, WriteJournal.MAX_READ));
        List<ChangeEvent> events = new ArrayList<>(entries.size());
        long last = after;
        for (JournalEntry e : entries) {
            events.add(new ChangeEvent(e.key(), e.originCloud(), e.etag(),
                    e.operation() == JournalEntry.Operation.PUT ? e.size() : -1, e.sha256(), e.recordedAt()));
            last = e.position();
        }
        return new Batch(events, Long.toString(last));
    }
}
