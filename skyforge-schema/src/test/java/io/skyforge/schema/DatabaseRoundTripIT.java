package io.skyforge.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.core.codec.SourceMap;
import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.DatasetCompiler;
import io.skyforge.datagen.engine.GenerateOptions;
import io.skyforge.schema.load.DatasetLoader;
import io.skyforge.schema.load.LoadOptions;
import io.skyforge.schema.load.LoadResult;
import io.skyforge.schema.mapping.SchemaMapper;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.tabular.ConnectionConfig;
import io.skyforge.spi.tabular.DatabaseSchema;
import io.skyforge.spi.tabular.DbTable;
import io.skyforge.spi.tabular.ForeignKeyDef;
import io.skyforge.spi.tabular.PartLoad;
import io.skyforge.spi.tabular.TabularProviders;
import io.skyforge.spi.tabular.TabularTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Apply a sample schema's DDL with every constraint → import → generate → load → the database
 * accepted every row and every foreign key joins; a killed part re-runs to exact counts. One
 * subclass per engine; each test creates and drops its own database.
 */
abstract class DatabaseRoundTripIT {

    abstract String adminUrl();

    abstract String url(String database);

    abstract String ddlSuffix();

    abstract void createDatabase(Statement admin, String name) throws SQLException;

    abstract void dropDatabase(Statement admin, String name) throws SQLException;

    abstract String howToStart();

    /** Schemas this engine has DDL for, under examples/schemas/NAME.SUFFIX. */
    List<String> schemas() {
        return List.of("clinic", "rental", "music", "orders", "tpch");
    }

    private Connection admin() {
        try {
            return DriverManager.getConnection(adminUrl());
        } catch (SQLException e) {
            Assumptions.assumeFalse(Boolean.getBoolean("skyforge.skipServices"), "service down, skipped: " + e.getMessage());
            throw new AssertionError(howToStart() + " (" + e.getMessage() + ")", e);
        }
    }

    interface DbTest {
        void run(String url) throws Exception;
    }

    void withDatabase(DbTest test) throws Exception {
        String name = "sf_it_" + Long.toHexString(System.nanoTime());
        try (Connection c = admin(); Statement st = c.createStatement()) {
            createDatabase(st, name);
            try {
                test.run(url(name));
            } finally {
                dropDatabase(st, name);
            }
        }
    }

    static void applyDdl(String url, Path file) throws Exception {
        String sql = Files.readString(file).replaceAll("(?m)^--.*$", "");
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            for (String s : sql.split(";")) {
                if (!s.isBlank()) {
                    st.execute(s);
                }
            }
        }
    }

    static Path schemaFile(String name, String suffix) {
        return Path.of("..", "examples", "schemas", name + "." + suffix + ".sql");
    }

    static CompiledDataset compile(ObjectNode dataset) {
        return DatasetCompiler.compile(dataset.get("spec"), SourceMap.empty("imported"), GenerateOptions.defaults());
    }

    static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    abstract String q(String ident);

    /** Rows of the child whose (non-null) foreign key finds no parent. */
    long orphans(String url, DbTable t, ForeignKeyDef f) throws SQLException {
        String on = java.util.stream.IntStream.range(0, f.columns().size())
                .mapToObj(i -> "p." + q(f.refColumns().get(i)) + " = c." + q(f.columns().get(i))).collect(Collectors.joining(" AND "));
        String notNull = f.columns().stream().map(col -> "c." + q(col) + " IS NOT NULL").collect(Collectors.joining(" AND "));
        return count(url, "SELECT COUNT(*) FROM " + q(t.name()) + " c WHERE " + notNull + " AND NOT EXISTS (SELECT 1 FROM "
                + q(f.refTable()) + " p WHERE " + on + ")");
    }

    @Test
    void shouldLoadEverySampleSchemaWithEveryConstraintSatisfiedAndEveryForeignKeyJoining() throws Exception {
        for (String schema : schemas()) {
            withDatabase(url -> {
                applyDdl(url, schemaFile(schema, ddlSuffix()));
                try (TabularTarget target = TabularProviders.forUrl(url).open(ConnectionConfig.of(url))) {
                    DatabaseSchema db = target.readSchema(null, List.of());
                    ObjectNode dataset = SchemaMapper.map(db, new SchemaMapper.Options(schema, false, 6000, false, 7));
                    CompiledDataset compiled = compile(dataset);
                    long largest = compiled.tables().stream().mapToLong(t -> t.rows()).max().orElseThrow();
                    assertThat(largest).as(schema + ": rows in the largest table").isGreaterThanOrEqualTo(10_000);

                    LoadResult r = DatasetLoader.load(compiled, target, new LoadOptions(false, false, false, 4, 2, List.of()), n -> { });

                    for (var t : compiled.tables()) {
                        assertThat(target.rowCount(t.name())).as(schema + "." + t.name()).isEqualTo(t.rows());
                        assertThat(r.loaded().get(t.name())).isEqualTo(t.rows());
                    }
                    for (DbTable t : db.tables()) {
                        for (ForeignKeyDef f : t.foreignKeys()) {
                            assertThat(orphans(url, t, f)).as(schema + ": orphans of " + t.name() + " " + f.columns()).isZero();
                        }
                    }
                    // the same load again finds every part in the journal and adds nothing
                    LoadResult again = DatasetLoader.load(compiled, target, new LoadOptions(false, false, false, 4, 2, List.of()), n -> { });
                    assertThat(again.totalRows()).isZero();
                    assertThat(again.skippedParts()).isEqualTo(r.loadedParts());
                    // other rows (another seed) into the filled tables need a flag
                    CompiledDataset other = DatasetCompiler.compile(dataset.get("spec"), SourceMap.empty("imported"),
                            new GenerateOptions(null, 8L, Map.of()));
                    assertThatThrownBy(() -> DatasetLoader.load(other, target, LoadOptions.defaults(), n -> { }))
                            .isInstanceOfSatisfying(SkyforgeException.class, e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                                assertThat(e.getMessage()).contains("--truncate").contains("--append");
                            });
                }
            });
        }
    }

    @Test
    void shouldLeaveExactRowCountsWhenAKilledPartIsRerun() throws Exception {
        withDatabase(url -> {
            applyDdl(url, schemaFile("clinic", ddlSuffix()));
            try (TabularTarget real = TabularProviders.forUrl(url).open(ConnectionConfig.of(url))) {
                ObjectNode dataset = SchemaMapper.map(real.readSchema(null, List.of()), new SchemaMapper.Options("clinic", false, 3000, false, 7));
                CompiledDataset compiled = compile(dataset);
                LoadOptions options = new LoadOptions(false, false, false, 4, 2, List.of());
                // part 2 of patient dies mid-stream, as if the loader were killed: its transaction must leave nothing
                TabularTarget failing = new KillingTarget(real, "patient", 2);
                assertThatThrownBy(() -> DatasetLoader.load(compiled, failing, options, n -> { })).isInstanceOf(SkyforgeException.class);
                long partial = real.rowCount("patient");
                assertThat(partial).isLessThan(compiled.table("patient").rows()).isPositive();

                LoadResult rerun = DatasetLoader.load(compiled, real, options, n -> { });

                assertThat(rerun.skippedParts()).isGreaterThan(0);
                for (var t : compiled.tables()) {
                    assertThat(real.rowCount(t.name())).as(t.name()).isEqualTo(t.rows());
                }
            }
        });
    }

    /**
     * Two tables that reference each other: every team has a captain among the players (nullable,
     * one team in ten without), every player a team. Neither can be loaded first with its keys.
     */
    static final String CYCLE_SPEC = """
            apiVersion: data.mcp/v1
            kind: Dataset
            metadata: {name: league}
            spec:
              seed: 11
              tables:
                - name: teams
                  rows: 300
                  primaryKey: [team_id]
                  columns:
                    - {name: team_id, type: bigint, generator: sequence}
                    - {name: budget, type: int, generator: {kind: uniform, min: 1000, max: 9000}}
                    - {name: captain_id, type: bigint, nullRate: %s, generator: {kind: reference, table: players, column: player_id}}
                - name: players
                  rows: 3000
                  primaryKey: [player_id]
                  columns:
                    - {name: player_id, type: bigint, generator: sequence}
                    - {name: team_id, type: bigint, nullRate: %s, generator: {kind: reference, table: teams, column: team_id}}
            """;

    static CompiledDataset cycle(double captainNulls, double teamNulls) {
        var doc = io.skyforge.core.Manifests.documents("league.yaml", CYCLE_SPEC.formatted(captainNulls, teamNulls)).get(0);
        return DatasetCompiler.compile(doc.body().get("spec"), doc.sourceMap(), GenerateOptions.defaults());
    }

    /** The league tables with both keys; {@code captain} and {@code team} are the key columns' and constraints' extra words. */
    void createLeague(String url, String captainColumn, String captainKey, String teamColumn, String teamKey) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE teams (team_id bigint PRIMARY KEY, budget int NOT NULL, captain_id bigint " + captainColumn + ")");
            st.execute("CREATE TABLE players (player_id bigint PRIMARY KEY, team_id bigint " + teamColumn + ")");
            st.execute("ALTER TABLE teams ADD CONSTRAINT teams_captain FOREIGN KEY (captain_id) REFERENCES players (player_id) " + captainKey);
            st.execute("ALTER TABLE players ADD CONSTRAINT players_team FOREIGN KEY (team_id) REFERENCES teams (team_id) " + teamKey);
        }
    }

    /** What the generator says each team's captain is, parsed from the same rows the loader writes. */
    static Map<Long, Long> generatedCaptains(CompiledDataset league) throws IOException {
        var csv = new java.io.ByteArrayOutputStream();
        io.skyforge.datagen.run.PartWriter.writeRows(league, "teams", io.skyforge.datagen.run.PartRange.of(300, 0, 1),
                io.skyforge.datagen.writer.WriterOptions.of(io.skyforge.datagen.writer.Format.CSV).withHeader(false), csv, 1, 64, n -> { });
        Map<Long, Long> captains = new java.util.TreeMap<>();
        for (String line : csv.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.split(",", -1);
            captains.put(Long.parseLong(f[0]), f[2].isEmpty() ? null : Long.parseLong(f[2]));
        }
        return captains;
    }

    static Map<Long, Long> loadedCaptains(String url) throws SQLException {
        Map<Long, Long> captains = new java.util.TreeMap<>();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT team_id, captain_id FROM teams")) {
            while (rs.next()) {
                long captain = rs.getLong(2);
                Long value = rs.wasNull() ? null : captain;
                captains.put(rs.getLong(1), value);
            }
        }
        return captains;
    }

    @Test
    void shouldBreakAForeignKeyCycleByLoadingTheNullableKeyFirstAsNullThenSettingIt() throws Exception {
        withDatabase(url -> assertCycleLoadsNullFirst(url, url));
    }

    /** Loads the league through {@code loadUrl} (MariaDB also through MySQL Connector/J) and checks it through {@code url}. */
    void assertCycleLoadsNullFirst(String url, String loadUrl) throws Exception {
        createLeague(url, "NULL", "", "NOT NULL", "");
        CompiledDataset league = cycle(0.1, 0);
        try (TabularTarget target = TabularProviders.forUrl(loadUrl).open(ConnectionConfig.of(loadUrl))) {
            LoadResult r = DatasetLoader.load(league, target, new LoadOptions(false, false, false, 3, 2, List.of()), n -> { });
            assertThat(r.loaded()).containsEntry("teams", 300L).containsEntry("players", 3000L);
            Map<Long, Long> captains = loadedCaptains(url);
            assertThat(captains).isEqualTo(generatedCaptains(league));
            long withCaptain = captains.values().stream().filter(java.util.Objects::nonNull).count();
            assertThat(withCaptain).isBetween(200L, 299L);
            assertThat(count(url, "SELECT COUNT(*) FROM teams t JOIN players p ON p.player_id = t.captain_id")).isEqualTo(withCaptain);
            // a re-run finds every part journaled and sets the keys again, changing nothing
            LoadResult again = DatasetLoader.load(league, target, new LoadOptions(false, false, false, 3, 2, List.of()), n -> { });
            assertThat(again.totalRows()).isZero();
            assertThat(loadedCaptains(url)).isEqualTo(captains);
        }
    }

    @Test
    void shouldRefuseACycleOfNotNullKeysThatAreNotDeferrableBeforeLoadingAnything() throws Exception {
        withDatabase(url -> {
            createLeague(url, "NOT NULL", "", "NOT NULL", "");
            try (TabularTarget target = TabularProviders.forUrl(url).open(ConnectionConfig.of(url))) {
                assertThatThrownBy(() -> DatasetLoader.load(cycle(0.1, 0), target, LoadOptions.defaults(), n -> { }))
                        .isInstanceOfSatisfying(SkyforgeException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
                            assertThat(e.getMessage()).contains("foreign keys form a cycle between tables")
                                    .contains("teams(captain_id) -> players is NOT NULL and not DEFERRABLE")
                                    .contains("players(team_id) -> teams is NOT NULL and not DEFERRABLE")
                                    .contains("nothing was loaded");
                        });
                assertThat(target.rowCount("teams")).isZero();
                assertThat(target.rowCount("players")).isZero();
            }
        });
    }

    @Test
    void shouldReportAnUnreachableDatabaseWithinTenSeconds() {
        String url = url("nowhere").replaceFirst(":\\d+/", ":1/");
        long start = System.nanoTime();
        assertThatThrownBy(() -> TabularProviders.forUrl(url).open(ConnectionConfig.of(url)))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(11);
    }

    /** A decorator that breaks one part's row stream half-way; every other call goes to the real target. */
    static final class KillingTarget implements TabularTarget {
        private final TabularTarget real;
        private final String table;
        private final int part;

        KillingTarget(TabularTarget real, String table, int part) {
            this.real = real;
            this.table = table;
            this.part = part;
        }

        @Override
        public long loadPart(PartLoad load) {
            if (!load.table().name().equals(table) || load.part() != part) {
                return real.loadPart(load);
            }
            return real.loadPart(new PartLoad(load.loadId(), load.table(), load.columns(), load.part(), load.parts(), load.expectedRows(),
                    (out, nullText) -> load.rows().writeCsv(new OutputStream() {
                        long written;

                        @Override
                        public void write(int b) throws IOException {
                            write(new byte[] {(byte) b}, 0, 1);
                        }

                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            written += len;
                            if (written > 20_000) {
                                throw new IOException("loader killed");
                            }
                            out.write(b, off, len);
                        }
                    }, nullText)));
        }

        @Override public String engine() { return real.engine(); }
        @Override public DatabaseSchema readSchema(String schema, List<String> tables) { return real.readSchema(schema, tables); }
        @Override public void createTables(List<io.skyforge.spi.tabular.TableDef> tables) { real.createTables(tables); }
        @Override public boolean exists(String t) { return real.exists(t); }
        @Override public long rowCount(String t) { return real.rowCount(t); }
        @Override public void truncate(List<String> tables) { real.truncate(tables); }
        @Override public List<io.skyforge.spi.tabular.PartRecord> committedParts(String loadId) { return real.committedParts(loadId); }
        @Override public List<Long> loadPartsDeferred(List<PartLoad> loads) { return real.loadPartsDeferred(loads); }
        @Override public io.skyforge.spi.tabular.ForwardKey forwardKey(String t, ForeignKeyDef fk) { return real.forwardKey(t, fk); }
        @Override public long updateColumns(PartLoad load, List<String> columns) { return real.updateColumns(load, columns); }
        @Override public void beforeLoad(List<io.skyforge.spi.tabular.TableDef> tables) { real.beforeLoad(tables); }
        @Override public void afterLoad(List<io.skyforge.spi.tabular.TableDef> tables) { real.afterLoad(tables); }
        @Override public void close() { }
    }
}
