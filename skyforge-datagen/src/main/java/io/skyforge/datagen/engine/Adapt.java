package io.skyforge.datagen.engine;

import io.skyforge.datagen.engine.Sources.DoubleSource;
import io.skyforge.datagen.engine.Sources.LongSource;
import io.skyforge.datagen.engine.Sources.TextSource;
import io.skyforge.datagen.spec.ColumnType;
import io.skyforge.datagen.spec.ColumnType.Kind;

/** Turns a generator's natural values into a column's declared type. */
final class Adapt {

    static final long MICROS_PER_DAY = 86_400_000_000L;

    private Adapt() {
    }

    /** @return the column generator, or null when the natural kind cannot become this type */
    static ColumnGen adapt(Natural natural, Object source, ColumnType type) {
        Kind k = type.kind();
        switch (natural) {
            case INTEGER, BOOLEAN -> {
                LongSource s = (LongSource) source;
                if (natural == Natural.BOOLEAN && !(k == Kind.BOOLEAN || type.isIntegral() || type.isText())) {
                    return null;
                }
                if (k == Kind.BOOLEAN) {
                    return (row, r, col, ctx) -> r.longs[col] = s.get(row, r, ctx) != 0 ? 1 : 0;
                }
                if (type.isIntegral()) {
                    return (row, r, col, ctx) -> r.longs[col] = s.get(row, r, ctx);
                }
                if (k == Kind.DECIMAL) {
                    long mult = ColumnType.pow10(type.scale());
                    long max = type.maxUnscaled() / mult;
                    return (row, r, col, ctx) -> r.longs[col] = clamp(s.get(row, r, ctx), -max, max) * mult;
                }
                if (k == Kind.DOUBLE) {
                    return (row, r, col, ctx) -> r.doubles[col] = s.get(row, r, ctx);
                }
                if (type.isText()) {
                    boolean bool = natural == Natural.BOOLEAN;
                    return text((row, r, ctx, sb) -> {
                        long v = s.get(row, r, ctx);
                        if (bool) {
                            sb.append(v != 0);
                        } else {
                            sb.append(v);
                        }
                    }, type);
                }
                return null;
            }
            case REAL -> {
                DoubleSource s = (DoubleSource) source;
                if (type.isIntegral()) {
                    return (row, r, col, ctx) -> r.longs[col] = Math.round(s.get(row, r, ctx));
                }
                if (k == Kind.DECIMAL) {
                    double mult = ColumnType.pow10(type.scale());
                    long max = type.maxUnscaled();
                    return (row, r, col, ctx) -> r.longs[col] = clamp(Math.round(s.get(row, r, ctx) * mult), -max, max);
                }
                if (k == Kind.DOUBLE) {
                    return (row, r, col, ctx) -> r.doubles[col] = s.get(row, r, ctx);
                }
                if (type.isText()) {
                    return text((row, r, ctx, sb) -> sb.append(s.get(row, r, ctx)), type);
                }
                return null;
            }
            case DATE -> {
                LongSource s = (LongSource) source;
                if (k == Kind.DATE) {
                    return (row, r, col, ctx) -> r.longs[col] = s.get(row, r, ctx);
                }
                if (k == Kind.TIMESTAMP) {
                    return (row, r, col, ctx) -> r.longs[col] = s.get(row, r, ctx) * MICROS_PER_DAY;
                }
                if (type.isText()) {
                    return text((row, r, ctx, sb) -> Temporal.appendDate(sb, s.get(row, r, ctx)), type);
                }
                return null;
            }
            case TIMESTAMP -> {
                LongSource s = (LongSource) source;
                if (k == Kind.TIMESTAMP) {
                    return (row, r, col, ctx) -> r.longs[col] = s.get(row, r, ctx);
                }
                if (k == Kind.DATE) {
                    return (row, r, col, ctx) -> r.longs[col] = Math.floorDiv(s.get(row, r, ctx), MICROS_PER_DAY);
                }
                if (type.isText()) {
                    return text((row, r, ctx, sb) -> Temporal.appendTimestamp(sb, s.get(row, r, ctx)), type);
                }
                return null;
            }
            case TIME -> {
                LongSource s = (LongSource) source;
                if (k == Kind.TIME) {
                    return (row, r, col, ctx) -> r.longs[col] = s.get(row, r, ctx);
                }
                if (type.isText()) {
                    return text((row, r, ctx, sb) -> Temporal.appendTime(sb, s.get(row, r, ctx)), type);
                }
                return null;
            }
            case TEXT, UUID -> {
                if (!type.isText()) {
                    return null;
                }
                return text((TextSource) source, type);
            }
            default -> {
                return null;
            }
        }
    }

    private static ColumnGen text(TextSource s, ColumnType type) {
        int max = type.kind() == Kind.VARCHAR ? type.length() : 0;
        if (max > 0) {
            return (row, r, col, ctx) -> {
                StringBuilder sb = r.texts[col];
                sb.setLength(0);
                s.append(row, r, ctx, sb);
                if (sb.length() > max) {
                    // never cut a surrogate pair in half
                    int cut = Character.isLowSurrogate(sb.charAt(max)) ? max - 1 : max;
                    sb.setLength(cut);
                }
            };
        }
        return (row, r, col, ctx) -> {
            StringBuilder sb = r.texts[col];
            sb.setLength(0);
            s.append(row, r, ctx, sb);
        };
    }

    static long clamp(long v, long lo, long hi) {
        return v < lo ? lo : v > hi ? hi : v;
    }
}
