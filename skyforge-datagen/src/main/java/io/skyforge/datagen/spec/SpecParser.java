package io.skyforge.datagen.spec;

import io.skyforge.core.codec.SourceMap;
import io.skyforge.core.validation.Suggest;
import io.skyforge.spi.error.Violation;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Checks the structure of a {@code Dataset} spec (tables, rows, columns, types, locales) and builds
 * a {@link DatasetDefinition}. Generators are left raw for the compiler. All problems are collected.
 */
public final class SpecParser {

    public static final List<String> LOCALES = List.of("en_US", "zh_CN");
    public static final long DEFAULT_SEED = 42;
    public static final LocalDate DEFAULT_REFERENCE_DATE = LocalDate.of(2025, 1, 1);

    static final List<String> SPEC_FIELDS = List.of("description", "seed", "locale", "scale", "referenceDate", "tables");
    static final List<String> TABLE_FIELDS = List.of("name", "rows", "scaled", "locale", "primaryKey", "columns", "description");
    static final List<String> COLUMN_FIELDS = List.of("name", "type", "generator", "nullRate", "unique", "primaryKey", "hidden", "description");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private SpecParser() {
    }

    /** The parse result: a definition (possibly partial) and every violation found. */
    public record Result(DatasetDefinition definition, List<Violation> violations) {
        public Result {
            violations = List.copyOf(violations);
        }

        public boolean ok() {
            return violations.isEmpty();
        }
    }

    /**
     * @param spec the resource's {@code spec} object
     * @param sourceMap locates paths rooted at the document ({@code spec.tables[0]...})
     */
    public static Result parse(JsonNode spec, SourceMap sourceMap) {
        List<Violation> v = new ArrayList<>();
        if (spec == null || !spec.isObject()) {
            v.add(sourceMap.at("spec", "a Dataset needs a spec object with tables"));
            return new Result(null, v);
        }
        Params p = new Params(spec, "spec", sourceMap, v);
        p.allowOnly(SPEC_FIELDS);
        String description = p.string("description", "");
        long seed = p.integer("seed", DEFAULT_SEED);
        String locale = locale(p, "locale", "en_US");
        double scale = p.number("scale", 1.0);
        if (p.has("scale") && scale <= 0) {
            p.error("scale", "must be positive, got " + Params.fmt(scale));
            scale = 1.0;
        }
        LocalDate reference = DEFAULT_REFERENCE_DATE;
        if (p.has("referenceDate")) {
            String text = p.string("referenceDate", null);
            try {
                reference = LocalDate.parse(text);
            } catch (DateTimeParseException | NullPointerException e) {
                p.error("referenceDate", "must be a date like 2025-01-01, got '" + text + "'");
            }
        }
        List<TableSpec> tables = new ArrayList<>();
        JsonNode tablesNode = p.get("tables");
        if (tablesNode == null) {
            p.error("tables", "is required: a Dataset needs at least one table");
        } else if (!tablesNode.isArray() || tablesNode.isEmpty()) {
            p.error("tables", "must be a non-empty list of tables");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < tablesNode.size(); i++) {
                TableSpec t = table(new Params(tablesNode.get(i), "spec.tables[" + i + "]", sourceMap, v), locale);
                if (t != null) {
                    if (!names.add(t.name())) {
                        v.add(sourceMap.at(t.path() + ".name", "duplicate table name '" + t.name() + "'"));
                    }
                    tables.add(t);
                }
            }
        }
        return new Result(new DatasetDefinition(description, seed, locale, scale, reference, tables), v);
    }

    static String locale(Params p, String key, String fallback) {
        if (!p.has(key)) {
            return fallback;
        }
        String raw = p.string(key, fallback);
        String norm = raw.replace('-', '_');
        for (String l : LOCALES) {
            if (l.equalsIgnoreCase(norm)) {
                return l;
            }
        }
        p.error(key, "unknown locale '" + raw + "'" + Suggest.didYouMean(norm, LOCALES) + "; supported: " + LOCALES);
        return fallback;
    }

    private static TableSpec table(Params p, String datasetLocale) {
        if (!p.node().isObject()) {
            p.error(null, "a table must be an object with name, rows and columns");
            return null;
        }
        p.allowOnly(TABLE_FIELDS);
        String name = p.requiredString("name");
        if (name != null && !IDENT.matcher(name).matches()) {
            p.error("name", "table name '" + name + "' must be an identifier (letters, digits, _; at most 63 characters)");
        }
        String locale = locale(p, "locale", datasetLocale);
        RowsSpec rows = rows(p);
        List<String> pk = new ArrayList<>(p.strings("primaryKey"));
        List<ColumnSpec> columns = new ArrayList<>();
        JsonNode cols = p.get("columns");
        if (cols == null) {
            p.error("columns", "is required");
        } else if (!cols.isArray() || cols.isEmpty()) {
            p.error("columns", "must be a non-empty list of columns");
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < cols.size(); i++) {
                Params cp = new Params(cols.get(i), p.path("columns") + "[" + i + "]", p.sourceMap(), p.violations());
                ColumnSpec c = column(cp);
                if (c == null) {
                    continue;
                }
                if (!seen.add(c.name())) {
                    cp.error("name", "duplicate column name '" + c.name() + "'");
                }
                if (cp.bool("primaryKey", false) && !pk.contains(c.name())) {
                    pk.add(c.name());
                }
                columns.add(c);
            }
            for (int i = 0; i < pk.size(); i++) {
                if (!seen.contains(pk.get(i))) {
                    p.error("primaryKey", "primary key column '" + pk.get(i) + "' is not a column of this table"
                            + Suggest.didYouMean(pk.get(i), seen));
                }
            }
        }
        return new TableSpec(name == null ? "?" : name, p.path(), rows, locale, pk, columns);
    }

    private static RowsSpec rows(Params p) {
        JsonNode r = p.get("rows");
        boolean scaled = p.bool("scaled", true);
        if (r == null) {
            p.error("rows", "is required: a row count or {perParent: {table, min, max}}");
            return new RowsSpec.Count(0, scaled);
        }
        if (r.isObject()) {
            Params rp = p.child("rows");
            rp.allowOnly(List.of("perParent"));
            if (!rp.has("perParent") || !rp.get("perParent").isObject()) {
                rp.error(null, "must be a row count or {perParent: {table, min, max}}");
                return new RowsSpec.Count(0, scaled);
            }
            Params pp = rp.child("perParent");
            pp.allowOnly(List.of("table", "min", "max"));
            String table = pp.requiredString("table");
            long min = pp.integer("min", 1, 0, 1_000_000);
            long max = pp.integer("max", Math.max(min, 1), 0, 1_000_000);
            if (max < min) {
                pp.error("max", "must be at least min (" + min + "), got " + max);
                max = min;
            }
            return new RowsSpec.PerParent(table == null ? "?" : table, (int) min, (int) max);
        }
        if (!r.isNumber() || !(r.isIntegralNumber() || r.doubleValue() == Math.rint(r.doubleValue()))) {
            p.error("rows", "must be a non-negative integer, got " + r);
            return new RowsSpec.Count(0, scaled);
        }
        double d = r.doubleValue();
        if (d < 0) {
            p.error("rows", "must not be negative, got " + Params.fmt(d));
            return new RowsSpec.Count(0, scaled);
        }
        if (d > 1e15) {
            p.error("rows", "is too large (at most 10^15)");
            return new RowsSpec.Count(0, scaled);
        }
        return new RowsSpec.Count(r.isIntegralNumber() ? r.longValue() : (long) d, scaled);
    }

    private static ColumnSpec column(Params p) {
        if (!p.node().isObject()) {
            p.error(null, "a column must be an object with name, type and generator");
            return null;
        }
        p.allowOnly(COLUMN_FIELDS);
        String name = p.requiredString("name");
        if (name != null && !IDENT.matcher(name).matches()) {
            p.error("name", "column name '" + name + "' must be an identifier (letters, digits, _; at most 63 characters)");
        }
        ColumnType type = null;
        if (p.has("type")) {
            String t = p.string("type", null);
            try {
                type = ColumnType.parse(t);
            } catch (IllegalArgumentException e) {
                p.error("type", e.getMessage());
            }
        }
        JsonNode gen = p.get("generator");
        if (gen == null) {
            p.error("generator", "is required (e.g. generator: sequence, or generator: {kind: uniform, min: 1, max: 100})");
        } else if (!gen.isString() && !gen.isObject()) {
            p.error("generator", "must be a generator name or an object with a kind");
            gen = null;
        }
        double nullRate = p.number("nullRate", 0, 0, 1);
        boolean unique = p.bool("unique", false) || p.bool("primaryKey", false);
        boolean hidden = p.bool("hidden", false);
        return new ColumnSpec(name == null ? "?" : name, p.path(), type, gen, nullRate, unique, hidden);
    }
}
