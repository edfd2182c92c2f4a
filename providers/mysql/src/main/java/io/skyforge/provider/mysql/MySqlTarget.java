package io.skyforge.provider.mysql;

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
import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/** One MySQL/MariaDB database. Each operation takes its own connection, so parts load in parallel. */
final class MySqlTarget implements TabularTarget {

    static final String JOURNAL = LoadJournal.TABLE;

    private final ConnectionConfig config;
    private final String engine;
    private final String database;
    /** LOAD DATA LOCAL when both the server and the URL allow it; batched multi-row INSERTs otherwise. */
    private final boolean localInfile;

    static final int INSERT_ROWS = 500;

    /** {@code jdbc:mysql:} URLs go through MySQL Connector/J, {@code jdbc:mariadb:} ones through MariaDB Connector/J. */
    private final boolean connectorJ;

    MySqlTarget(ConnectionConfig config) {
        this.config = config;
        this.connectorJ = config.jdbcUrl().startsWith("jdbc:mysql:");
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT VERSION(), DATABASE(), @@local_infile")) {
            rs.next();
            this.engine = rs.getString(1).toLowerCase(Locale.ROOT).contains("mariadb") ? "mariadb" : "mysql";
            this.database = rs.getString(2);
            String url = config.jdbcUrl().toLowerCase(Locale.ROOT);
            this.localInfile = rs.getBoolean(3) && !url.contains("allowlocalinfile=false") && !url.contains("allowloadlocalinfile=false");
        } catch (SQLException e) {
            throw JdbcErrors.statement("reading the server version", e);
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
        p.setProperty("connectTimeout", Integer.toString(config.connectTimeoutSeconds() * 1000));
        // The two drivers spell the LOCAL INFILE switch differently; a URL that sets it decides.
        String url = config.jdbcUrl().toLowerCase(Locale.ROOT);
        if (connectorJ) {
            if (!url.contains("allowloadlocalinfile=")) {
                p.setProperty("allowLoadLocalInfile", "true");
            }
        } else if (!url.contains("allowlocalinfile=")) {
            p.setProperty("allowLocalInfile", "true");
        }
        try {
            DriverManager.setLoginTimeout(config.connectTimeoutSeconds());
            return DriverManager.getConnection(config.jdbcUrl(), p);
        } catch (SQLException e) {
            throw JdbcErrors.connect(config, e);
        }
    }

    @Override
    public String engine() {
        return engine;
    }

    static String q(String ident) {
        return "`" + ident.replace("`", "``") + "`";
    }

    static String list(List<String> cols) {
        return String.join(", ", cols.stream().map(MySqlTarget::q).toList());
    }

    private String db(String wanted) {
        String s = wanted == null ? database : wanted;
        if (s == null) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "no database selected: name one in the JDBC URL (jdbc:mariadb://host:3306/DB) or with --schema");
        }
        return s;
    }

    // ---------------------------------------------------------------- schema

    @Override
    public DatabaseSchema readSchema(String wanted, List<String> only) {
        String s = db(wanted);
        try (Connection c = connect()) {
            Map<String, Long> tables = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT table_name, table_rows FROM information_schema.tables"
                    + " WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name")) {
                ps.setString(1, s);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String t = rs.getString(1);
                        if (!t.equals(JOURNAL) && (only.isEmpty() || only.contains(t))) {
                            long n = rs.getLong(2);
                            tables.put(t, rs.wasNull() ? -1 : n);
                        }
                    }
                }
            }
            for (String t : only) {
                if (!tables.containsKey(t)) {
                    throw new SkyforgeException(ErrorCode.NOT_FOUND, "no table '" + t + "' in database " + s);
                }
            }
            Map<String, List<DbColumn>> columns = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT table_name, column_name, data_type, column_type, character_maximum_length, numeric_precision,
                           numeric_scale, is_nullable, column_default, extra, generation_expression
                    FROM information_schema.columns WHERE table_schema = ? ORDER BY table_name, ordinal_position""")) {
                ps.setString(1, s);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String t = rs.getString(1);
                        if (!tables.containsKey(t)) {
                            continue;
                        }
                        String dataType = rs.getString(3).toLowerCase(Locale.ROOT);
                        String columnType = rs.getString(4);
                        String extra = String.valueOf(rs.getString(10)).toLowerCase(Locale.ROOT);
                        String genExpr = rs.getString(11);
                        boolean generated = extra.contains("generated") || extra.contains("virtual") || extra.contains("persistent")
                                || extra.contains("stored") || (genExpr != null && !genExpr.isBlank());
                        String def = defaultValue(rs.getString(9));
                        List<String> values = dataType.equals("enum") || dataType.equals("set") ? labels(columnType) : List.of();
                        columns.computeIfAbsent(t, k -> new ArrayList<>()).add(new DbColumn(rs.getString(2), family(dataType, columnType),
                                columnType, (int) Math.min(Integer.MAX_VALUE, rs.getLong(5)), rs.getInt(6), rs.getInt(7),
                                "YES".equals(rs.getString(8)), def, extra.contains("auto_increment"), generated, values));
                    }
                }
            }
            Map<String, List<String>> pks = new HashMap<>();
            Map<String, List<List<String>>> uniques = new HashMap<>();
            Map<String, Map<String, ForeignKeyDef>> fks = new HashMap<>();
            Map<String, Map<String, List<String>>> keyCols = new LinkedHashMap<>();
            Map<String, String> keyTypes = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT tc.table_name, tc.constraint_name, tc.constraint_type, k.column_name, k.referenced_table_name, k.referenced_column_name
                    FROM information_schema.table_constraints tc
                    JOIN information_schema.key_column_usage k ON k.constraint_schema = tc.constraint_schema
                         AND k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name
                    WHERE tc.table_schema = ? AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
                    ORDER BY tc.table_name, tc.constraint_name, k.ordinal_position""")) {
                ps.setString(1, s);
                try (ResultSet rs = ps.executeQuery()) {
                    Map<String, List<String>> refCols = new HashMap<>();
                    Map<String, String> refTable = new HashMap<>();
                    while (rs.next()) {
                        String t = rs.getString(1);
                        if (!tables.containsKey(t)) {
                            continue;
                        }
                        String key = t + "\u0000" + rs.getString(2);
                        keyTypes.put(key, rs.getString(3));
                        keyCols.computeIfAbsent(t, x -> new LinkedHashMap<>()).computeIfAbsent(key, x -> new ArrayList<>()).add(rs.getString(4));
                        if (rs.getString(5) != null) {
                            refTable.put(key, rs.getString(5));
                            refCols.computeIfAbsent(key, x -> new ArrayList<>()).add(rs.getString(6));
                        }
                    }
                    for (Map.Entry<String, Map<String, List<String>>> t : keyCols.entrySet()) {
                        for (Map.Entry<String, List<String>> k : t.getValue().entrySet()) {
                            String name = k.getKey().substring(k.getKey().indexOf('\u0000') + 1);
                            switch (keyTypes.get(k.getKey())) {
                                case "PRIMARY KEY" -> pks.put(t.getKey(), k.getValue());
                                case "UNIQUE" -> uniques.computeIfAbsent(t.getKey(), x -> new ArrayList<>()).add(k.getValue());
                                default -> fks.computeIfAbsent(t.getKey(), x -> new LinkedHashMap<>())
                                        .put(name, new ForeignKeyDef(name, k.getValue(), refTable.get(k.getKey()), refCols.get(k.getKey())));
                            }
                        }
                    }
                }
            }
            Map<String, List<DbCheck>> checks = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT tc.table_name, cc.constraint_name, cc.check_clause FROM information_schema.check_constraints cc
                    JOIN information_schema.table_constraints tc ON tc.constraint_schema = cc.constraint_schema
                         AND tc.constraint_name = cc.constraint_name AND tc.constraint_type = 'CHECK'
                    WHERE cc.constraint_schema = ? ORDER BY tc.table_name, cc.constraint_name""")) {
                ps.setString(1, s);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (tables.containsKey(rs.getString(1))) {
                            checks.computeIfAbsent(rs.getString(1), x -> new ArrayList<>()).add(new DbCheck(rs.getString(2), rs.getString(3)));
                        }
                    }
                }
            }
            List<DbTable> result = new ArrayList<>();
            for (Map.Entry<String, Long> t : tables.entrySet()) {
                String n = t.getKey();
                List<DbColumn> cols = columns.getOrDefault(n, List.of());
                List<DbCheck> cks = new ArrayList<>();
                for (DbCheck ck : checks.getOrDefault(n, List.of())) {
                    // MariaDB stores the implicit check of its JSON alias; the json type already says it
                    if (!ck.expression().toLowerCase(Locale.ROOT).matches("json_valid\\(`[^`]+`\\)")) {
                        cks.add(ck);
                    }
                }
                List<DbColumn> typed = new ArrayList<>();
                for (DbColumn col : cols) {
                    boolean json = checks.getOrDefault(n, List.of()).stream()
                            .anyMatch(ck -> ck.expression().equalsIgnoreCase("json_valid(`" + col.name() + "`)"));
                    typed.add(json ? new DbColumn(col.name(), "json", "json", 0, 0, 0, col.nullable(), col.defaultValue(), false, col.generated(), List.of())
                            : col);
                }
                result.add(new DbTable(n, typed, pks.getOrDefault(n, List.of()), uniques.getOrDefault(n, List.of()),
                        new ArrayList<>(fks.getOrDefault(n, Map.of()).values()), cks, t.getValue()));
            }
            return new DatabaseSchema(engine, s, result);
        } catch (SQLException e) {
            throw JdbcErrors.statement("reading the schema of database " + s, e);
        }
    }

    /** MariaDB reports defaults as SQL expressions ({@code 'x'}, {@code NULL}); MySQL as bare values. */
    static String defaultValue(String raw) {
        if (raw == null || raw.equalsIgnoreCase("NULL")) {
            return null;
        }
        return raw;
    }

    static List<String> labels(String columnType) {
        int open = columnType.indexOf('(');
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        for (int i = open + 1; i < columnType.length(); i++) {
            char ch = columnType.charAt(i);
            if (cur == null) {
                if (ch == '\'') {
                    cur = new StringBuilder();
                }
            } else if (ch == '\'') {
                if (i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
                    cur.append('\'');
                    i++;
                } else {
                    out.add(cur.toString());
                    cur = null;
                }
            } else {
                cur.append(ch);
            }
        }
        return out;
    }

    static String family(String dataType, String columnType) {
        String ct = columnType.toLowerCase(Locale.ROOT);
        return switch (dataType) {
            case "tinyint" -> ct.startsWith("tinyint(1)") ? "boolean" : "smallint";
            case "bit" -> ct.equals("bit(1)") ? "boolean" : "bit";
            case "bool", "boolean" -> "boolean";
            case "smallint", "year" -> "smallint";
            case "mediumint", "int", "integer" -> ct.contains("unsigned") && dataType.startsWith("int") ? "bigint" : "int";
            case "bigint" -> "bigint";
            case "decimal", "numeric" -> "decimal";
            case "float" -> "real";
            case "double", "real" -> "double";
            case "char" -> "char";
            case "varchar" -> "varchar";
            case "tinytext", "text", "mediumtext", "longtext" -> "text";
            case "date" -> "date";
            case "time" -> "time";
            case "datetime", "timestamp" -> "timestamp";
            case "json" -> "json";
            case "enum" -> "enum";
            case "set" -> "set";
            case "uuid" -> "uuid";
            default -> dataType;
        };
    }

    // ---------------------------------------------------------------- DDL

    static String ddlType(ColumnDef c) {
        String t = c.type().toLowerCase(Locale.ROOT);
        String base = switch (t) {
            case "int" -> "INT";
            case "bigint" -> "BIGINT";
            case "boolean" -> "BOOLEAN";
            case "double" -> "DOUBLE";
            case "text" -> "TEXT";
            case "varchar" -> "VARCHAR(255)";
            case "time" -> "TIME(6)";
            case "timestamp" -> "DATETIME(6)";
            case "uuid" -> "CHAR(36)";
            case "json" -> "JSON";
            case "date" -> "DATE";
            default -> t.toUpperCase(Locale.ROOT);
        };
        return c.identity() ? base + " AUTO_INCREMENT" : base;
    }

    @Override
    public void createTables(List<TableDef> tables) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            List<TableDef> created = new ArrayList<>();
            for (TableDef t : tables) {
                if (exists(c, t.name())) {
                    continue;
                }
                StringBuilder sb = new StringBuilder("CREATE TABLE ").append(q(t.name())).append(" (");
                for (int i = 0; i < t.columns().size(); i++) {
                    ColumnDef col = t.columns().get(i);
                    sb.append(i == 0 ? "\n  " : ",\n  ").append(q(col.name())).append(' ').append(ddlType(col));
                    sb.append(col.nullable() ? " NULL" : " NOT NULL");
                }
                if (!t.primaryKey().isEmpty()) {
                    sb.append(",\n  PRIMARY KEY (").append(list(t.primaryKey())).append(')');
                }
                for (List<String> u : t.uniques()) {
                    sb.append(",\n  UNIQUE (").append(list(u)).append(')');
                }
                st.execute(sb.append("\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4").toString());
                created.add(t);
            }
            for (TableDef t : created) {
                for (ForeignKeyDef f : t.foreignKeys()) {
                    st.execute("ALTER TABLE " + q(t.name()) + " ADD FOREIGN KEY (" + list(f.columns()) + ") REFERENCES "
                            + q(f.refTable()) + " (" + list(f.refColumns()) + ")");
                }
            }
        } catch (SQLException e) {
            throw JdbcErrors.statement("creating tables", e);
        }
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
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
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + q(table))) {
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
        try (Connection c = connect(); Statement st = c.createStatement()) {
            // TRUNCATE refuses tables that foreign keys point at, even when the children are emptied too
            c.setAutoCommit(false);
            for (String t : tables) {
                // InnoDB checks a self-reference row by row, so a referenced row cannot go before its referrers
                try (PreparedStatement ps = c.prepareStatement("SELECT k.column_name FROM information_schema.key_column_usage k"
                        + " JOIN information_schema.columns col ON col.table_schema = k.table_schema AND col.table_name = k.table_name"
                        + " AND col.column_name = k.column_name WHERE k.table_schema = DATABASE() AND k.table_name = ?"
                        + " AND k.referenced_table_name = k.table_name AND col.is_nullable = 'YES'")) {
                    ps.setString(1, t);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            st.addBatch("UPDATE " + q(t) + " SET " + q(rs.getString(1)) + " = NULL");
                        }
                    }
                }
                st.executeBatch();
                st.execute("DELETE FROM " + q(t));
            }
            if (exists(c, JOURNAL)) {
                LoadJournal.forget(c, tables);
            }
            c.commit();
        } catch (SQLException e) {
            throw JdbcErrors.statement("emptying " + tables, e);
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
            st.execute("CREATE TABLE IF NOT EXISTS " + JOURNAL + " (load_id VARCHAR(100) NOT NULL, table_name VARCHAR(64) NOT NULL,"
                    + " part INT NOT NULL, parts INT NOT NULL, row_count BIGINT NOT NULL,"
                    + " loaded_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (load_id, table_name, part, parts)) ENGINE=InnoDB");
        } catch (SQLException e) {
            throw JdbcErrors.statement("preparing the load", e);
        }
    }

    private Map<String, String> columnTypes(Connection c, String table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, column_type FROM information_schema.columns"
                + " WHERE table_schema = DATABASE() AND table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        return types;
    }

    @Override
    public long loadPart(PartLoad load) {
        String table = load.table().name();
        String what = "loading part " + load.part() + " of " + load.parts() + " of table " + table;
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                long rows = bulk(c, table, load, columnTypes(c, table), what);
                LoadJournal.record(c, "ON DUPLICATE KEY UPDATE row_count = VALUES(row_count), loaded_at = CURRENT_TIMESTAMP", load, rows);
                c.commit();
                return rows;
            } catch (SQLException | RuntimeException e) {
                LoadJournal.rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw JdbcErrors.statement(what, e);
        }
    }

    /**
     * The part's rows into {@code into} (the table, or a staging copy of its columns) through LOAD DATA
     * LOCAL or batched INSERTs; every row must arrive unchanged.
     *
     * @param types column types of the real table (temporary tables are not in information_schema)
     */
    private long bulk(Connection c, String into, PartLoad load, Map<String, String> types, String what) throws SQLException {
        // booleans arrive as true/false and bit(1) wants b'1': read them into variables and convert
        StringBuilder cols = new StringBuilder();
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < load.columns().size(); i++) {
            String col = load.columns().get(i);
            String type = types.getOrDefault(col, "");
            if (i > 0) {
                cols.append(", ");
            }
            if (type.startsWith("tinyint(1)") || type.equals("bit(1)") || type.startsWith("bool")) {
                cols.append("@v").append(i);
                set.append(set.length() == 0 ? " SET " : ", ").append(q(col)).append(" = (@v").append(i).append(" = 'true')");
            } else {
                cols.append(q(col));
            }
        }
        String sql = "LOAD DATA LOCAL INFILE 'skyforge.csv' INTO TABLE " + q(into) + " CHARACTER SET utf8mb4"
                + " FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '' LINES TERMINATED BY '\\n'"
                + " (" + cols + ")" + set;
        long rows = localInfile ? loadData(c, sql, load) : insert(c, into, load, types);
        if (rows != load.expectedRows()) {
            throw new SkyforgeException(ErrorCode.CONFLICT, what + ": the database took " + rows + " of " + load.expectedRows()
                    + " rows (LOCAL loads skip rows that break a key instead of failing)" + firstWarning(c));
        }
        String warning = firstWarning(c);
        if (!warning.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, what + ": the database changed values while loading" + warning);
        }
        return rows;
    }

    @Override
    public List<Long> loadPartsDeferred(List<PartLoad> loads) {
        throw new SkyforgeException(ErrorCode.UNSUPPORTED, engine + " has no deferrable constraints: a foreign-key cycle"
                + " loads its closing key as NULL first and sets it afterwards");
    }

    @Override
    public ForwardKey forwardKey(String table, ForeignKeyDef fk) {
        try (Connection c = connect()) {
            // both drivers call the database a catalog, Connector/J a schema with databaseTerm=SCHEMA
            boolean asCatalog = c.getCatalog() != null;
            return ForwardKey.inspect(c, asCatalog ? database : null, asCatalog ? null : database, table, fk);
        } catch (SQLException e) {
            throw JdbcErrors.statement("reading the foreign keys of " + table, e);
        }
    }

    @Override
    public long updateColumns(PartLoad load, List<String> columns) {
        TableDef t = load.table();
        String what = "setting " + columns + " of part " + load.part() + " of " + load.parts() + " of table " + t.name();
        String stage = "skyforge_stage_" + t.name();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                Map<String, String> types = columnTypes(c, t.name());
                // temporary tables do not end the transaction, and vanish with the connection
                st.execute("CREATE TEMPORARY TABLE " + q(stage) + " AS SELECT " + list(load.columns()) + " FROM " + q(t.name()) + " LIMIT 0");
                bulk(c, stage, load, types, what);
                String set = columns.stream().map(col -> "t." + q(col) + " = s." + q(col)).collect(java.util.stream.Collectors.joining(", "));
                String on = t.primaryKey().stream().map(k -> "t." + q(k) + " = s." + q(k))
                        .collect(java.util.stream.Collectors.joining(" AND "));
                long matched = st.executeLargeUpdate("UPDATE " + q(t.name()) + " t JOIN " + q(stage) + " s ON " + on + " SET " + set);
                st.execute("DROP TEMPORARY TABLE " + q(stage));
                c.commit();
                return matched;
            } catch (SQLException | RuntimeException e) {
                LoadJournal.rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw JdbcErrors.statement(what, e);
        }
    }

    /** Multi-row INSERTs of {@value #INSERT_ROWS} rows, fed from the same CSV through a pipe. */
    private static long insert(Connection c, String into, PartLoad load, Map<String, String> types) throws SQLException {
        int n = load.columns().size();
        boolean[] bool = new boolean[n];
        for (int i = 0; i < n; i++) {
            String type = types.getOrDefault(load.columns().get(i), "");
            bool[i] = type.startsWith("tinyint(1)") || type.equals("bit(1)") || type.startsWith("bool");
        }
        String row = "(" + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")";
        String head = "INSERT INTO " + q(into) + " (" + list(load.columns()) + ") VALUES ";
        AtomicReference<Throwable> producerError = new AtomicReference<>();
        long total = 0;
        ChunkPipe pipe = new ChunkPipe();
        Thread producer = producer(load, pipe.out(), producerError);
        try (InputStream in = pipe.in();
             PreparedStatement full = c.prepareStatement(head + String.join(", ", java.util.Collections.nCopies(INSERT_ROWS, row)))) {
            producer.start();
            try {
                CsvRecords records = new CsvRecords(in, "NULL");
                List<List<String>> batch = new ArrayList<>(INSERT_ROWS);
                for (List<String> r = records.next(); r != null; r = records.next()) {
                    batch.add(r);
                    if (batch.size() == INSERT_ROWS) {
                        total += bind(full, batch, bool).executeLargeUpdate();
                        batch.clear();
                    }
                }
                if (!batch.isEmpty()) {
                    try (PreparedStatement rest = c.prepareStatement(head + String.join(", ", java.util.Collections.nCopies(batch.size(), row)))) {
                        total += bind(rest, batch, bool).executeLargeUpdate();
                    }
                }
            } finally {
                in.close();
                join(producer);
            }
        } catch (IOException e) {
            rethrow(producerError, load);
            throw new SkyforgeException(ErrorCode.IO, "reading generated rows failed: " + e.getMessage(), e);
        }
        rethrow(producerError, load);
        return total;
    }

    private static PreparedStatement bind(PreparedStatement ps, List<List<String>> batch, boolean[] bool) throws SQLException {
        int i = 1;
        for (List<String> r : batch) {
            for (int c = 0; c < r.size(); c++) {
                String v = r.get(c);
                if (v == null) {
                    ps.setNull(i++, java.sql.Types.VARCHAR);
                } else if (bool[c]) {
                    ps.setBoolean(i++, v.equals("true"));
                } else {
                    ps.setString(i++, v);
                }
            }
        }
        return ps;
    }

    private static String firstWarning(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW WARNINGS LIMIT 1")) {
            return rs.next() ? ": " + rs.getString(3) : "";
        }
    }

    /** Streams the CSV through a pipe: the driver reads it as the local file while a thread writes it. */
    private static long loadData(Connection c, String sql, PartLoad load) throws SQLException {
        AtomicReference<Throwable> producerError = new AtomicReference<>();
        ChunkPipe pipe = new ChunkPipe();
        Thread producer = producer(load, pipe.out(), producerError);
        try (InputStream in = pipe.in(); Statement st = c.createStatement()) {
            if (st.isWrapperFor(org.mariadb.jdbc.Statement.class)) {
                st.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(in);
            } else {
                st.unwrap(com.mysql.cj.jdbc.JdbcStatement.class).setLocalInfileInputStream(in);
            }
            producer.start();
            long rows;
            try {
                rows = st.executeLargeUpdate(sql);
            } finally {
                in.close();
                join(producer);
            }
            rethrow(producerError, load);
            return rows;
        } catch (IOException e) {
            throw new SkyforgeException(ErrorCode.IO, "streaming rows failed: " + e.getMessage(), e);
        }
    }

    private static Thread producer(PartLoad load, OutputStream sink, AtomicReference<Throwable> error) {
        Thread t = new Thread(() -> {
            try (OutputStream out = sink) {
                load.rows().writeCsv(out, "NULL");
            } catch (Throwable e) {
                error.set(e);
            }
        }, "skyforge-load-" + load.table().name() + "-" + load.part());
        t.setDaemon(true);
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rethrow(AtomicReference<Throwable> producerError, PartLoad load) {
        Throwable t = producerError.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t != null) {
            throw new SkyforgeException(ErrorCode.IO, "generating rows for " + load.table().name() + " failed: " + t.getMessage(), t);
        }
    }

    @Override
    public void afterLoad(List<TableDef> tables) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (TableDef t : tables) {
                try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns"
                        + " WHERE table_schema = DATABASE() AND table_name = ? AND extra LIKE '%auto_increment%'")) {
                    ps.setString(1, t.name());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            String col = rs.getString(1);
                            long max;
                            try (Statement s2 = c.createStatement(); ResultSet m = s2.executeQuery("SELECT COALESCE(MAX(" + q(col) + "), 0) FROM " + q(t.name()))) {
                                m.next();
                                max = m.getLong(1);
                            }
                            // InnoDB already moves past explicit values; saying it keeps the guarantee explicit on every engine
                            st.execute("ALTER TABLE " + q(t.name()) + " AUTO_INCREMENT = " + (max + 1));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw JdbcErrors.statement("advancing auto-increment counters", e);
        }
    }

    @Override
    public void close() {
        // connections are per operation; nothing is held between calls
    }
}
