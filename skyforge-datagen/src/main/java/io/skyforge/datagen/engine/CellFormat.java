package io.skyforge.datagen.engine;

import io.skyforge.datagen.spec.ColumnType;

/** The text form of a cell, as templates and switches see it (ISO dates, plain decimals). */
public final class CellFormat {

    private CellFormat() {
    }

    public static void append(StringBuilder sb, Row r, int col, ColumnType type) {
        if (r.nulls[col]) {
            return;
        }
        switch (type.kind()) {
            case BOOLEAN -> sb.append(r.longs[col] != 0);
            case INT, BIGINT -> sb.append(r.longs[col]);
            case DECIMAL -> appendDecimal(sb, r.longs[col], type.scale());
            case DOUBLE -> sb.append(r.doubles[col]);
            case DATE -> Temporal.appendDate(sb, r.longs[col]);
            case TIME -> Temporal.appendTime(sb, r.longs[col]);
            case TIMESTAMP -> Temporal.appendTimestamp(sb, r.longs[col]);
            default -> sb.append(r.texts[col]);
        }
    }

    public static void appendDecimal(StringBuilder sb, long unscaled, int scale) {
        if (scale == 0) {
            sb.append(unscaled);
            return;
        }
        if (unscaled < 0) {
            sb.append('-');
            unscaled = -unscaled;
        }
        long mult = ColumnType.pow10(scale);
        sb.append(unscaled / mult).append('.');
        long frac = unscaled % mult;
        String f = Long.toString(frac);
        for (int i = f.length(); i < scale; i++) {
            sb.append('0');
        }
        sb.append(f);
    }

    /** The numeric value of a cell for expressions: decimals scaled, dates in days, timestamps in seconds. */
    public static double number(Row r, int col, ColumnType type) {
        return switch (type.kind()) {
            case DOUBLE -> r.doubles[col];
            case DECIMAL -> r.longs[col] / (double) ColumnType.pow10(type.scale());
            case TIMESTAMP, TIME -> r.longs[col] / 1e6;
            case VARCHAR, TEXT, UUID, JSON -> parse(r.texts[col]);
            default -> r.longs[col];
        };
    }

    private static double parse(CharSequence s) {
        try {
            return Double.parseDouble(s.toString());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
