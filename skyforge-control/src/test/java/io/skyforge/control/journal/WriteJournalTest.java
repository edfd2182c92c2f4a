package io.skyforge.control.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.control.store.JdbcResourceStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteJournalTest {

    @TempDir
    Path dir;
    JdbcResourceStore store;
    WriteJournal journal;

    @BeforeEach
    void open() {
        store = JdbcResourceStore.openDataDir(dir);
        journal = new WriteJournal(store.dataSource());
    }

    @AfterEach
    void close() {
        store.close();
    }

    static JournalEntry put(String bucket, String key) {
        return JournalEntry.put("default", bucket, key, "etag-" + key, 3, "ab".repeat(32), "CLOUD_A", "bucket-x",
                Instant.parse("2026-01-02T03:04:05Z"));
    }

    @Test
    void shouldHandOutGapFreePositionsAndReadEntriesAfterAPosition() {
        assertThat(journal.lastPosition()).isZero();
        JournalEntry a = journal.append(put("lb", "a"));
        JournalEntry b = journal.append(JournalEntry.delete("default", "lb", "a", "CLOUD_B", "container-y", Instant.now()));
        JournalEntry c = journal.append(put("other", "c"));
        assertThat(List.of(a.position(), b.position(), c.position())).containsExactly(1L, 2L, 3L);
        assertThat(journal.lastPosition()).isEqualTo(3);

        List<JournalEntry> after1 = journal.readAfter(1, 100);
        assertThat(after1).extracting(JournalEntry::position).containsExactly(2L, 3L);
        assertThat(after1.get(0).operation()).isEqualTo(JournalEntry.Operation.DELETE);
        assertThat(after1.get(0).etag()).isNull();
        assertThat(journal.readAfter(0, 1)).containsExactly(a);
        assertThat(journal.readAfter("default", "lb", 0, 100)).extracting(JournalEntry::key).containsExactly("a", "a");
        assertThat(journal.readAfter(3, 100)).isEmpty();
    }

    @Test
    void shouldKeepEveryEntryOfConcurrentWritersInPositionOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<JournalEntry>> fs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String key = "k" + i;
                fs.add(pool.submit(() -> journal.append(put("lb", key))));
            }
            for (Future<JournalEntry> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<JournalEntry> all = journal.readAfter(0, 1000);
        assertThat(all).hasSize(200);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).position()).isEqualTo(i + 1);
        }
    }

    @Test
    void shouldSurviveAReopenOfTheDatabase() {
        journal.append(put("lb", "persisted"));
        store.close();
        store = JdbcResourceStore.openDataDir(dir);
        journal = new WriteJournal(store.dataSource());
        assertThat(journal.readAfter(0, 10)).extracting(JournalEntry::key).containsExactly("persisted");
        assertThat(journal.append(put("lb", "next")).position()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAnOutOfRangeLimit() {
        assertThatThrownBy(() -> journal.readAfter(0, 0)).hasMessageContaining("limit must be 1..10000");
    }
}
