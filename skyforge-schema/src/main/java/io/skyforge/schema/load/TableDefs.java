package io.skyforge.schema.load;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.spec.ColumnSpec;
import io.skyforge.datagen.spec.RowsSpec;
import io.skyforge.spi.tabular.ColumnDef;
import io.skyforge.spi.tabular.ForeignKeyDef;
import io.skyforge.spi.tabular.TableDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The tables a Dataset describes, in database terms: written columns, primary key, unique columns,
 * and foreign keys read off the reference generators (columns sharing a draw group form one
 * composite key).
 */
public final class TableDefs {

    /** Generators that can produce NULL without a nullRate, so their columns are created nullable. */
    private static final Set<String> MAY_BE_NULL = Set.of("switch", "expr", "template");

    private TableDefs() {
    }

    public static List<TableDef> of(CompiledDataset dataset) {
        List<TableDef> out = new ArrayList<>();
        for (String name : dataset.loadOrder()) {
            out.add(of(dataset.table(name)));
        }
        return out;
    }

    public static TableDef of(CompiledTable t) {
        List<ColumnDef> cols = new ArrayList<>();
        List<List<String>> uniques = new ArrayList<>();
        Map<String, String[]> groups = new LinkedHashMap<>();
        Map<String, List<String[]>> groupCols = new LinkedHashMap<>();
        for (int c : t.visibleColumns()) {
            ColumnSpec cs = t.column(c);
            JsonNode g = cs.generator();
            String kind = g == null ? "" : g.isString() ? g.asString() : g.path("kind").asString("");
            boolean pk = t.primaryKey().contains(cs.name());
            boolean selfRef = kind.equals("reference") && g.path("table").asString("").equals(t.name());
            boolean nullable = !pk && (cs.nullRate() > 0 || selfRef || MAY_BE_NULL.contains(kind));
            cols.add(new ColumnDef(cs.name(), t.type(c).toString(), nullable, false));
            if (cs.unique() && !pk && !(t.primaryKey().size() == 1 && t.primaryKey().get(0).equals(cs.name()))) {
                uniques.add(List.of(cs.name()));
            }
            if (kind.equals("reference")) {
                String refTable = g.path("table").asString();
                String refCol = g.path("column").asString();
                String defaultGroup = t.spec().rows() instanceof RowsSpec.PerParent pp && pp.table().equals(refTable)
                        && !g.has("distribution") ? "parent:" + refTable : "column:" + cs.name();
                String group = g.path("group").asString(defaultGroup);
                groups.putIfAbsent(group, new String[] {refTable});
                groupCols.computeIfAbsent(group, k -> new ArrayList<>()).add(new String[] {cs.name(), refCol});
            }
        }
        List<ForeignKeyDef> fks = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, List<String[]>> e : groupCols.entrySet()) {
            String refTable = groups.get(e.getKey())[0];
            fks.add(new ForeignKeyDef(t.name() + "_fk" + (++n), e.getValue().stream().map(a -> a[0]).toList(), refTable,
                    e.getValue().stream().map(a -> a[1]).toList()));
        }
        return new TableDef(t.name(), cols, t.primaryKey(), uniques, fks);
    }
}
