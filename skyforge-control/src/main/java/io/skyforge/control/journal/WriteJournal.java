package io.skyforge.control.journal;

import io.skyforge.control.store.Transactions;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The data API's write journal in the resource store's database (migrations V2, V4). Appends are
 * serialised on a counter row, so positions have no gaps and become visible in order: a consumer
 * that remembers the last position it processed and asks for {@link #readAfter} never misses an
 * entry, also with several control-plane replicas writing to one PostgreSQL.
 */
public final class WriteJournal {

    /** The most entries one read returns. */
    public static final int MAX_READ = 10_000;

    private final DataSource dataSource;

    public WriteJournal(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Records a write; returns it with its position. */
    public JournalEntry append(JournalEntry entry) {
        return Transactions.run(dataSource, "cannot write the storage journal", c -> {
            long position;
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE storage_journal_counter SET position = position + 1 WHERE id = 1")) {
                up.executeUpdate();
            }
            try (PreparedStatement q = c.prepareStatement("SELECT position FROM storage_journal_counter WHERE id = 1");
                 ResultSet rs = q.executeQuery()) {
                rs.next();
                position = rs.getLong(1);
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO storage_journal (position, namespace, bucket,"
                    + " object_key, operation, etag, size_bytes, sha256, origin_cloud, physical_bucket, recorded_at, hlc)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ins.setLong(1, position);
                ins.setString(2, entry.namespace());
                ins.setString(3, entry.bucket());
                ins.setString(4, entry.key());
                ins.setString(5, entry.operation().name());
                ins.setString(6, entry.etag());
                ins.setLong(7, entry.size());
                ins.setString(8, entry.sha256());
                ins.setString(9, entry.originCloud());
                ins.setString(10, entry.physicalBucket());
                ins.setTimestamp(11, Timestamp.from(entry.recordedAt()));
                ins.setString(12, entry.hlc());
                ins.executeUpdate();
            }
            return entry.withPosition(position);
        });
    }

    /** Up to {@code limit} entries of every bucket with a position greater than {@code position}, in order. */
    public List<JournalEntry> readAfter(long position, int limit) {
        return query("SELECT * FROM storage_journal WHERE position > ? ORDER BY position", limit, ps -> ps.setLong(1, position));
    }

    /** Up to {@code limit} entries of one logical bucket after {@code position}, in order. */
    public List<JournalEntry> readAfter(String namespace, String bucket, long position, int limit) {
        return query("SELECT * FROM storage_journal WHERE namespace = ? AND bucket = ? AND position > ? ORDER BY position",
                limit, ps -> {
                    ps.setString(1, namespace);
                    ps.setString(2, bucket);
                    ps.setLong(3, position);
                });
    }

    /** The highest position handed out so far (0 when the journal is empty). */
    public long lastPosition() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT position FROM storage_journal_counter WHERE id = 1");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new SkyforgeException(ErrorCode.UNAVAILABLE, "cannot read the storage journal: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<JournalEntry> query(String sql, int limit, Binder binder) {
        if (limit < 1 || limit > MAX_READ) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "limit must be 1.." + MAX_READ + ": " + limit);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.setMaxRows(limit);
            List<JournalEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new JournalEntry(rs.getLong("position"), rs.getString("namespace"), rs.getString("bucket"),
                            rs.getString("object_key"), JournalEntry.Operation.valueOf(rs.getString("operation")),
                            rs.getString("etag"), rs.getLong("size_bytes"), rs.getString("sha256"),
                            rs.getString("origin_cloud"), rs.getString("physical_bucket"),
                            rs.getTimestamp("recorded_at").toInstant(), rs.getString("hlc")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new SkyforgeException(ErrorCode.UNAVAILABLE, "cannot read the storage journal: " + e.getMessage(), e);
        }
    }
}
