package io.skyforge.datagen.engine;

import io.skyforge.datagen.spec.Params;
import io.skyforge.datagen.spec.RowsSpec;
import java.util.List;

/**
 * Foreign keys and parent/child structure. A reference draws a parent row index and recomputes the
 * parent's column there, so no parent data is stored or looked up, and any skew is possible.
 */
public final class Relations {

    static final List<String> DISTRIBUTIONS = List.of("uniform", "zipf", "parent", "earlier");

    private Relations() {
    }

    public static GeneratorFactory reference() {
        return new GeneratorFactory() {
            @Override
            public String kind() {
                return "reference";
            }

            @Override
            public List<String> params() {
                return List.of("table", "column", "distribution", "skew", "group");
            }

            @Override
            public Built build(GenContext g) {
                Params p = g.params();
                String table = p.requiredString("table");
                String column = p.requiredString("column");
                if (table == null || column == null) {
                    return null;
                }
                DatasetCompiler.TableState self = g.tableState();
                boolean isSelf = table.equals(self.spec.name());
                boolean isParent = self.spec.rows() instanceof RowsSpec.PerParent pp && pp.table().equals(table);
                String dist = p.string("distribution", isSelf ? "earlier" : isParent ? "parent" : "uniform");
                if (!DISTRIBUTIONS.contains(dist)) {
                    p.error("distribution", "unknown distribution '" + dist + "'"
                            + io.skyforge.core.validation.Suggest.didYouMean(dist, DISTRIBUTIONS) + "; one of " + DISTRIBUTIONS);
                    return null;
                }
                if (isSelf != dist.equals("earlier")) {
                    p.error("distribution", isSelf ? "a self-reference points to an earlier row: use distribution 'earlier'"
                            : "'earlier' is only for references to the same table");
                    return null;
                }
                if (dist.equals("parent") && !isParent) {
                    p.error("distribution", "'parent' needs this table's rows to be {perParent: {table: " + table + "}}");
                    return null;
                }
                double skew = p.number("skew", 1.0, 0.0, 10.0);
                // independent draws unless columns name a shared group (composite keys, parent attributes);
                // children of a perParent table all share their structural parent row anyway
                String group = p.string("group", dist.equals("parent") ? "parent:" + table : "column:" + g.column().name());
                DatasetCompiler.Compilation comp = g.compilation();
                DatasetCompiler.Compilation.Reference ref = comp.reference(self, g.columnIndex(), p, table, column,
                        group, dist + (dist.equals("zipf") ? ":" + skew : ""), p.has("distribution") || p.has("skew"));
                if (ref == null) {
                    return null;
                }
                // a column joining an existing group without naming a distribution takes the group's
                String[] shared = ref.distribution().split(":");
                dist = shared[0];
                if (shared.length > 1) {
                    skew = Double.parseDouble(shared[1]);
                }
                long parentRows = ref.target().rows;
                if (parentRows == 0 && self.rows > 0 && !isSelf) {
                    p.error("table", "table '" + table + "' has no rows to reference");
                    return null;
                }
                long key = Mix.key(self.key, "group:" + group);
                int gid = ref.group();
                int targetCol = ref.column();
                int selfIndex = self.index;
                DatasetCompiler.TableState target = ref.target();
                ParentIndex pi = self.parent;
                double zipfSkew = skew;
                Draw draw = switch (dist) {
                    case "zipf" -> {
                        Distributions.Zipf z = new Distributions.Zipf(parentRows, zipfSkew);
                        yield (row, ctx) -> z.sample(Mix.cell(key, row)) - 1;
                    }
                    case "parent" -> (row, ctx) -> pi.parentOf(row, ctx, selfIndex);
                    case "earlier" -> (row, ctx) -> row == 0 ? -1 : Mix.below(Mix.cell(key, row), row);
                    default -> (row, ctx) -> Mix.below(Mix.cell(key, row), parentRows);
                };
                CompiledTable[] resolved = new CompiledTable[1];
                io.skyforge.datagen.spec.ColumnType.Storage storage = ref.type().storage();
                ColumnGen gen = (row, r, col, ctx) -> {
                    long p0 = draw.parent(row, ctx);
                    if (p0 < 0) {
                        r.nulls[col] = true;
                        return;
                    }
                    Row pr = ctx.groupRows[gid];
                    if (pr.index != p0) {
                        CompiledTable t = resolved[0];
                        if (t == null) {
                            t = ctx.dataset.tables().get(target.index);
                            resolved[0] = t;
                        }
                        t.fill(p0, pr, ctx, ctx.dataset.groupOrder(gid));
                    }
                    if (pr.nulls[targetCol]) {
                        r.nulls[col] = true;
                        return;
                    }
                    switch (storage) {
                        case LONG -> r.longs[col] = pr.longs[targetCol];
                        case DOUBLE -> r.doubles[col] = pr.doubles[targetCol];
                        default -> {
                            StringBuilder sb = r.texts[col];
                            sb.setLength(0);
                            sb.append(pr.texts[targetCol]);
                        }
                    }
                };
                return Built.direct(gen, ref.type()).unique(-1);
            }
        };
    }

    /** 1-based position of a row among the children of its parent (e.g. an order line number). */
    public static GeneratorFactory childIndex() {
        return new GeneratorFactory() {
            @Override
            public String kind() {
                return "childIndex";
            }

            @Override
            public List<String> params() {
                return List.of("start");
            }

            @Override
            public Built build(GenContext g) {
                DatasetCompiler.TableState self = g.tableState();
                if (self.parent == null) {
                    g.params().error(null, "childIndex needs the table's rows to be {perParent: {table: ..., min, max}}");
                    return null;
                }
                long start = g.params().integer("start", 1);
                ParentIndex pi = self.parent;
                int idx = self.index;
                Sources.LongSource s = (row, r, ctx) -> start + pi.ordinal(row, ctx, idx);
                return Built.of(Natural.INTEGER, s);
            }
        };
    }

    @FunctionalInterface
    interface Draw {
        long parent(long row, Ctx ctx);
    }
}
