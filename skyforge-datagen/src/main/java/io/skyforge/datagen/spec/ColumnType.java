package io.skyforge.datagen.spec;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column's SQL-like type. Values travel through the engine in one of three storages (see
 * {@link Storage}); precision, scale and length only matter at the edges (validation, writers).
 */
public record ColumnType(Kind kind, int precision, int scale, int length) {

    /** The SQL-like type names a spec may use. */
    public enum Kind {
        BOOLEAN, INT, BIGINT, DECIMAL, DOUBLE, VARCHAR, TEXT, DATE, TIME, TIMESTAMP, UUID, JSON
    }

    /** How a value is held while a row is built. */
    public enum Storage {
        /** boolean (0/1), int, bigint, decimal (unscaled), date (epoch day), time (micros of day), timestamp (epoch micros, UTC) */
        LONG,
        DOUBLE,
        TEXT
    }

    /** Decimals are held as an unscaled 64-bit value, so 18 digits always fit. */
    public static final int MAX_DECIMAL_PRECISION = 18;

    public static final List<String> NAMES = List.of(
            "boolean", "int", "bigint", "decimal(p,s)", "double", "varchar(n)", "text", "date", "time", "timestamp", "uuid", "json");

    private static final List<String> BARE_NAMES = List.of(
            "boolean", "int", "integer", "bigint", "decimal", "double", "varchar", "text", "date", "time", "timestamp", "uuid", "json");

    private static final Pattern SHAPE = Pattern.compile("\\s*([a-zA-Z_]+)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*");

    public ColumnType {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
    }

    public static ColumnType of(Kind kind) {
        return new ColumnType(kind, 0, 0, 0);
    }

    public static ColumnType decimal(int precision, int scale) {
        return new ColumnType(Kind.DECIMAL, precision, scale, 0);
    }

    public Storage storage() {
        return switch (kind) {
            case DOUBLE -> Storage.DOUBLE;
            case VARCHAR, TEXT, UUID, JSON -> Storage.TEXT;
            default -> Storage.LONG;
        };
    }

    public boolean isText() {
        return storage() == Storage.TEXT;
    }

    public boolean isIntegral() {
        return kind == Kind.INT || kind == Kind.BIGINT;
    }

    public boolean isNumeric() {
        return isIntegral() || kind == Kind.DECIMAL || kind == Kind.DOUBLE;
    }

    public boolean isTemporal() {
        return kind == Kind.DATE || kind == Kind.TIME || kind == Kind.TIMESTAMP;
    }

    /** The largest value an integral or decimal column holds (unscaled for decimals). */
    public long maxUnscaled() {
        return switch (kind) {
            case INT -> Integer.MAX_VALUE;
            case BIGINT -> Long.MAX_VALUE;
            case DECIMAL -> precision >= 19 ? Long.MAX_VALUE : pow10(precision) - 1;
            case BOOLEAN -> 1;
            default -> Long.MAX_VALUE;
        };
    }

    public long minUnscaled() {
        return switch (kind) {
            case INT -> Integer.MIN_VALUE;
            case BIGINT -> Long.MIN_VALUE;
            case DECIMAL -> -maxUnscaled();
            case BOOLEAN -> 0;
            default -> Long.MIN_VALUE;
        };
    }

    public static long pow10(int n) {
        long r = 1;
        for (int i = 0; i < n; i++) {
            r *= 10;
        }
        return r;
    }

    /**
     * Parses {@code decimal(12,2)}, {@code varchar(40)}, {@code bigint}...
     *
     * @throws IllegalArgumentException with a user-facing message (with a suggestion) when malformed
     */
    public static ColumnType parse(String text) {
        Matcher m = SHAPE.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("malformed type '" + text + "'; expected one of " + NAMES);
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        Integer a = m.group(2) == null ? null : Integer.valueOf(m.group(2));
        Integer b = m.group(3) == null ? null : Integer.valueOf(m.group(3));
        Kind kind = switch (name) {
            case "boolean", "bool" -> Kind.BOOLEAN;
            case "int", "integer" -> Kind.INT;
            case "bigint" -> Kind.BIGINT;
            case "decimal", "numeric" -> Kind.DECIMAL;
            case "double", "float8" -> Kind.DOUBLE;
            case "varchar", "string" -> Kind.VARCHAR;
            case "text" -> Kind.TEXT;
            case "date" -> Kind.DATE;
            case "time" -> Kind.TIME;
            case "timestamp" -> Kind.TIMESTAMP;
            case "uuid" -> Kind.UUID;
            case "json" -> Kind.JSON;
            default -> throw new IllegalArgumentException("unknown type '" + text + "'"
                    + io.skyforge.core.validation.Suggest.didYouMean(name, BARE_NAMES) + "; known types: " + NAMES);
        };
        if (kind == Kind.DECIMAL) {
            if (a == null) {
                throw new IllegalArgumentException("decimal needs a precision and scale, e.g. decimal(12,2)");
            }
            int scale = b == null ? 0 : b;
            if (a < 1 || a > MAX_DECIMAL_PRECISION) {
                throw new IllegalArgumentException("decimal precision must be between 1 and " + MAX_DECIMAL_PRECISION + ", got " + a);
            }
            if (scale > a) {
                throw new IllegalArgumentException("decimal scale " + scale + " exceeds its precision " + a);
            }
            return decimal(a, scale);
        }
        if (kind == Kind.VARCHAR) {
            if (b != null) {
                throw new IllegalArgumentException("varchar takes one length, e.g. varchar(40)");
            }
            if (a != null && a < 1) {
                throw new IllegalArgumentException("varchar length must be positive");
            }
            return new ColumnType(Kind.VARCHAR, 0, 0, a == null ? 0 : a);
        }
        if (a != null) {
            throw new IllegalArgumentException("type " + name + " takes no parameters");
        }
        return of(kind);
    }

    /** The spelling used in SQL DDL and in documentation. */
    @Override
    public String toString() {
        return switch (kind) {
            case DECIMAL -> "decimal(" + precision + "," + scale + ")";
            case VARCHAR -> length > 0 ? "varchar(" + length + ")" : "varchar";
            default -> kind.name().toLowerCase(Locale.ROOT);
        };
    }
}
