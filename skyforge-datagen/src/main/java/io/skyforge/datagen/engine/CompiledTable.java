package io.skyforge.datagen.engine;

import io.skyforge.datagen.spec.ColumnSpec;
import io.skyforge.datagen.spec.ColumnType;
import io.skyforge.datagen.spec.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One table ready to generate: any row, in any order, on any thread (with its own {@link Ctx}). */
public final class CompiledTable {

    private final TableSpec spec;
    private final int index;
    private final long rows;
    private final ColumnType[] types;
    private final ColumnGen[] gens;
    private final int[] order;
    private final ParentIndex parent;
    private final int[] visible;
    private final Map<String, String> foreignKeys;

    CompiledTable(TableSpec spec, int index, long rows, ColumnType[] types, ColumnGen[] gens, int[] order,
                  ParentIndex parent, Map<String, String> foreignKeys) {
        this.spec = spec;
        this.index = index;
        this.rows = rows;
        this.types = types.clone();
        this.gens = gens.clone();
        this.order = order.clone();
        this.parent = parent;
        this.foreignKeys = Map.copyOf(foreignKeys);
        List<Integer> v = new ArrayList<>();
        for (int i = 0; i < spec.columns().size(); i++) {
            if (!spec.columns().get(i).hidden()) {
                v.add(i);
            }
        }
        this.visible = v.stream().mapToInt(Integer::intValue).toArray();
    }

    public String name() {
        return spec.name();
    }

    public TableSpec spec() {
        return spec;
    }

    public int index() {
        return index;
    }

    public long rows() {
        return rows;
    }

    public int columnCount() {
        return types.length;
    }

    public ColumnType type(int column) {
        return types[column];
    }

    public String columnName(int column) {
        return spec.columns().get(column).name();
    }

    public ColumnSpec column(int column) {
        return spec.columns().get(column);
    }

    /** Indexes of the columns that are written (not hidden), in spec order. */
    public int[] visibleColumns() {
        return visible.clone();
    }

    public List<String> primaryKey() {
        return spec.primaryKey();
    }

    /** Column name to {@code table.column} it references. */
    public Map<String, String> foreignKeys() {
        return foreignKeys;
    }

    ParentIndex parentIndex() {
        return parent;
    }

    /** Computes every column of row {@code row} into {@code r}. */
    public void fill(long row, Row r, Ctx ctx) {
        r.index = row;
        ColumnGen[] g = gens;
        for (int c : order) {
            r.nulls[c] = false;
            g[c].fill(row, r, c, ctx);
        }
    }

    /** Computes only the given columns (already in dependency order), for foreign-key re-derivation. */
    void fill(long row, Row r, Ctx ctx, int[] columns) {
        r.index = row;
        for (int c : columns) {
            r.nulls[c] = false;
            gens[c].fill(row, r, c, ctx);
        }
    }
}
