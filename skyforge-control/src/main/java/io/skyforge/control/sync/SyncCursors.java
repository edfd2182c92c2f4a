package io.skyforge.control.sync;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import javax.sql.DataSource;

/** Each logical bucket's position in the write journal, persisted (migration V4) so a restart resumes there. */
public final class SyncCursors {

    private final DataSource dataSource;

    public SyncCursors(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    public OptionalLong get(String bucket) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT position FROM sync_cursors WHERE bucket = ?")) {
            ps.setString(1, bucket);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public void put(String bucket, long position) {
        try (Connection c = dataSource.getConnection()) {
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement up = c.prepareStatement("UPDATE sync_cursors SET position = ?, updated_at = ? WHERE bucket = ?")) {
                up.setLong(1, position);
                up.setTimestamp(2, now);
                up.setString(3, bucket);
                if (up.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO sync_cursors (bucket, position, updated_at) VALUES (?, ?, ?)")) {
                ins.setString(1, bucket);
                ins.setLong(2, position);
                ins.setTimestamp(3, now);
                ins.executeUpdate();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public void remove(String bucket) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM sync_cursors WHERE bucket = ?")) {
            ps.setString(1, bucket);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static SkyforgeException failed(SQLException e) {
        return new SkyforgeException(ErrorCode.UNAVAILABLE, "cannot access the sync cursors: " + e.getMessage(), e);
    }
}
