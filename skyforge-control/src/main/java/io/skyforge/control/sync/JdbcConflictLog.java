package io.skyforge.control.sync;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.sync.conflict.ConflictLog;
import io.skyforge.sync.conflict.ConflictRecord;
import io.skyforge.sync.version.Version;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Conflict records in the resource store's database (migration V4), so {@code skyforge conflicts} still
 * lists them after a restart and every control-plane replica sees the same list.
 */
public final class JdbcConflictLog implements ConflictLog {

    /** The most records one page returns. */
    public static final int MAX_PAGE = 1000;
    /** SQLSTATE of a unique-key violation, the same on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    public JdbcConflictLog(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** A stored record with its id, for paging. */
    public record Stored(long id, ConflictRecord record) {
    }

    @Override
    public boolean record(ConflictRecord r) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO sync_conflicts (bucket, object_key, loser_hlc,"
                     + " loser_origin, loser_sha256, loser_deleted, loser_vv, winner_hlc, winner_origin, winner_sha256,"
                     + " winner_deleted, winner_vv, found_on, kept_as, detected_at)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.bucket());
            ps.setString(2, r.key());
            bindVersion(ps, 3, r.loser());
            bindVersion(ps, 8, r.winner());
            ps.setString(13, r.foundOn());
            ps.setString(14, r.keptAs());
            ps.setTimestamp(15, Timestamp.from(r.detectedAt()));
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw new SkyforgeException(ErrorCode.UNAVAILABLE, "cannot record a sync conflict: " + e.getMessage(), e);
        }
    }

    @Override
    public List<ConflictRecord> list(String bucket) {
        List<ConflictRecord> out = new ArrayList<>();
        long after = 0;
        List<Stored> page;
        do {
            page = page(bucket, after, MAX_PAGE);
            for (Stored s : page) {
                out.add(s.record());
                after = s.id();
            }
        } while (page.size() == MAX_PAGE);
        return out;
    }

    /** Up to {@code limit} records of a bucket with an id greater than {@code afterId}, oldest first. */
    public List<Stored> page(String bucket, long afterId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "limit must be 1.." + MAX_PAGE + ": " + limit);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM sync_conflicts WHERE bucket = ? AND id > ? ORDER BY id")) {
            ps.setString(1, bucket);
            ps.setLong(2, afterId);
            ps.setMaxRows(limit);
            List<Stored> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stored(rs.getLong("id"), new ConflictRecord(rs.getString("bucket"), rs.getString("object_key"),
                            version(rs, "winner_"), version(rs, "loser_"), rs.getString("found_on"), rs.getString("kept_as"),
                            rs.getTimestamp("detected_at").toInstant())));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new SkyforgeException(ErrorCode.UNAVAILABLE, "cannot read sync conflicts: " + e.getMessage(), e);
        }
    }

    /** Forgets a deleted bucket's records, so a new bucket of the same name starts with none. */
    public void forget(String bucket) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM sync_conflicts WHERE bucket = ?")) {
            ps.setString(1, bucket);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new SkyforgeException(ErrorCode.UNAVAILABLE, "cannot delete sync conflicts: " + e.getMessage(), e);
        }
    }

    private static void bindVersion(PreparedStatement ps, int at, Version v) throws SQLException {
        Map<String, String> m = v.toMetadata();
        ps.setString(at, m.get(Version.META_HLC));
        ps.setString(at + 1, m.get(Version.META_ORIGIN));
        ps.setString(at + 2, m.get(Version.META_SHA256));
        ps.setBoolean(at + 3, v.tombstone());
        ps.setString(at + 4, m.get(Version.META_HISTORY));
    }

    private static Version version(ResultSet rs, String prefix) throws SQLException {
        Map<String, String> m = new HashMap<>();
        m.put(Version.META_HLC, rs.getString(prefix + "hlc"));
        m.put(Version.META_ORIGIN, rs.getString(prefix + "origin"));
        putIfPresent(m, Version.META_SHA256, rs.getString(prefix + "sha256"));
        putIfPresent(m, Version.META_HISTORY, rs.getString(prefix + "vv"));
        if (rs.getBoolean(prefix + "deleted")) {
            m.put(Version.META_DELETED, "true");
        }
        return Version.fromMetadata(m, null).orElseThrow();
    }

    private static void putIfPresent(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
