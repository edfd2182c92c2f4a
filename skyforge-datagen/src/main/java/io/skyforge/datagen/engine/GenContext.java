package io.skyforge.datagen.engine;

import io.skyforge.datagen.dict.Dictionary;
import io.skyforge.datagen.spec.ColumnSpec;
import io.skyforge.datagen.spec.ColumnType;
import io.skyforge.datagen.spec.Params;
import io.skyforge.datagen.spec.TableSpec;
import java.time.LocalDate;
import tools.jackson.databind.JsonNode;

/** What a {@link GeneratorFactory} sees while it builds one column's generator. */
public final class GenContext {

    private final DatasetCompiler.Compilation compilation;
    private final DatasetCompiler.TableState table;
    private final int column;
    private final Params params;
    private final String kind;
    private final long key;
    private final boolean sub;

    GenContext(DatasetCompiler.Compilation compilation, DatasetCompiler.TableState table, int column, Params params,
               String kind, long key, boolean sub) {
        this.compilation = compilation;
        this.table = table;
        this.column = column;
        this.params = params;
        this.kind = kind;
        this.key = key;
        this.sub = sub;
    }

    public String kind() {
        return kind;
    }

    /** The generator's parameters; errors recorded through it are located in the spec. */
    public Params params() {
        return params;
    }

    public ColumnSpec column() {
        return table.spec.columns().get(column);
    }

    public TableSpec table() {
        return table.spec;
    }

    /** The declared type, or null when the spec leaves it to the generator. */
    public ColumnType declaredType() {
        return column().type();
    }

    /** Whether the generator must yield distinct values (never for the branches of a switch). */
    public boolean unique() {
        return !sub && column().unique();
    }

    /** The key of this column (or switch branch): every random draw derives from it and the row index. */
    public long key() {
        return key;
    }

    /** A key for a purpose of this column other than its main draw (e.g. its null mask). */
    public long key(String purpose) {
        return Mix.key(key(), purpose);
    }

    /** A key shared by all columns of this table that use the same named entity (a person, an address). */
    public long entityKey(String entity) {
        return Mix.key(table.key, "entity:" + entity);
    }

    public long rows() {
        return table.rows;
    }

    public String locale() {
        return table.spec.locale();
    }

    public Dictionary dictionary() {
        return Dictionary.forLocale(locale());
    }

    public LocalDate referenceDate() {
        return compilation.definition.referenceDate();
    }

    public long seed() {
        return compilation.seed;
    }

    /** A column of the same row this generator reads; compiles it first and records the dependency. */
    public ColumnRef sameRow(String paramKey, String columnName) {
        return compilation.sameRow(table, column, params, paramKey, columnName);
    }

    /** Builds a switch branch (a generator node or a literal) without adapting it to a type. */
    public Built subBuild(JsonNode node, String path, int branch) {
        return compilation.buildRaw(table, column, node, path, Mix.key(key, "branch:" + branch), true);
    }

    /** Builds a switch branch adapted to {@code type}; null when invalid (violation recorded). */
    public ColumnGen sub(JsonNode node, String path, int branch, ColumnType type) {
        return compilation.sub(table, column, node, path, Mix.key(key, "branch:" + branch), type);
    }

    /** Whether the table has a column of that name (to pick up optional correlations). */
    public boolean hasColumn(String name) {
        return table.spec.indexOf(name) >= 0;
    }

    DatasetCompiler.Compilation compilation() {
        return compilation;
    }

    DatasetCompiler.TableState tableState() {
        return table;
    }

    int columnIndex() {
        return column;
    }

    /** A resolved same-row column: its index in the row and its type. */
    public record ColumnRef(int index, String name, ColumnType type) {
    }
}
