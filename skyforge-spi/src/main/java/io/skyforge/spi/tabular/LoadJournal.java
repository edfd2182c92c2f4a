package io.skyforge.spi.tabular;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The load journal every JDBC target keeps in the loaded database (table {@value #TABLE}): one row
 * per committed part, written in the part's own transaction, so a re-run knows exactly which parts
 * are in. The SQL here is portable; each engine supplies only what differs (its upsert clause and
 * how it tells whether the table exists).
 */
public final class LoadJournal {

    public static final String TABLE = "skyforge_load_journal";

    private LoadJournal() {
    }

    /** The committed parts of a load; call only when the journal table exists. */
    public static List<PartRecord> committedParts(Connection c, String loadId) throws SQLException {
        List<PartRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name, part, parts, row_count FROM " + TABLE + " WHERE load_id = ?")) {
            ps.setString(1, loadId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PartRecord(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /**
     * Records a loaded part in the caller's transaction.
     *
     * @param upsert the engine's clause that replaces an earlier row of the same part (a forced re-load)
     */
    public static void record(Connection c, String upsert, PartLoad load, long rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                + " (load_id, table_name, part, parts, row_count) VALUES (?, ?, ?, ?, ?) " + upsert)) {
            ps.setString(1, load.loadId());
            ps.setString(2, load.table().name());
            ps.setInt(3, load.part());
            ps.setInt(4, load.parts());
            ps.setLong(5, rows);
            ps.executeUpdate();
        }
    }

    /** Forgets every part of the tables (they were emptied), in the caller's transaction; call only when the table exists. */
    public static void forget(Connection c, List<String> tables) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE table_name = ?")) {
            for (String t : tables) {
                ps.setString(1, t);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Rolls back after {@code cause}; a failing rollback is attached to it rather than hiding it. */
    public static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }
}
