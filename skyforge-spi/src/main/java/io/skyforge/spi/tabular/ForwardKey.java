package io.skyforge.spi.tabular;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a database allows for a foreign key whose rows are loaded before the rows they point at, as
 * happens to one foreign key of every cycle between tables (A references B, B references A).
 *
 * @param enforced   the database has the constraint (when it does not, order does not matter)
 * @param deferrable the constraint is DEFERRABLE: checked at commit when the loading transaction defers it
 * @param nullable   every column of the key takes NULL: load NULL first, set the values once both tables are loaded
 */
public record ForwardKey(boolean enforced, boolean deferrable, boolean nullable) {

    /** Whether the cycle can be broken at this key. */
    public boolean breakable() {
        return !enforced || deferrable || nullable;
    }

    /**
     * Reads the constraint from the driver's metadata: the foreign key of {@code table} on exactly
     * {@code fk.columns()} that references {@code fk.refTable()}, and the columns' nullability.
     */
    public static ForwardKey inspect(Connection c, String catalog, String schema, String table, ForeignKeyDef fk)
            throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        Map<String, List<String[]>> byName = new TreeMap<>();
        try (ResultSet rs = md.getImportedKeys(catalog, schema, table)) {
            while (rs.next()) {
                if (!rs.getString("PKTABLE_NAME").equalsIgnoreCase(fk.refTable())) {
                    continue;
                }
                String name = rs.getString("FK_NAME");
                byName.computeIfAbsent(name == null ? "" : name, k -> new ArrayList<>()).add(new String[] {
                        rs.getString("FKCOLUMN_NAME"), Short.toString(rs.getShort("DEFERRABILITY"))});
            }
        }
        Set<String> wanted = lower(fk.columns());
        boolean enforced = false;
        boolean deferrable = false;
        for (List<String[]> cols : byName.values()) {
            Set<String> have = new HashSet<>();
            cols.forEach(col -> have.add(col[0].toLowerCase(java.util.Locale.ROOT)));
            if (have.equals(wanted)) {
                enforced = true;
                short d = Short.parseShort(cols.get(0)[1]);
                deferrable |= d == DatabaseMetaData.importedKeyInitiallyDeferred || d == DatabaseMetaData.importedKeyInitiallyImmediate;
            }
        }
        boolean nullable = true;
        try (ResultSet rs = md.getColumns(catalog, schema, table, null)) {
            while (rs.next()) {
                if (wanted.contains(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT))
                        && rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls) {
                    nullable = false;
                }
            }
        }
        return new ForwardKey(enforced, deferrable, nullable);
    }

    private static Set<String> lower(List<String> cols) {
        Set<String> s = new HashSet<>();
        cols.forEach(col -> s.add(col.toLowerCase(java.util.Locale.ROOT)));
        return s;
    }
}
