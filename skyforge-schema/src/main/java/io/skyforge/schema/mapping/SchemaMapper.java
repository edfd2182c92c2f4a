package io.skyforge.schema.mapping;

import io.skyforge.core.codec.Json;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import io.skyforge.spi.tabular.ConnectionConfig;
import io.skyforge.spi.tabular.DatabaseSchema;
import io.skyforge.spi.tabular.DbCheck;
import io.skyforge.spi.tabular.DbColumn;
import io.skyforge.spi.tabular.DbTable;
import io.skyforge.spi.tabular.ForeignKeyDef;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a live schema into an editable {@code Dataset}. Everything the database declares that a
 * generator can honour becomes part of a generator (keys, uniqueness, enum labels, simple CHECKs);
 * everything else is written into {@code description} fields, which the spec keeps and the engine
 * ignores, so notes survive apply, edit and re-import, unlike YAML comments.
 */
public final class SchemaMapper {

    public static final long DEFAULT_ROWS = 1000;

    private static final Set<String> PERSON_TABLES = Set.of("customer", "customers", "employee", "employees", "user", "users",
            "person", "people", "actor", "actors", "staff", "member", "members", "author", "authors", "contact", "contacts",
            "student", "students", "patient", "patients", "artist", "artists", "client", "clients");
    private static final Pattern START = Pattern.compile(".*(creat|start|rent|order|open|begin|issue|placed|sign).*");
    private static final Pattern LATER = Pattern.compile(".*(updat|modif|last_update|changed|return|end|ship|deliver|clos|finish|complet|paid|due).*");

    /** What the mapper was asked to do. */
    public record Options(String name, boolean rowsFromStats, long defaultRows, boolean lenient, long seed) {
        public static Options defaults(String name) {
            return new Options(name, false, DEFAULT_ROWS, false, 42);
        }
    }

    private final Options options;
    private final List<Violation> violations = new ArrayList<>();

    private SchemaMapper(Options options) {
        this.options = options;
    }

    /**
     * @throws SkyforgeException VALIDATION listing every column whose type cannot be generated (unless lenient)
     */
    public static ObjectNode map(DatabaseSchema schema, Options options) {
        SchemaMapper m = new SchemaMapper(options);
        ObjectNode doc = m.dataset(schema);
        if (!m.violations.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, m.violations.size() + " column(s) have types the engine cannot generate;"
                    + " pass --lenient to map them to safe types, or drop them with --tables", m.violations);
        }
        return doc;
    }

    /** The YAML text with a header saying where it came from and what to edit. */
    public static String toYaml(ObjectNode dataset, DatabaseSchema schema, ConnectionConfig source) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Imported by `skyforge schema import` from ").append(source.safeUrl()).append(" (").append(schema.engine())
                .append(", schema ").append(schema.schema()).append(").\n");
        sb.append("# Edit row counts and generators, then load it:\n");
        sb.append("#   skyforge generate THIS.yaml --out '").append(source.safeUrl()).append("'\n");
        sb.append("# Notes on what the database declares but the generators do not enforce (complex CHECKs,\n");
        sb.append("# generated columns, types mapped leniently) are in the description fields.\n");
        sb.append(ResourceCodec.toYaml(dataset));
        return sb.toString();
    }

    private ObjectNode dataset(DatabaseSchema schema) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("apiVersion", "data.mcp/v1");
        doc.put("kind", "Dataset");
        ObjectNode meta = doc.putObject("metadata");
        meta.put("name", options.name());
        ObjectNode spec = doc.putObject("spec");
        spec.put("description", "Imported from " + schema.engine() + " schema " + schema.schema());
        spec.put("seed", options.seed());
        spec.put("locale", "en_US");
        ArrayNode tables = spec.putArray("tables");
        Map<String, DbTable> byName = new HashMap<>();
        schema.tables().forEach(t -> byName.put(t.name(), t));
        Map<String, Long> rows = new HashMap<>();
        for (DbTable t : schema.tables()) {
            rows.put(t.name(), options.rowsFromStats() && t.estimatedRows() > 0 ? t.estimatedRows() : options.defaultRows());
        }
        for (DbTable t : schema.tables()) {
            tables.add(table(t, byName, rows));
        }
        return doc;
    }

    private ObjectNode table(DbTable t, Map<String, DbTable> all, Map<String, Long> rows) {
        ObjectNode tn = Json.MAPPER.createObjectNode();
        tn.put("name", t.name());
        List<String> notes = new ArrayList<>();
        Map<String, ForeignKeyDef> fkOf = new HashMap<>();
        for (ForeignKeyDef f : t.foreignKeys()) {
            for (String c : f.columns()) {
                fkOf.putIfAbsent(c, f);
            }
        }
        Map<String, CheckDomain> domains = new HashMap<>();
        Map<String, String> follows = new HashMap<>();
        for (DbCheck ck : t.checks()) {
            String[] order = CheckDomain.ordering(ck);
            if (order != null && orderable(t, order[0], order[1], fkOf) && !follows.containsKey(order[1])) {
                follows.put(order[1], order[0]);
                continue;
            }
            CheckDomain d = CheckDomain.parse(ck);
            if (d != null && t.columns().stream().anyMatch(c -> c.name().equals(d.column()))) {
                domains.merge(d.column(), d, (a, b) -> b);
            } else {
                notes.add("CHECK " + ck.name() + ": " + ck.expression() + " (not turned into a generator; the generators below were chosen to satisfy it where they could)");
            }
        }
        Set<String> unique = new HashSet<>();
        if (t.primaryKey().size() == 1) {
            unique.add(t.primaryKey().get(0));
        }
        for (List<String> u : t.uniques()) {
            if (u.size() == 1) {
                unique.add(u.get(0));
            }
        }
        // a composite key over a foreign key is made unique by generating the rows as children of that parent
        ForeignKeyDef perParent = null;
        Map<String, ObjectNode> special = new LinkedHashMap<>();
        List<ObjectNode> hidden = new ArrayList<>();
        List<List<String>> composite = new ArrayList<>();
        if (t.primaryKey().size() > 1) {
            composite.add(t.primaryKey());
        }
        t.uniques().stream().filter(u -> u.size() > 1).forEach(composite::add);
        for (List<String> key : composite) {
            if (key.stream().anyMatch(unique::contains)) {
                continue;
            }
            ForeignKeyDef first = key.stream().map(fkOf::get).filter(f -> f != null && key.containsAll(f.columns())
                    && !f.refTable().equals(t.name())).findFirst().orElse(null);
            if (first != null && perParent == null) {
                perParent = first;
                long parentRows = rows.getOrDefault(first.refTable(), options.defaultRows());
                ObjectNode r = tn.putObject("rows").putObject("perParent");
                r.put("table", first.refTable());
                r.put("min", 1);
                r.put("max", 3);
                ObjectNode k = Json.MAPPER.createObjectNode();
                k.put("name", "_child_no");
                k.put("type", "int");
                k.put("hidden", true);
                k.put("generator", "childIndex");
                hidden.add(k);
                String anchor = first.columns().get(0);
                List<String> rest = key.stream().filter(col -> !first.columns().contains(col)).toList();
                String distinct = distinctPerChild(t, rest, fkOf, anchor, all, rows, special, hidden);
                if (distinct == null && !rest.isEmpty()) {
                    notes.add("key (" + String.join(", ", key) + ") is unique in the database, but no column could be made"
                            + " distinct per " + first.refTable() + " row: duplicates are possible; adjust the generators");
                }
                notes.add("rows are generated per " + first.refTable() + " row (1 to 3 each), so (" + String.join(", ", key)
                        + ") is unique; parent rows: " + parentRows);
            } else if (first == null) {
                String pick = key.stream().filter(c -> !fkOf.containsKey(c))
                        .max(java.util.Comparator.comparingLong(c -> domainSize(t, c))).orElse(null);
                if (pick != null) {
                    unique.add(pick);
                } else {
                    notes.add("unique key (" + String.join(", ", key) + ") over foreign keys only: duplicates are possible");
                }
            }
        }
        if (perParent == null) {
            tn.put("rows", rows.get(t.name()));
        }
        if (!t.primaryKey().isEmpty()) {
            ArrayNode pk = tn.putArray("primaryKey");
            t.primaryKey().forEach(pk::add);
        }
        ArrayNode cols = tn.putArray("columns");
        List<String> generated = new ArrayList<>();
        for (DbColumn c : t.columns()) {
            if (c.generated()) {
                generated.add(c.name());
                continue;
            }
            ObjectNode after = follows.containsKey(c.name()) ? after(c, follows.get(c.name())) : null;
            ObjectNode cn = column(t, c, fkOf.get(c.name()), perParent, after != null ? after : special.get(c.name()), domains.get(c.name()),
                    unique.contains(c.name()), notes);
            if (cn != null) {
                cols.add(cn);
            }
        }
        hidden.forEach(cols::add);
        if (!generated.isEmpty()) {
            notes.add("generated by the database, not written: " + String.join(", ", generated));
        }
        if (!notes.isEmpty()) {
            tn.put("description", String.join("; ", notes));
        }
        return tn;
    }

    /**
     * Makes one of {@code rest} differ between the children of one parent row: a plain integer
     * numbers them, else a single-column foreign key is offset by the child number, else text is
     * suffixed with it.
     *
     * @return the column chosen, or null
     */
    private String distinctPerChild(DbTable t, List<String> rest, Map<String, ForeignKeyDef> fkOf, String anchor,
                                    Map<String, DbTable> all, Map<String, Long> rows, Map<String, ObjectNode> special,
                                    List<ObjectNode> hidden) {
        for (String col : rest) {
            DbColumn c = column(t, col);
            if (!fkOf.containsKey(col) && Set.of("int", "bigint", "smallint").contains(c.type())) {
                ObjectNode gen = Json.MAPPER.createObjectNode();
                gen.put("kind", "expr");
                gen.put("expr", "_child_no + 1");
                special.put(col, gen);
                return col;
            }
        }
        for (String col : rest) {
            ForeignKeyDef other = fkOf.get(col);
            if (other != null) {
                Optional<ObjectNode> g = offsetReference(col, anchor, other, all, rows);
                if (g.isPresent()) {
                    special.put(col, g.get());
                    // an expression names no table, so a hidden reference keeps the parent loading first
                    ObjectNode order = Json.MAPPER.createObjectNode();
                    order.put("name", "_after_" + other.refTable());
                    order.put("type", "bigint");
                    order.put("hidden", true);
                    ObjectNode ref = order.putObject("generator");
                    ref.put("kind", "reference");
                    ref.put("table", other.refTable());
                    ref.put("column", other.refColumns().get(0));
                    ref.put("distribution", "uniform");
                    hidden.add(order);
                    return col;
                }
            }
        }
        for (String col : rest) {
            DbColumn c = column(t, col);
            if (!fkOf.containsKey(col) && Set.of("varchar", "text").contains(c.type()) && (c.length() == 0 || c.length() >= 8)) {
                ObjectNode gen = Json.MAPPER.createObjectNode();
                gen.put("kind", "template");
                gen.put("template", col.replaceAll("[^A-Za-z]", "").toLowerCase(Locale.ROOT) + "-{_child_no}");
                special.put(col, gen);
                return col;
            }
        }
        return null;
    }

    /** Whether a CHECK (a <= b) can be honoured by generating b from a: same temporal or numeric family, no keys. */
    private static boolean orderable(DbTable t, String a, String b, Map<String, ForeignKeyDef> fkOf) {
        if (fkOf.containsKey(a) || fkOf.containsKey(b) || t.primaryKey().contains(b)) {
            return false;
        }
        var ca = t.columns().stream().filter(x -> x.name().equals(a)).findFirst();
        var cb = t.columns().stream().filter(x -> x.name().equals(b)).findFirst();
        if (ca.isEmpty() || cb.isEmpty() || cb.get().generated() || (ca.get().nullable() && !cb.get().nullable())) {
            return false;
        }
        Set<String> ok = Set.of("date", "timestamp", "timestamptz", "int", "bigint", "smallint", "decimal", "double", "real");
        return ok.contains(ca.get().type()) && ok.contains(cb.get().type())
                && ca.get().type().startsWith("timestamp") == cb.get().type().startsWith("timestamp")
                && ca.get().type().equals("date") == cb.get().type().equals("date");
    }

    /** A column that a CHECK keeps at or after another: the other plus a positive step. */
    private static ObjectNode after(DbColumn later, String earlier) {
        ObjectNode g = Json.MAPPER.createObjectNode();
        g.put("kind", "expr");
        String step = switch (later.type()) {
            case "date" -> "uniform(0, 30)";
            case "timestamp", "timestamptz" -> "uniform(0, 2592000)";
            default -> "uniform(0, 100)";
        };
        g.put("expr", earlier + " + " + step);
        return g;
    }

    private static DbColumn column(DbTable t, String name) {
        return t.columns().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * The second foreign key of a composite key: the parent's sequence key offset by the child number,
     * distinct within one parent row as long as the parent has more rows than children per row.
     */
    private Optional<ObjectNode> offsetReference(String col, String anchor, ForeignKeyDef fk, Map<String, DbTable> all,
                                                 Map<String, Long> rows) {
        DbTable parent = all.get(fk.refTable());
        if (parent == null || fk.columns().size() != 1 || parent.primaryKey().size() != 1
                || !parent.primaryKey().get(0).equals(fk.refColumns().get(0))) {
            return Optional.empty();
        }
        DbColumn pkCol = parent.columns().stream().filter(c -> c.name().equals(fk.refColumns().get(0))).findFirst().orElse(null);
        if (pkCol == null || !Set.of("int", "bigint", "smallint").contains(pkCol.type())) {
            return Optional.empty();
        }
        long n = rows.getOrDefault(parent.name(), options.defaultRows());
        if (n < 3) {
            return Optional.empty();
        }
        ObjectNode g = Json.MAPPER.createObjectNode();
        g.put("kind", "expr");
        // the parent's keys are its sequence 1..n (see its table); keep n equal to its row count when editing
        g.put("expr", "(" + anchor + " * 7 + _child_no) % " + n + " + 1");
        return Optional.of(g);
    }

    private ObjectNode column(DbTable t, DbColumn c, ForeignKeyDef fk, ForeignKeyDef perParent, ObjectNode special,
                              CheckDomain dom, boolean unique, List<String> notes) {
        ObjectNode cn = Json.MAPPER.createObjectNode();
        cn.put("name", c.name());
        String type = specType(t, c, notes);
        if (type == null) {
            return null;
        }
        if (dom != null && dom.maxLength() != null && type.startsWith("varchar")) {
            type = "varchar(" + Math.max(1, dom.maxLength()) + ")";
        }
        cn.put("type", type);
        StringBuilder desc = new StringBuilder(c.nativeType());
        if (!c.nullable()) {
            desc.append(" not null");
        }
        if (c.defaultValue() != null) {
            desc.append(" default ").append(c.defaultValue());
        }
        if (c.identity()) {
            desc.append(" identity");
        }
        if (unique && !t.primaryKey().contains(c.name())) {
            cn.put("unique", true);
        }
        if (special != null) {
            cn.set("generator", special);
        } else if (fk != null) {
            ObjectNode g = cn.putObject("generator");
            g.put("kind", "reference");
            g.put("table", fk.refTable());
            g.put("column", fk.refColumns().get(fk.columns().indexOf(c.name())));
            if (fk.columns().size() > 1) {
                g.put("group", fk.name());
            }
            if (perParent != null && fk != perParent && fk.refTable().equals(perParent.refTable())) {
                g.put("distribution", "uniform");
            }
            if (fk.refTable().equals(t.name()) || c.nullable()) {
                cn.put("nullRate", fk.refTable().equals(t.name()) ? 0.05 : 0.02);
            }
            if (unique) {
                notes.add(c.name() + " is a unique foreign key: each parent can be drawn once at most only if rows are generated per parent; check its generator");
            }
        } else {
            cn.set("generator", Heuristics.generator(t, c, type, dom, unique, this::startColumn));
            if (dom != null) {
                desc.append("; check applied");
            }
        }
        if (c.nullable() && fk == null && special == null && !unique && dom == null) {
            cn.put("nullRate", 0.05);
        }
        cn.put("description", desc.toString());
        return cn;
    }

    /** A temporal column of the same table that a later one (updated_at, return_date) can follow. */
    private String startColumn(DbTable t, DbColumn later) {
        if (!LATER.matcher(later.name().toLowerCase(Locale.ROOT)).matches()) {
            return null;
        }
        for (DbColumn c : t.columns()) {
            if (c != later && c.type().equals(later.type()) && !c.generated()
                    && START.matcher(c.name().toLowerCase(Locale.ROOT)).matches()
                    && !LATER.matcher(c.name().toLowerCase(Locale.ROOT)).matches()) {
                return c.name();
            }
        }
        return null;
    }

    /** Roughly how many distinct values a column can hold, to pick the one to make unique. */
    private static long domainSize(DbTable t, String column) {
        DbColumn c = t.columns().stream().filter(x -> x.name().equals(column)).findFirst().orElseThrow();
        if (!c.values().isEmpty()) {
            return c.values().size();
        }
        return switch (c.type()) {
            case "int", "bigint" -> Long.MAX_VALUE / 2;
            case "smallint" -> 65536;
            case "boolean" -> 2;
            case "varchar", "char", "text" -> c.length() <= 0 ? Long.MAX_VALUE / 4 : (long) Math.min(Math.pow(26, c.length()), Long.MAX_VALUE / 4);
            default -> 1000;
        };
    }

    static boolean personTable(String table) {
        return PERSON_TABLES.contains(table.toLowerCase(Locale.ROOT));
    }

    private String specType(DbTable t, DbColumn c, List<String> notes) {
        switch (c.type()) {
            case "boolean":
                return "boolean";
            case "smallint":
            case "int":
                return "int";
            case "bigint":
                return "bigint";
            case "decimal":
                if (c.precision() <= 0) {
                    return "decimal(12,2)";
                }
                int p = Math.min(c.precision(), 18);
                int s = Math.min(c.scale(), p);
                return "decimal(" + p + "," + s + ")";
            case "real":
            case "double":
                return "double";
            case "char":
            case "varchar":
                return c.length() > 0 ? "varchar(" + c.length() + ")" : "varchar";
            case "enum":
            case "set":
                int max = c.values().stream().mapToInt(String::length).max().orElse(1);
                return "varchar(" + Math.max(1, max) + ")";
            case "text":
                return "text";
            case "date":
                return "date";
            case "time":
                return "time";
            case "timestamp":
            case "timestamptz":
                return "timestamp";
            case "uuid":
                return "uuid";
            case "json":
                return "json";
            default:
                if (!options.lenient()) {
                    violations.add(new Violation("schema", t.name() + "." + c.name(), 0, 0,
                            "type " + c.nativeType() + " cannot be generated"));
                    return null;
                }
                if (c.nullable() || c.defaultValue() != null) {
                    notes.add(c.name() + " (" + c.nativeType() + ") left out: the database fills it with "
                            + (c.defaultValue() != null ? "its default" : "NULL") + " (--lenient)");
                    return null;
                }
                notes.add(c.name() + " (" + c.nativeType() + ") generated as short text (--lenient); the database may reject it");
                return "varchar(16)";
        }
    }

    static String plain(double v) {
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
