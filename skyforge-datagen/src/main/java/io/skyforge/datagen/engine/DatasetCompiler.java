package io.skyforge.datagen.engine;

import io.skyforge.core.codec.SourceMap;
import io.skyforge.core.validation.Suggest;
import io.skyforge.datagen.gen.Generators;
import io.skyforge.datagen.spec.ColumnSpec;
import io.skyforge.datagen.spec.ColumnType;
import io.skyforge.datagen.spec.DatasetDefinition;
import io.skyforge.datagen.spec.Params;
import io.skyforge.datagen.spec.RowsSpec;
import io.skyforge.datagen.spec.SpecParser;
import io.skyforge.datagen.spec.TableSpec;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a {@code Dataset} spec completely and turns it into a {@link CompiledDataset}: generators
 * built and adapted to their column types, evaluation order resolved, foreign keys wired for
 * re-derivation. Every problem is reported together, each located in the source document.
 */
public final class DatasetCompiler {

    private DatasetCompiler() {
    }

    /**
     * @throws SkyforgeException {@link ErrorCode#VALIDATION} with every violation when the spec is invalid
     */
    public static CompiledDataset compile(JsonNode spec, SourceMap sourceMap, GenerateOptions options) {
        Compilation c = new Compilation(spec, sourceMap, options);
        c.run();
        if (!c.violations.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION,
                    "invalid Dataset spec in " + (sourceMap.source().isEmpty() ? "input" : sourceMap.source())
                            + ": " + c.violations.size() + " problem(s), the first: " + c.violations.get(0).describe(), c.violations);
        }
        return c.result();
    }

    /** Every problem of the spec, empty when it compiles. */
    public static List<Violation> check(JsonNode spec, SourceMap sourceMap) {
        Compilation c = new Compilation(spec, sourceMap, GenerateOptions.defaults());
        c.run();
        return List.copyOf(c.violations);
    }

    static final class TableState {
        final TableSpec spec;
        final int index;
        final long key;
        final long[] columnKeys;
        final ColumnType[] types;
        final ColumnGen[] gens;
        final int[] state;
        final List<Integer> order = new ArrayList<>();
        final List<BitSet> deps = new ArrayList<>();
        final Map<String, String> foreignKeys = new LinkedHashMap<>();
        final Map<String, Boolean> requiredForeignTables = new LinkedHashMap<>();
        long rows = -1;
        int rowsState;
        ParentIndex parent;

        TableState(TableSpec spec, int index, long seed) {
            this.spec = spec;
            this.index = index;
            this.key = Mix.key(seed, "table:" + spec.name());
            int n = spec.columns().size();
            columnKeys = new long[n];
            types = new ColumnType[n];
            gens = new ColumnGen[n];
            state = new int[n];
            for (int i = 0; i < n; i++) {
                columnKeys[i] = Mix.key(key, "column:" + spec.columns().get(i).name());
                deps.add(new BitSet());
            }
        }
    }

    /** One reference group: the parent table, the parent columns needed, the draw shared by its columns. */
    static final class Group {
        final int id;
        final TableState target;
        final BitSet columns = new BitSet();
        final String distribution;
        int[] order;

        Group(int id, TableState target, String distribution) {
            this.id = id;
            this.target = target;
            this.distribution = distribution;
        }
    }

    static final class Compilation {
        final JsonNode spec;
        final SourceMap sourceMap;
        final GenerateOptions options;
        final List<Violation> violations = new ArrayList<>();
        DatasetDefinition definition;
        long seed;
        double scale;
        final Map<String, TableState> tables = new LinkedHashMap<>();
        final Map<String, Group> groups = new HashMap<>();
        final List<Group> groupList = new ArrayList<>();

        Compilation(JsonNode spec, SourceMap sourceMap, GenerateOptions options) {
            this.spec = spec;
            this.sourceMap = sourceMap;
            this.options = options;
        }

        void run() {
            SpecParser.Result parsed = SpecParser.parse(spec, sourceMap);
            violations.addAll(parsed.violations());
            definition = parsed.definition();
            if (definition == null) {
                return;
            }
            seed = options.seed() != null ? options.seed() : definition.seed();
            scale = options.scale() != null ? options.scale() : definition.scale();
            int i = 0;
            for (TableSpec t : definition.tables()) {
                tables.putIfAbsent(t.name(), new TableState(t, i++, seed));
            }
            for (String name : options.rows().keySet()) {
                if (!tables.containsKey(name)) {
                    violations.add(Violation.at("rows", "no table '" + name + "' to set the row count of"
                            + Suggest.didYouMean(name, tables.keySet())));
                }
            }
            for (TableState t : tables.values()) {
                resolveRows(t, new ArrayList<>());
            }
            for (TableState t : tables.values()) {
                for (int c = 0; c < t.spec.columns().size(); c++) {
                    compileColumn(t, c);
                }
            }
            for (Group g : groupList) {
                closeGroup(g);
            }
            checkRequiredCycles();
            // in file order, as a compiler lists them
            violations.sort(java.util.Comparator.comparingInt(Violation::line).thenComparingInt(Violation::column));
        }

        void resolveRows(TableState t, List<String> path) {
            if (t.rowsState == 2) {
                return;
            }
            if (t.rowsState == 1) {
                violations.add(sourceMap.at(t.spec.path() + ".rows.perParent.table",
                        "perParent chain forms a cycle: " + String.join(" -> ", path) + " -> " + t.spec.name()));
                t.rows = 0;
                t.rowsState = 2;
                return;
            }
            t.rowsState = 1;
            path.add(t.spec.name());
            Long override = options.rows().get(t.spec.name());
            if (t.spec.rows() instanceof RowsSpec.Count count) {
                t.rows = override != null ? override : count.resolve(scale);
            } else if (t.spec.rows() instanceof RowsSpec.PerParent pp) {
                TableState parent = tables.get(pp.table());
                if (parent == null) {
                    violations.add(sourceMap.at(t.spec.path() + ".rows.perParent.table", "unknown table '" + pp.table() + "'"
                            + Suggest.didYouMean(pp.table(), tables.keySet())));
                    t.rows = 0;
                } else if (parent == t) {
                    violations.add(sourceMap.at(t.spec.path() + ".rows.perParent.table", "a table cannot be its own perParent parent"));
                    t.rows = 0;
                } else {
                    resolveRows(parent, path);
                    t.parent = new ParentIndex(parent.index, parent.rows, pp.min(), pp.max(), Mix.key(t.key, "children"));
                    t.rows = t.parent.totalChildren();
                    if (override != null) {
                        violations.add(Violation.at("rows", "table '" + t.spec.name()
                                + "' has its rows per parent row; set the parent's row count instead"));
                    }
                }
            }
            path.remove(path.size() - 1);
            t.rowsState = 2;
        }

        void compileColumn(TableState t, int c) {
            if (t.state[c] == 2) {
                return;
            }
            ColumnSpec cs = t.spec.columns().get(c);
            if (t.state[c] == 1) {
                violations.add(sourceMap.at(cs.path() + ".generator",
                        "column '" + t.spec.name() + "." + cs.name() + "' depends on itself through other columns; the dependencies cannot be ordered"));
                return;
            }
            t.state[c] = 1;
            t.gens[c] = build(t, c, cs);
            if (t.types[c] == null) {
                t.types[c] = cs.type() != null ? cs.type() : ColumnType.of(ColumnType.Kind.VARCHAR);
            }
            t.state[c] = 2;
            t.order.add(c);
        }

        /** Resolves a generator node (a name, an object with kind, or in sub-generators a literal) to a Built. */
        Built buildRaw(TableState t, int c, JsonNode genNode, String genPath, long key, boolean sub) {
            if (sub && !genNode.isObject()) {
                ObjectNode literal = JsonNodeFactory.instance.objectNode();
                literal.set("value", genNode);
                GeneratorFactory constant = Generators.get("constant");
                return constant.build(new GenContext(this, t, c, new Params(literal, genPath, sourceMap, violations), "constant", key, true));
            }
            String kind;
            ObjectNode params;
            if (genNode.isString()) {
                kind = genNode.asString();
                params = JsonNodeFactory.instance.objectNode();
            } else {
                JsonNode k = genNode.get("kind");
                if (k == null || !k.isString()) {
                    violations.add(sourceMap.at(genPath + ".kind", "a generator object needs a kind, e.g. {kind: uniform, min: 1, max: 10}"));
                    return null;
                }
                kind = k.asString();
                params = (ObjectNode) genNode;
            }
            GeneratorFactory f = Generators.get(kind);
            String kindPath = genNode.isString() ? genPath : genPath + ".kind";
            if (f == null) {
                violations.add(sourceMap.at(kindPath, "unknown generator '" + kind + "'" + Suggest.didYouMean(kind, Generators.kinds())
                        + "; see docs/dataset-spec.md for the list"));
                return null;
            }
            Params p = new Params(params, genPath, sourceMap, violations);
            List<String> allowed = new ArrayList<>(f.params());
            allowed.add("kind");
            p.allowOnly(allowed);
            int before = violations.size();
            Built b = f.build(new GenContext(this, t, c, p, kind, key, sub));
            if (b == null || violations.size() > before) {
                return null;
            }
            return b;
        }

        /** Adapts a Built to a column type; null (with a violation at {@code typePath}) when it cannot be. */
        ColumnGen adapt(Built b, ColumnType declared, String kind, String typePath, ColumnType[] chosen) {
            if (b.direct() != null) {
                ColumnType type = b.fixedType();
                if (declared != null && !sameStorage(declared, type)) {
                    violations.add(sourceMap.at(typePath, "generator '" + kind + "' yields " + type
                            + " values here; declare the column as " + type + " or leave the type out"));
                    return null;
                }
                chosen[0] = declared != null ? declared : type;
                return b.direct();
            }
            ColumnType type = declared != null ? declared : b.natural().defaultType();
            ColumnGen gen = Adapt.adapt(b.natural(), b.source(), type);
            if (gen == null) {
                violations.add(sourceMap.at(typePath, "generator '" + kind + "' produces "
                        + b.natural().name().toLowerCase(java.util.Locale.ROOT) + " values, which cannot be stored as " + type
                        + "; use e.g. " + b.natural().defaultType()));
                return null;
            }
            if (type.kind() == ColumnType.Kind.DECIMAL && !Double.isNaN(b.max())) {
                double limit = type.maxUnscaled() / Math.pow(10, type.scale());
                double most = Math.max(Math.abs(b.min()), Math.abs(b.max()));
                if (most > limit) {
                    violations.add(sourceMap.at(typePath, "decimal precision overflow: " + type
                            + " holds at most " + fmt(limit) + " but the generator yields values up to " + fmt(most)));
                    return null;
                }
            }
            chosen[0] = type;
            return gen;
        }

        ColumnGen sub(TableState t, int c, JsonNode node, String path, long key, ColumnType type) {
            Built b = buildRaw(t, c, node, path, key, true);
            if (b == null) {
                return null;
            }
            return adapt(b, type, node.isObject() && node.has("kind") ? node.get("kind").asString() : "constant",
                    path, new ColumnType[1]);
        }

        private ColumnGen build(TableState t, int c, ColumnSpec cs) {
            if (cs.generator() == null) {
                return null;
            }
            String genPath = cs.path() + ".generator";
            JsonNode genNode = cs.generator();
            Built b = buildRaw(t, c, genNode, genPath, t.columnKeys[c], false);
            if (b == null) {
                return null;
            }
            String kind = genNode.isString() ? genNode.asString() : genNode.get("kind").asString();
            ColumnType[] chosen = new ColumnType[1];
            ColumnGen gen = adapt(b, cs.type(), kind, cs.type() != null ? cs.path() + ".type" : genPath, chosen);
            if (gen == null) {
                return null;
            }
            ColumnType type = chosen[0];
            t.types[c] = type;
            if (cs.unique()) {
                if (b.uniqueDomain() < 0) {
                    violations.add(sourceMap.at(cs.path() + ".unique", "generator '" + kind
                            + "' has no unique mode; use sequence, uniform (integers), pattern, uuid, date, choice, email or username"));
                    return null;
                }
                if (t.rows > b.uniqueDomain()) {
                    violations.add(sourceMap.at(cs.path() + ".unique", "unique over " + t.rows + " rows needs at least "
                            + t.rows + " distinct values, but generator '" + kind + "' has only " + b.uniqueDomain()));
                    return null;
                }
                if (cs.nullRate() > 0) {
                    violations.add(sourceMap.at(cs.path() + ".nullRate", "a unique or primary-key column cannot have nulls"));
                    return null;
                }
            }
            if (cs.nullRate() > 0) {
                long nullKey = Mix.key(t.columnKeys[c], "null");
                double rate = cs.nullRate();
                ColumnGen inner = gen;
                gen = (row, r, col, ctx) -> {
                    if (Mix.unit(Mix.cell(nullKey, row)) < rate) {
                        r.nulls[col] = true;
                    } else {
                        r.nulls[col] = false;
                        inner.fill(row, r, col, ctx);
                    }
                };
            }
            return gen;
        }

        private static String fmt(double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e18 ? Long.toString((long) d) : Double.toString(d);
        }

        private static boolean sameStorage(ColumnType a, ColumnType b) {
            if (a.kind() == b.kind()) {
                return a.kind() != ColumnType.Kind.DECIMAL || a.scale() == b.scale();
            }
            return (a.isIntegral() && b.isIntegral()) || (a.isText() && b.isText());
        }

        GenContext.ColumnRef sameRow(TableState t, int from, Params p, String key, String name) {
            int idx = t.spec.indexOf(name);
            if (idx < 0) {
                p.error(key, "no column '" + name + "' in table '" + t.spec.name() + "'"
                        + Suggest.didYouMean(name, t.spec.columns().stream().map(ColumnSpec::name).toList()));
                return null;
            }
            if (idx == from) {
                p.error(key, "a column cannot read itself");
                return null;
            }
            compileColumn(t, idx);
            t.deps.get(from).set(idx);
            return new GenContext.ColumnRef(idx, name, t.types[idx] == null ? ColumnType.of(ColumnType.Kind.VARCHAR) : t.types[idx]);
        }

        /** Resolves a foreign key's target: compiles the parent column and joins (or opens) the reference group. */
        Reference reference(TableState t, int from, Params p, String tableName, String columnName, String groupName,
                            String distribution, boolean explicit) {
            TableState target = tables.get(tableName);
            if (target == null) {
                p.error("table", "foreign key to unknown table '" + tableName + "'" + Suggest.didYouMean(tableName, tables.keySet()));
                return null;
            }
            int idx = target.spec.indexOf(columnName);
            if (idx < 0) {
                p.error("column", "foreign key to unknown column '" + tableName + "." + columnName + "'"
                        + Suggest.didYouMean(columnName, target.spec.columns().stream().map(ColumnSpec::name).toList()));
                return null;
            }
            if (target == t && idx == from) {
                p.error("column", "a column cannot reference itself");
                return null;
            }
            compileColumn(target, idx);
            if (target.types[idx] == null) {
                return null;
            }
            String gkey = t.index + "/" + groupName;
            Group g = groups.get(gkey);
            if (g == null) {
                g = new Group(groupList.size(), target, distribution);
                groups.put(gkey, g);
                groupList.add(g);
            } else if (g.target != target) {
                p.error("group", "group '" + groupName + "' already refers to table '" + g.target.spec.name() + "'");
                return null;
            } else if (explicit && !g.distribution.equals(distribution)) {
                p.error("distribution", "columns of one reference group share one parent row, so they need the same distribution ('"
                        + g.distribution + "')");
                return null;
            }
            g.columns.set(idx);
            t.foreignKeys.put(t.spec.columns().get(from).name(), tableName + "." + columnName);
            if (target != t) {
                boolean required = t.spec.columns().get(from).nullRate() == 0;
                t.requiredForeignTables.merge(tableName, required, Boolean::logicalOr);
            }
            return new Reference(g.id, target, idx, target.types[idx], g.distribution);
        }

        record Reference(int group, TableState target, int column, ColumnType type, String distribution) {
        }

        private void closeGroup(Group g) {
            TableState t = g.target;
            BitSet need = (BitSet) g.columns.clone();
            boolean grew = true;
            while (grew) {
                grew = false;
                for (int c = need.nextSetBit(0); c >= 0; c = need.nextSetBit(c + 1)) {
                    BitSet d = t.deps.get(c);
                    BitSet before = (BitSet) need.clone();
                    need.or(d);
                    if (!need.equals(before)) {
                        grew = true;
                    }
                }
            }
            g.order = t.order.stream().filter(need::get).mapToInt(Integer::intValue).toArray();
        }

        /** Tables whose non-null foreign keys point at each other in a ring cannot be loaded in any order. */
        private void checkRequiredCycles() {
            Map<String, Integer> color = new HashMap<>();
            for (TableState t : tables.values()) {
                List<String> path = new ArrayList<>();
                if (findCycle(t, color, path)) {
                    violations.add(sourceMap.at(t.spec.path(), "foreign keys without nulls form a cycle: "
                            + String.join(" -> ", path) + "; give one of them a nullRate so rows can be loaded in order"));
                    return;
                }
            }
        }

        private boolean findCycle(TableState t, Map<String, Integer> color, List<String> path) {
            Integer c = color.get(t.spec.name());
            if (c != null && c == 2) {
                return false;
            }
            path.add(t.spec.name());
            if (c != null && c == 1) {
                return true;
            }
            color.put(t.spec.name(), 1);
            for (Map.Entry<String, Boolean> e : t.requiredForeignTables.entrySet()) {
                if (e.getValue() && findCycle(tables.get(e.getKey()), color, path)) {
                    return true;
                }
            }
            color.put(t.spec.name(), 2);
            path.remove(path.size() - 1);
            return false;
        }

        CompiledDataset result() {
            List<CompiledTable> out = new ArrayList<>();
            for (TableState t : tables.values()) {
                out.add(new CompiledTable(t.spec, t.index, t.rows, t.types, t.gens,
                        t.order.stream().mapToInt(Integer::intValue).toArray(), t.parent, t.foreignKeys));
            }
            int[] groupTables = new int[groupList.size()];
            int[][] groupOrders = new int[groupList.size()][];
            for (Group g : groupList) {
                groupTables[g.id] = g.target.index;
                groupOrders[g.id] = g.order;
            }
            List<String> order = new ArrayList<>();
            Set<String> done = new TreeSet<>();
            for (TableState t : tables.values()) {
                loadOrder(t, done, order);
            }
            return new CompiledDataset(definition, spec, seed, scale, out, groupTables, groupOrders, order);
        }

        private void loadOrder(TableState t, Set<String> done, List<String> order) {
            if (!done.add(t.spec.name())) {
                return;
            }
            for (String dep : t.requiredForeignTables.keySet()) {
                loadOrder(tables.get(dep), done, order);
            }
            order.add(t.spec.name());
        }
    }
}
