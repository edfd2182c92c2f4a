package io.skyforge.datagen.engine;

/**
 * The cells of one row while it is built, reused from row to row: numbers in primitive arrays and
 * text in reused builders, so a steady state allocates nothing per row.
 */
public final class Row {

    final long[] longs;
    final double[] doubles;
    final StringBuilder[] texts;
    final boolean[] nulls;
    /** The row index these cells belong to, or -1; lets a parent row be reused across children. */
    long index = -1;

    public Row(int columns) {
        longs = new long[columns];
        doubles = new double[columns];
        texts = new StringBuilder[columns];
        nulls = new boolean[columns];
        for (int i = 0; i < columns; i++) {
            texts[i] = new StringBuilder(32);
        }
    }

    public int size() {
        return longs.length;
    }

    public long index() {
        return index;
    }

    public boolean isNull(int col) {
        return nulls[col];
    }

    public long getLong(int col) {
        return longs[col];
    }

    public double getDouble(int col) {
        return doubles[col];
    }

    public CharSequence getText(int col) {
        return texts[col];
    }

    public StringBuilder text(int col) {
        return texts[col];
    }

    public void setLong(int col, long v) {
        longs[col] = v;
    }

    public void setDouble(int col, double v) {
        doubles[col] = v;
    }

    public void setNull(int col, boolean isNull) {
        nulls[col] = isNull;
    }

    /** Copies one cell from another row (whatever its storage). */
    public void copyFrom(int col, Row other, int otherCol) {
        nulls[col] = other.nulls[otherCol];
        longs[col] = other.longs[otherCol];
        doubles[col] = other.doubles[otherCol];
        StringBuilder sb = texts[col];
        sb.setLength(0);
        sb.append(other.texts[otherCol]);
    }
}
