package io.skyforge.spi.tabular;

import java.util.List;

/**
 * One database: its schema can be read, tables created, and parts of tables bulk loaded. Each
 * {@link #loadPart} runs on its own connection in one transaction, so parts load in parallel and a
 * failed part leaves nothing behind. Thread-safe.
 */
public interface TabularTarget extends AutoCloseable {

    /** {@code postgresql}, {@code mariadb} or {@code mysql}: what is really on the other end. */
    String engine();

    /**
     * The live schema.
     *
     * @param schema the schema (PostgreSQL) or database (MySQL) to read; null for the connection's current one
     * @param tables only these tables (empty: all base tables)
     */
    DatabaseSchema readSchema(String schema, List<String> tables);

    /** Creates each table that does not exist yet, then the foreign keys between them. */
    void createTables(List<TableDef> tables);

    /** Whether a table exists (in the current schema). */
    boolean exists(String table);

    long rowCount(String table);

    /** Empties the tables (given children first), in one statement or transaction where the engine allows. */
    void truncate(List<String> tables);

    /**
     * The committed parts of a load identified by {@code loadId} (the spec hash), from the journal
     * kept in the database, so a re-run skips them.
     */
    List<PartRecord> committedParts(String loadId);

    /**
     * Loads one part in one transaction on a fresh connection, and records it in the journal in the
     * same transaction.
     *
     * @return rows loaded
     */
    long loadPart(PartLoad load);

    /**
     * Loads several parts in ONE transaction on one connection with every DEFERRABLE constraint
     * deferred to the commit, each part journaled in it: the tables of a foreign-key cycle whose
     * closing key is deferrable then reference each other's rows. Engines without deferrable
     * constraints refuse with {@code SF-UNSUPPORTED}.
     *
     * @return rows loaded, per part in order
     */
    List<Long> loadPartsDeferred(List<PartLoad> loads);

    /**
     * What the database allows for {@code fk} of {@code table} when its rows must be loaded before
     * the rows they reference (one key of every foreign-key cycle between tables).
     */
    ForwardKey forwardKey(String table, ForeignKeyDef fk);

    /**
     * Sets {@code columns} of rows already loaded to the values in the part's rows (CSV of all
     * {@code load.columns()}, as for {@link #loadPart}), matched on the table's primary key, in one
     * transaction: the second step of loading a cycle's foreign key as NULL first.
     *
     * @return rows matched
     */
    long updateColumns(PartLoad load, List<String> columns);

    /** Prepares tables before any part loads (e.g. lets identity columns take explicit values). */
    void beforeLoad(List<TableDef> tables);

    /** After every part: advances sequences / auto-increment past the loaded keys, restores what beforeLoad changed. */
    void afterLoad(List<TableDef> tables);

    @Override
    void close();
}
