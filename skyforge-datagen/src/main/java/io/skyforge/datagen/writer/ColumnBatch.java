package io.skyforge.datagen.writer;

import io.skyforge.datagen.engine.Row;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;

/**
 * Rows on their way to the Parquet column writers, held column by column: numbers in primitive
 * arrays, text as UTF-8 binaries. The writer hands a batch to the column writers a column at a
 * time; with several threads, workers fill batches from the rows they generate, so the writing
 * thread reads a few long arrays rather than every row's cells (written by another core).
 * A batch is reused: its text bytes are only valid until it is filled again.
 */
public final class ColumnBatch {

    static final int BOOLEAN = 0;
    static final int INT32 = 1;
    static final int INT64 = 2;
    static final int DOUBLE = 3;
    static final int TEXT = 4;

    /** The row's column of each batch column, and how its values are stored and written. */
    private final int[] cols;
    private final int[] ops;
    private final long[][] longs;
    private final double[][] doubles;
    private final Binary[][] binaries;
    private final boolean[][] nulls;
    /** Per text column, its values as ready-made binaries while it has few distinct ones; else null. */
    private final Repeats[] repeats;
    /** Per text column, the UTF-8 bytes of this batch's values that are not repeats. */
    private final Utf8[] utf8;
    private final int capacity;
    private int size;

    ColumnBatch(int[] cols, int[] ops, int capacity) {
        this.capacity = capacity;
        this.cols = cols.clone();
        this.ops = ops.clone();
        int n = cols.length;
        longs = new long[n][];
        doubles = new double[n][];
        binaries = new Binary[n][];
        nulls = new boolean[n][capacity];
        repeats = new Repeats[n];
        utf8 = new Utf8[n];
        for (int i = 0; i < n; i++) {
            switch (ops[i]) {
                case TEXT -> {
                    repeats[i] = new Repeats();
                    utf8[i] = new Utf8(capacity);
                    binaries[i] = new Binary[capacity];
                }
                case DOUBLE -> doubles[i] = new double[capacity];
                default -> longs[i] = new long[capacity];
            }
        }
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == capacity;
    }

    /** Empties the batch for reuse. */
    void clear() {
        size = 0;
        for (Utf8 u : utf8) {
            if (u != null) {
                u.rewind();
            }
        }
    }

    /** Appends one row's cells. */
    public void add(Row r) {
        int[] cs = cols;
        int k = size;
        for (int i = 0; i < cs.length; i++) {
            int c = cs[i];
            boolean isNull = r.isNull(c);
            nulls[i][k] = isNull;
            if (isNull) {
                continue;
            }
            switch (ops[i]) {
                case DOUBLE -> doubles[i][k] = r.getDouble(c);
                case TEXT -> binaries[i][k] = text(i, r.getText(c));
                default -> longs[i][k] = r.getLong(c);
            }
        }
        size = k + 1;
    }

    /** Hands rows {@code [from, to)} of column {@code i} to its writer; {@code d} is the definition level of a present value. */
    void writeTo(ColumnWriter w, int i, int d, int from, int to) {
        boolean[] isNull = nulls[i];
        switch (ops[i]) {
            case BOOLEAN -> {
                long[] v = longs[i];
                for (int k = from; k < to; k++) {
                    if (isNull[k]) {
                        w.writeNull(0, 0);
                    } else {
                        w.write(v[k] != 0, 0, d);
                    }
                }
            }
            case INT32 -> {
                long[] v = longs[i];
                for (int k = from; k < to; k++) {
                    if (isNull[k]) {
                        w.writeNull(0, 0);
                    } else {
                        w.write((int) v[k], 0, d);
                    }
                }
            }
            case INT64 -> {
                long[] v = longs[i];
                for (int k = from; k < to; k++) {
                    if (isNull[k]) {
                        w.writeNull(0, 0);
                    } else {
                        w.write(v[k], 0, d);
                    }
                }
            }
            case DOUBLE -> {
                double[] v = doubles[i];
                for (int k = from; k < to; k++) {
                    if (isNull[k]) {
                        w.writeNull(0, 0);
                    } else {
                        w.write(v[k], 0, d);
                    }
                }
            }
            default -> {
                Binary[] v = binaries[i];
                for (int k = from; k < to; k++) {
                    if (isNull[k]) {
                        w.writeNull(0, 0);
                    } else {
                        w.write(v[k], 0, d);
                    }
                }
            }
        }
    }

    private Binary text(int i, CharSequence s) {
        Repeats known = repeats[i];
        if (known != null) {
            Binary b = known.find(s);
            if (b != null) {
                return b;
            }
        }
        Utf8 u = utf8[i];
        Binary b = u.encode(u.load(s));
        if (known != null && !known.add(s, b)) {
            repeats[i] = null;
        }
        return b;
    }

    /**
     * The distinct values of a text column while there are at most {@link #MAX} of them (flags,
     * modes, categories), each kept as its UTF-8 binary: such a cell is then found by comparing its
     * characters, and is neither re-encoded nor wrapped in a new binary per row. A column with more
     * distinct values stops being tracked. The bytes written are the same either way.
     */
    private static final class Repeats {
        private static final int MAX = 16;
        private final String[] keys = new String[MAX];
        private final Binary[] values = new Binary[MAX];
        /**
         * Length and first character of each key: most candidates are ruled out without comparing
         * contents, and a one-character value (a flag) is found by its shape alone.
         */
        private final long[] shapes = new long[MAX];
        private int size;

        /** The binary of a known value, or null. */
        Binary find(CharSequence s) {
            int n = s.length();
            long shape = shape(s);
            for (int k = 0; k < size; k++) {
                if (shapes[k] == shape && (n <= 1 || keys[k].contentEquals(s))) {
                    return values[k];
                }
            }
            return null;
        }

        private static long shape(CharSequence s) {
            int n = s.length();
            return n == 0 ? 0 : (long) n << 16 | s.charAt(0);
        }

        /** Remembers a new value; false once the column has too many to track. */
        boolean add(CharSequence s, Binary b) {
            if (size == MAX) {
                return false;
            }
            keys[size] = s.toString();
            values[size] = b.copy();
            shapes[size] = shape(s);
            size++;
            return true;
        }
    }

    /**
     * The text cells of one column's buffered rows as UTF-8, one after another in a buffer that is
     * reused from batch to batch; the column writers copy what they keep. A full buffer is replaced
     * by a larger one, and the binaries already handed out keep pointing into the old one.
     */
    private static final class Utf8 {
        private char[] chars = new char[256];
        private byte[] bytes;
        private int pos;

        Utf8(int capacity) {
            bytes = new byte[capacity * 64];
        }

        void rewind() {
            pos = 0;
        }

        /** Copies a cell's characters into {@link #chars}; returns how many there are. */
        int load(CharSequence s) {
            int n = s.length();
            if (chars.length < n) {
                chars = new char[n];
            }
            if (s instanceof StringBuilder sb) {
                sb.getChars(0, n, chars, 0);
            } else {
                s.toString().getChars(0, n, chars, 0);
            }
            return n;
        }

        /** The UTF-8 of the {@code n} characters last loaded, appended to this batch's bytes. */
        Binary encode(int n) {
            if (bytes.length - pos < n * 3) {
                bytes = new byte[Math.max(bytes.length * 2, n * 3)];
                pos = 0;
            }
            char[] c = chars;
            byte[] b = bytes;
            int start = pos;
            int high = 0;
            for (int i = 0; i < n; i++) {
                char ch = c[i];
                b[start + i] = (byte) ch;
                high |= ch;
            }
            if (high < 0x80) {
                pos = start + n;
                return Binary.fromReusedByteArray(b, start, n);
            }
            int p = ByteSink.utf8(c, n, b, start);
            pos = p;
            return Binary.fromReusedByteArray(b, start, p - start);
        }
    }
}
