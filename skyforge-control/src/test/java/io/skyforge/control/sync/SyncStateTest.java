package io.skyforge.control.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.control.journal.JournalEntry;
import io.skyforge.control.journal.WriteJournal;
import io.skyforge.control.store.JdbcResourceStore;
import io.skyforge.sync.change.ChangeSource;
import io.skyforge.sync.clock.Hlc;
import io.skyforge.sync.conflict.ConflictRecord;
import io.skyforge.sync.version.Version;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync engine's persisted state in the resource store's database: conflicts, cursors, the journal as change feed. */
class SyncStateTest {

    @TempDir
    Path dir;
    JdbcResourceStore store;

    @BeforeEach
    void open() {
        store = JdbcResourceStore.openDataDir(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Version version(long millis, String origin, boolean deleted, Map<String, Hlc> history) {
        return new Version(new Hlc(millis, 3), origin, deleted ? null : "ab".repeat(32), deleted, new java.util.TreeMap<>(history));
    }

    @Test
    void shouldStoreEachLoserOnceAndReadRecordsBackWithTheirVersionVectors() {
        JdbcConflictLog log = new JdbcConflictLog(store.dataSource());
        Version winner = version(2_000, "CLOUD_B", false, Map.of("CLOUD_A", new Hlc(900, 0)));
        Version loser = version(1_000, "CLOUD_A", true, Map.of("CLOUD_C", new Hlc(500, 1)));
        ConflictRecord r = new ConflictRecord("team-a/lb", "dir/k.csv", winner, loser, "CLOUD_A", null,
                Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(log.record(r)).isTrue();
        assertThat(log.record(r)).as("a retried pass finds the same loser").isFalse();
        ConflictRecord kept = new ConflictRecord("team-a/lb", "k2", winner, version(1_500, "CLOUD_A", false, Map.of()),
                "CLOUD_A", "k2.conflict-CLOUD_A-0000000005dc.000003", Instant.parse("2026-01-02T03:04:06Z"));
        assertThat(log.record(kept)).isTrue();
        assertThat(log.list("team-a/lb")).containsExactly(r, kept);
        assertThat(log.list("team-a/other")).isEmpty();
        var first = log.page("team-a/lb", 0, 1);
        assertThat(first).hasSize(1);
        assertThat(log.page("team-a/lb", first.get(0).id(), 10)).extracting(JdbcConflictLog.Stored::record).containsExactly(kept);
        log.forget("team-a/lb");
        assertThat(log.list("team-a/lb")).isEmpty();
    }

    @Test
    void shouldPersistCursorsPerBucket() {
        SyncCursors cursors = new SyncCursors(store.dataSource());
        assertThat(cursors.get("a/b")).isEmpty();
        cursors.put("a/b", 7);
        cursors.put("a/b", 9);
        cursors.put("a/c", 1);
        assertThat(cursors.get("a/b")).hasValue(9);
        cursors.remove("a/b");
        assertThat(cursors.get("a/b")).isEmpty();
        assertThat(cursors.get("a/c")).hasValue(1);
    }

    @Test
    void shouldFeedOneBucketsJournalEntriesAfterTheCursor() {
        WriteJournal journal = new WriteJournal(store.dataSource());
        Instant at = Instant.parse("2026-01-02T03:04:05Z");
        journal.append(JournalEntry.put("ns", "lb", "a", "e1", 3, null, "CLOUD_A", "x", at).withHlc("000000000001.000000"));
        journal.append(JournalEntry.put("ns", "other", "b", "e2", 3, null, "CLOUD_A", "x", at));
        journal.append(JournalEntry.delete("ns", "lb", "a", "CLOUD_B", "y", at));
        assertThat(journal.readAfter(0, 1).get(0).hlc()).isEqualTo("000000000001.000000");
        JournalChangeSource source = new JournalChangeSource(journal, "ns", "lb");
        ChangeSource.Batch all = source.poll(null, 100);
        assertThat(all.events()).extracting(e -> e.key() + "@" + e.cloud() + ":" + e.etag() + ":" + e.size())
                .containsExactly("a@CLOUD_A:e1:3", "a@CLOUD_B:null:-1");
        assertThat(all.next()).isEqualTo("3");
        assertThat(source.poll("1", 1).events()).singleElement().satisfies(e -> assertThat(e.cloud()).isEqualTo("CLOUD_B"));
        ChangeSource.Batch none = source.poll("3", 100);
        assertThat(none.events()).isEmpty();
        assertThat(none.next()).isEqualTo("3");
    }
}
