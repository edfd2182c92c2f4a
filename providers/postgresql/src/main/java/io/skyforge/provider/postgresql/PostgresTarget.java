package io.skyforge.provider.postgresql;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.tabular.ColumnDef;
import io.skyforge.spi.tabular.ConnectionConfig;
import io.skyforge.spi.tabular.DatabaseSchema;
import io.skyforge.spi.tabular.DbCheck;
import io.skyforge.spi.tabular.DbColumn;
import io.skyforge.spi.tabular.DbTable;
import io.skyforge.spi.tabular.ForeignKeyDef;
import io.skyforge.spi.tabular.ForwardKey;
import io.skyforge.spi.tabular.JdbcErrors;
import io.skyforge.spi.tabular.LoadJournal;
import io.skyforge.spi.tabular.PartLoad;
import io.skyforge.spi.tabular.PartRecord;
import io.skyforge.spi.tabular.TableDef;
import io.skyforge.spi.tabular.TabularTarget;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** One PostgreSQL database. Each operation takes its own short-lived connection, so parts load in parallel. */
final class PostgresTarget implements TabularTarget {

    static final String JOURNAL = LoadJournal.TABLE;

    private final ConnectionConfig config;
    private final String schema;
    /** Identity columns switched from ALWAYS to BY DEFAULT for the load: table to columns. */
    private final Map<String, List<String>> alwaysIdentity = new HashMap<>();

    PostgresTarget(ConnectionConfig config) {
        this.config = config;
        try (Connection c = connect()) {
            this.schema = c.getSchema();
        } catch (SQLException e) {
            throw JdbcErrors.statement("reading the current schema", e);
        }
    }

    Connection connect() {
        Properties p = new Properties();
        if (config.user() != null) {
            p.setProperty("user", config.user());
        }
        if (config.password() != null) {
            p.setProperty("password", config.password());
        }
        p.setProperty("connectTimeout", Integer.toString(config.connectTimeoutSeconds()));
        p.setProperty("loginTimeout", Integer.toString(config.connectTimeoutSeconds()));
        p.setProperty("ApplicationName", "skyforge");
        try {
            return DriverManager.getConnection(config.jdbcUrl(), p);
        } catch (SQLException e) {
            throw JdbcErrors.connect(config, e);
        }
    }

    @Override
    public String engine() {
        return "postgresql";
    }

    static String q(String ident) {
        return "\"" + ident.replace("\"", "\"\"") + "\"";
    }

    // ---------------------------------------------------------------- schema

    @Override
    public DatabaseSchema readSchema(String wanted, List<String> only) {
        String s = wanted == null ? schema : wanted;
        try (Connection c = connect()) {
            Map<String, Long> tables = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT c.relname, c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname""")) {
                ps.setString(1, s);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String t = rs.getString(1);
                        if (!t.equals(JOURNAL) && (only.isEmpty() || only.contains(t))) {
                            tables.put(t, rs.getLong(2));
                        }
                    }
                }
            }
            for (String t : only) {
                if (!tables.containsKey(t)) {
                    throw new SkyforgeException(ErrorCode.NOT_FOUND, "no table '" + t + "' in schema " + s);
                }
            }
            Map<String, List<String>> enums = new HashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                    SELECT t.typname, e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
                    ORDER BY t.typname, e.enumsortorder""")) {
                while (rs.next()) {
                    enums.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            Map<String, List<DbColumn>> columns = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT table_name, column_name, data_type, udt_name, character_maximum_length, numeric_precision,
                           numeric_scale, is_nullable, column_default, is_identity, is_generated,
                           format_type(a.atttypid, a.atttypmod)
                    FROM information_schema.columns ic
                    JOIN pg_attribute a ON a.attrelid = (quote_ident(ic.table_schema) || '.' || quote_ident(ic.table_name))::regclass
                                       AND a.attname = ic.column_name
                    WHERE table_schema = ? ORDER BY table_name, ordinal_position""")) {
                ps.setString(1, s);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String t = rs.getString(1);
                        if (!tables.containsKey(t)) {
                            continue;
                        }
                        String dataType = rs.getString(3);
                        String udt = rs.getString(4);
                        String def = rs.getString(9);
                        boolean identity = "YES".equals(rs.getString(10)) || (def != null && def.startsWith("nextval("));
                        boolean generated = "ALWAYS".equals(rs.getString(11));
                        List<String> values = enums.getOrDefault(udt, List.of());
                        String family = family(dataType, udt, enums.containsKey(udt));
                        int length = rs.getInt(5);
                        columns.computeIfAbsent(t, k -> new ArrayList<>()).add(new DbColumn(rs.getString(2), family, rs.getString(12),
                                length, rs.getInt(6), rs.getInt(7), "YES".equals(rs.getString(8)), def, identity, generated, values));
                    }
                }
            }
            Map<String, List<String>> pks = new HashMap<>();
            Map<String, List<List<String>>> uniques = new HashMap<>();
            Map<String, List<ForeignKeyDef>> fks = new HashMap<>();
            Map<String, List<DbCheck>> checks = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT c.conname, c.contype, cl.relname,
                      array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),
                      rc.relname,
                      array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                            JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o),
                      pg_get_constraintdef(c.oid)
                    FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
                    LEFT JOIN pg_class rc ON rc.oid = c.confrelid
                    WHERE n.nspname = ? AND c.contype IN ('p', 'u', 'f', 'c') ORDER BY cl.relname, c.conname""")) {
                ps.setString(1, s);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String t = rs.getString(3);
                        if (!tables.containsKey(t)) {
                            continue;
                        }
                        List<String> cols = strings(rs.getArray(4));
                        switch (rs.getString(2)) {
                            case "p" -> pks.put(t, cols);
                            case "u" -> uniques.computeIfAbsent(t, k -> new ArrayList<>()).add(cols);
                            case "f" -> fks.computeIfAbsent(t, k -> new ArrayList<>())
                                    .add(new ForeignKeyDef(rs.getString(1), cols, rs.getString(5), strings(rs.getArray(6))));
                            default -> checks.computeIfAbsent(t, k -> new ArrayList<>()).add(new DbCheck(rs.getString(1), checkBody(rs.getString(7))));
                        }
                    }
                }
            }
            // unique indexes that are not constraints (CREATE UNIQUE INDEX) constrain data just the same
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT cl.relname, array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(n, o)
                            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o)
                    FROM pg_index i JOIN pg_class cl ON cl.oid = i.indrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
                    WHERE n.nspname = ? AND i.indisunique AND NOT i.indisprimary AND i.indpred IS NULL AND i.indexprs IS NULL
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint pc WHERE pc.conindid = i.indexrelid)""")) {
                ps.setString(1, s);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (tables.containsKey(rs.getString(1))) {
                            uniques.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(strings(rs.getArray(2)));
                        }
                    }
                }
            }
            List<DbTable> result = new ArrayList<>();
            for (Map.Entry<String, Long> t : tables.entrySet()) {
                String n = t.getKey();
                result.add(new DbTable(n, columns.getOrDefault(n, List.of()), pks.getOrDefault(n, List.of()),
                        uniques.getOrDefault(n, List.of()), fks.getOrDefault(n, List.of()), checks.getOrDefault(n, List.of()),
                        t.getValue() < 0 ? -1 : t.getValue()));
            }
            return new DatabaseSchema(engine(), s, result);
        } catch (SQLException e) {
            throw JdbcErrors.statement("reading the schema " + s, e);
        }
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }

    static String checkBody(String def) {
        String d = def.strip();
        if (d.startsWith("CHECK (") && d.endsWith(")")) {
            d = d.substring(7, d.length() - 1);
        }
        if (d.endsWith(" NOT VALID")) {
            d = d.substring(0, d.length() - 10);
        }
        return d;
    }

    static String family(String dataType, String udt, boolean isEnum) {
        if (isEnum) {
            return "enum";
        }
        return switch (dataType) {
            case "boolean" -> "boolean";
            case "smallint" -> "smallint";
            case "integer" -> "int";
            case "bigint" -> "bigint";
            case "numeric" -> "decimal";
            case "real" -> "real";
            case "double precision" -> "double";
            case "character" -> "char";
            case "character varying" -> "varchar";
            case "text" -> "text";
            case "date" -> "date";
            case "time without time zone" -> "time";
            case "timestamp without time zone" -> "timestamp";
            case "timestamp with time zone" -> "timestamptz";
            case "uuid" -> "uuid";
            case "json", "jsonb" -> "json";
            case "USER-DEFINED" -> "citext".equals(udt) ? "text" : udt;
            default -> dataType;
        };
    }

    // ---------------------------------------------------------------- DDL

    static String ddlType(ColumnDef c) {
        String t = c.type().toLowerCase(Locale.ROOT);
        if (c.identity() && (t.equals("int") || t.equals("bigint"))) {
            return (t.equals("int") ? "integer" : "bigint") + " GENERATED BY DEFAULT AS IDENTITY";
        }
        if (t.startsWith("decimal")) {
            return t.replace("decimal", "numeric");
        }
        return switch (t) {
            case "int" -> "integer";
            case "double" -> "double precision";
            case "json" -> "jsonb";
            case "varchar" -> "text";
            default -> t;
        };
    }

    @Override
    public void createTables(List<TableDef> tables) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            List<TableDef> created = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                for (TableDef t : tables) {
                    if (exists(c, t.name())) {
                        continue;
                    }
                    StringBuilder sb = new StringBuilder("CREATE TABLE ").append(q(t.name())).append(" (");
                    for (int i = 0; i < t.columns().size(); i++) {
                        ColumnDef col = t.columns().get(i);
                        sb.append(i == 0 ? "\n  " : ",\n  ").append(q(col.name())).append(' ').append(ddlType(col));
                        if (!col.nullable()) {
                            sb.append(" NOT NULL");
                        }
                    }
                    if (!t.primaryKey().isEmpty()) {
                        sb.append(",\n  PRIMARY KEY (").append(list(t.primaryKey())).append(')');
                    }
                    for (List<String> u : t.uniques()) {
                        sb.append(",\n  UNIQUE (").append(list(u)).append(')');
                    }
                    st.execute(sb.append("\n)").toString());
                    created.add(t);
                }
                for (TableDef t : created) {
                    for (ForeignKeyDef f : t.foreignKeys()) {
                        // DEFERRABLE (still checked per statement unless a load defers it) lets a cycle of
                        // tables load in one transaction with its closing key checked at the commit
                        st.execute("ALTER TABLE " + q(t.name()) + " ADD FOREIGN KEY (" + list(f.columns()) + ") REFERENCES "
                                + q(f.refTable()) + " (" + list(f.refColumns()) + ") DEFERRABLE INITIALLY IMMEDIATE");
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw JdbcErrors.statement("creating tables", e);
        }
    }

    static String list(List<String> cols) {
        return String.join(", ", cols.stream().map(PostgresTarget::q).toList());
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, q(table));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public boolean exists(String table) {
        try (Connection c = connect()) {
            return exists(c, table);
        } catch (SQLException e) {
            throw JdbcErrors.statement("looking up table " + table, e);
        }
    }

    @Override
    public long rowCount(String table) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + q(table))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw JdbcErrors.statement("counting rows of " + table, e);
        }
    }

    @Override
    public void truncate(List<String> tables) {
        if (tables.isEmpty()) {
            return;
        }
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("TRUNCATE " + list(tables));
                if (exists(c, JOURNAL)) {
                    LoadJournal.forget(c, tables);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw JdbcErrors.statement("truncating " + tables, e);
        }
    }

    // ---------------------------------------------------------------- loading

    @Override
    public List<PartRecord> committedParts(String loadId) {
        try (Connection c = connect()) {
            if (!exists(c, JOURNAL)) {
                return List.of();
            }
            return LoadJournal.committedParts(c, loadId);
        } catch (SQLException e) {
            throw JdbcErrors.statement("reading the load journal", e);
        }
    }

    @Override
    public void beforeLoad(List<TableDef> tables) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            // say which table is not writable before anything else fails on it less clearly
            try (PreparedStatement ps = c.prepareStatement("SELECT has_table_privilege(?, 'INSERT'), current_user")) {
                for (TableDef t : tables) {
                    ps.setString(1, q(t.name()));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            throw new SkyforgeException(ErrorCode.ACCESS_DENIED, "permission denied: user " + rs.getString(2)
                                    + " may not insert into table " + t.name());
                        }
                    }
                }
            }
            st.execute("CREATE TABLE IF NOT EXISTS " + JOURNAL + " (load_id text NOT NULL, table_name text NOT NULL, part integer NOT NULL,"
                    + " parts integer NOT NULL, row_count bigint NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (load_id, table_name, part, parts))");
            // COPY cannot say OVERRIDING SYSTEM VALUE, so ALWAYS identities take explicit keys only while relaxed
            try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND table_name = ? AND identity_generation = 'ALWAYS'")) {
                for (TableDef t : tables) {
                    ps.setString(1, t.name());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String col = rs.getString(1);
                            if (t.columns().stream().anyMatch(cd -> cd.name().equals(col))) {
                                alwaysIdentity.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(col);
                            }
                        }
                    }
                }
            }
            for (Map.Entry<String, List<String>> e : alwaysIdentity.entrySet()) {
                for (String col : e.getValue()) {
                    st.execute("ALTER TABLE " + q(e.getKey()) + " ALTER COLUMN " + q(col) + " SET GENERATED BY DEFAULT");
                }
            }
        } catch (SQLException e) {
            throw JdbcErrors.statement("preparing the load", e);
        }
    }

    @Override
    public long loadPart(PartLoad load) {
        return loadInOneTransaction(List.of(load), false).get(0);
    }

    @Override
    public List<Long> loadPartsDeferred(List<PartLoad> loads) {
        return loadInOneTransaction(loads, true);
    }

    private List<Long> loadInOneTransaction(List<PartLoad> loads, boolean deferred) {
        PartLoad first = loads.get(0);
        String what = loads.size() == 1 ? "loading part " + first.part() + " of " + first.parts() + " of table " + first.table().name()
                : "loading " + loads.size() + " parts of tables " + loads.stream().map(l -> l.table().name()).distinct().toList()
                        + " in one transaction";
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                if (deferred) {
                    // only constraints declared DEFERRABLE move to the commit; the others are still checked per row
                    try (Statement st = c.createStatement()) {
                        st.execute("SET CONSTRAINTS ALL DEFERRED");
                    }
                }
                List<Long> counts = new ArrayList<>();
                for (PartLoad load : loads) {
                    long rows = copy(c, load.table().name(), load);
                    LoadJournal.record(c, "ON CONFLICT (load_id, table_name, part, parts)"
                            + " DO UPDATE SET row_count = EXCLUDED.row_count, loaded_at = now()", load, rows);
                    counts.add(rows);
                }
                c.commit();
                return counts;
            } catch (SQLException | IOException | RuntimeException e) {
                throw failed(c, what, e);
            }
        } catch (SQLException e) {
            throw JdbcErrors.statement(what, e);
        }
    }

    /** COPY of the part's rows into {@code into} (the table, or a staging table with its columns). */
    private static long copy(Connection c, String into, PartLoad load) throws SQLException, IOException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + q(into) + " (" + list(load.columns()) + ") FROM STDIN WITH (FORMAT csv)");
        try (OutputStream out = new BufferedOutputStream(new CopyStream(copy), 1 << 16)) {
            load.rows().writeCsv(out, "");
        } catch (IOException | RuntimeException e) {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
            throw e;
        }
        return copy.endCopy();
    }

    /** Rolls back and turns what went wrong into the error the caller throws. */
    private static RuntimeException failed(Connection c, String what, Exception e) {
        LoadJournal.rollback(c, e);
        if (e instanceof SQLException se) {
            return JdbcErrors.statement(what, se);
        }
        if (e.getCause() instanceof SQLException se) {
            return JdbcErrors.statement(what, se);
        }
        if (e instanceof RuntimeException re) {
            return re;
        }
        return new SkyforgeException(ErrorCode.IO, what + " failed: " + e.getMessage(), e);
    }

    @Override
    public long updateColumns(PartLoad load, List<String> columns) {
        TableDef t = load.table();
        String what = "setting " + columns + " of part " + load.part() + " of " + load.parts() + " of table " + t.name();
        String stage = "skyforge_stage_" + t.name();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMP TABLE " + q(stage) + " ON COMMIT DROP AS SELECT " + list(load.columns()) + " FROM "
                        + q(t.name()) + " WITH NO DATA");
                copy(c, stage, load);
                String set = columns.stream().map(col -> q(col) + " = s." + q(col)).collect(java.util.stream.Collectors.joining(", "));
                String on = t.primaryKey().stream().map(k -> "t." + q(k) + " = s." + q(k))
                        .collect(java.util.stream.Collectors.joining(" AND "));
                long matched = st.executeLargeUpdate("UPDATE " + q(t.name()) + " t SET " + set + " FROM " + q(stage) + " s WHERE " + on);
                c.commit();
                return matched;
            } catch (SQLException | IOException | RuntimeException e) {
                throw failed(c, what, e);
            }
        } catch (SQLException e) {
            throw JdbcErrors.statement(what, e);
        }
    }

    @Override
    public ForwardKey forwardKey(String table, ForeignKeyDef fk) {
        try (Connection c = connect()) {
            return ForwardKey.inspect(c, null, schema, table, fk);
        } catch (SQLException e) {
            throw JdbcErrors.statement("reading the foreign keys of " + table, e);
        }
    }

    @Override
    public void afterLoad(List<TableDef> tables) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (Map.Entry<String, List<String>> e : alwaysIdentity.entrySet()) {
                for (String col : e.getValue()) {
                    st.execute("ALTER TABLE " + q(e.getKey()) + " ALTER COLUMN " + q(col) + " SET GENERATED ALWAYS");
                }
            }
            alwaysIdentity.clear();
            for (TableDef t : tables) {
                for (ColumnDef col : t.columns()) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
                        ps.setString(1, q(t.name()));
                        ps.setString(2, col.name());
                        String seq;
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            seq = rs.getString(1);
                        }
                        if (seq != null) {
                            // the next nextval() returns max + 1, so the application's next insert does not collide
                            try (ResultSet rs = st.executeQuery("SELECT setval('" + seq.replace("'", "''") + "', COALESCE(MAX("
                                    + q(col.name()) + "), 0) + 1, false) FROM " + q(t.name()))) {
                                rs.next();
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw JdbcErrors.statement("advancing sequences", e);
        }
    }

    @Override
    public void close() {
        // connections are per operation; nothing is held between calls
    }

    /** The COPY data channel as a stream. */
    private static final class CopyStream extends OutputStream {
        private final CopyIn copy;

        CopyStream(CopyIn copy) {
            this.copy = copy;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                copy.writeToCopy(b, off, len);
            } catch (SQLException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                copy.flushCopy();
            } catch (SQLException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
