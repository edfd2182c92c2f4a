package io.skyforge.datagen.writer;

import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.engine.Row;
import io.skyforge.datagen.spec.ColumnType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Encodes rows of one table as CSV, JSON Lines or SQL. The bytes of a row depend only on the row,
 * its absolute index and the bounds of its part, so chunks encoded on different threads
 * concatenate to exactly the sequential output.
 */
abstract class TextEncoder {

    final CompiledTable table;
    final int[] cols;
    final ColumnType[] types;
    final ColumnType.Kind[] kinds;

    TextEncoder(CompiledTable table) {
        this.table = table;
        this.cols = table.visibleColumns();
        this.types = new ColumnType[cols.length];
        this.kinds = new ColumnType.Kind[cols.length];
        for (int i = 0; i < cols.length; i++) {
            types[i] = table.type(cols[i]);
            kinds[i] = types[i].kind();
        }
    }

    static TextEncoder of(CompiledTable table, WriterOptions o) {
        return switch (o.format()) {
            case CSV -> new Csv(table, o);
            case JSONL -> new JsonLines(table);
            case SQL -> new Sql(table, o);
            case PARQUET -> throw new IllegalArgumentException("parquet is not a text format");
        };
    }

    /** Once at the start of a part file. */
    void header(ByteSink out) throws IOException {
    }

    abstract void row(Row r, long row, long partStart, long partEnd, ByteSink out) throws IOException;

    /** Numbers, dates and booleans in their plain SQL/CSV text form. */
    final void scalar(Row r, int c, ColumnType.Kind kind, ColumnType type, ByteSink out) throws IOException {
        switch (kind) {
            case BOOLEAN -> out.ascii(r.getLong(c) != 0 ? "true" : "false");
            case INT, BIGINT -> out.decimal(r.getLong(c));
            case DECIMAL -> out.decimal(r.getLong(c), type.scale());
            case DOUBLE -> out.dbl(r.getDouble(c));
            case DATE -> out.date(r.getLong(c));
            case TIME -> out.time(r.getLong(c));
            case TIMESTAMP -> out.timestamp(r.getLong(c), ' ');
            default -> out.utf8(r.getText(c));
        }
    }

    static final class Csv extends TextEncoder {
        private final char delimiter;
        private final byte[] nullBytes;
        private final String nullText;
        private final boolean header;

        /** Per visible column: how its cells are written, decided once rather than per cell. */
        private final int[] ops;
        private final int[] scales;
        /** ASCII chars that make a text value need quotes. */
        private final byte[] special = new byte[128];

        private static final int TEXT = 0;
        private static final int INTEGER = 1;
        private static final int DECIMAL = 2;
        private static final int DATE = 3;
        private static final int OTHER = 4;

        Csv(CompiledTable table, WriterOptions o) {
            super(table);
            this.delimiter = o.delimiter();
            this.nullText = o.nullText();
            this.nullBytes = o.nullText().getBytes(StandardCharsets.UTF_8);
            this.header = o.header();
            this.ops = new int[cols.length];
            this.scales = new int[cols.length];
            for (int i = 0; i < cols.length; i++) {
                scales[i] = types[i].scale();
                ops[i] = types[i].isText() ? TEXT : switch (kinds[i]) {
                    case INT, BIGINT -> INTEGER;
                    case DECIMAL -> DECIMAL;
                    case DATE -> DATE;
                    default -> OTHER;
                };
            }
            special['"'] = 1;
            special['\n'] = 1;
            special['\r'] = 1;
            if (delimiter < 0x80) {
                special[delimiter] = 1;
            }
        }

        @Override
        void header(ByteSink out) throws IOException {
            if (!header) {
                return;
            }
            for (int i = 0; i < cols.length; i++) {
                if (i > 0) {
                    out.utf8(String.valueOf(delimiter));
                }
                text(table.columnName(cols[i]), out);
            }
            out.write('\n');
        }

        @Override
        void row(Row r, long row, long partStart, long partEnd, ByteSink out) throws IOException {
            int[] cs = cols;
            int[] op = ops;
            for (int i = 0; i < cs.length; i++) {
                if (i > 0) {
                    if (delimiter < 0x80) {
                        out.write(delimiter);
                    } else {
                        out.utf8(String.valueOf(delimiter));
                    }
                }
                int c = cs[i];
                if (r.isNull(c)) {
                    out.write(nullBytes);
                    continue;
                }
                switch (op[i]) {
                    case TEXT -> text(r.getText(c), out);
                    case INTEGER -> out.decimal(r.getLong(c));
                    case DECIMAL -> out.decimal(r.getLong(c), scales[i]);
                    case DATE -> out.date(r.getLong(c));
                    default -> scalar(r, c, kinds[i], types[i], out);
                }
            }
            out.write('\n');
        }

        private char[] chars = new char[256];

        /** RFC 4180: quote when the value holds a delimiter, quote or line break, or could be read as NULL. */
        private void text(CharSequence s, ByteSink out) throws IOException {
            int n = s.length();
            if (n == 0 ? nullText.isEmpty() : (nullText.length() == n && nullText.contentEquals(s))) {
                quoted(s, out);
                return;
            }
            // one bulk copy, then tight loops over a char[]: much cheaper than charAt per char
            if (chars.length < n) {
                chars = new char[Math.max(n, chars.length * 2)];
            }
            char[] c = chars;
            if (s instanceof StringBuilder sb) {
                sb.getChars(0, n, c, 0);
            } else {
                s.toString().getChars(0, n, c, 0);
            }
            if (out.asciiUnless(c, n, special)) {
                return;
            }
            boolean ascii = true;
            boolean quote = false;
            int quotes = 0;
            char d = delimiter;
            for (int i = 0; i < n; i++) {
                char ch = c[i];
                if (ch == d || ch == '\n' || ch == '\r') {
                    quote = true;
                } else if (ch == '"') {
                    quote = true;
                    quotes++;
                }
                ascii &= ch < 0x80;
            }
            if (quotes > 0) {
                quoted(s, out);
            } else if (quote) {
                // no quote chars to double: the text goes between quotes as it is
                out.write('"');
                if (ascii) {
                    out.ascii(c, n);
                } else {
                    out.utf8(c, n);
                }
                out.write('"');
            } else if (ascii) {
                out.ascii(c, n);
            } else {
                out.utf8(c, n);
            }
        }

        private void quoted(CharSequence s, ByteSink out) throws IOException {
            int n = s.length();
            out.write('"');
            for (int i = 0; i < n; i++) {
                char ch = s.charAt(i);
                if (ch == '"') {
                    out.write('"');
                    out.write('"');
                } else {
                    i += out.utf8(ch, s, i) - 1;
                }
            }
            out.write('"');
        }
    }

    static final class JsonLines extends TextEncoder {
        private final byte[][] keys;

        JsonLines(CompiledTable table) {
            super(table);
            keys = new byte[cols.length][];
            for (int i = 0; i < cols.length; i++) {
                StringBuilder sb = new StringBuilder();
                sb.append(i == 0 ? "{" : ",");
                sb.append('"').append(table.columnName(cols[i])).append("\":");
                keys[i] = sb.toString().getBytes(StandardCharsets.UTF_8);
            }
        }

        @Override
        void row(Row r, long row, long partStart, long partEnd, ByteSink out) throws IOException {
            for (int i = 0; i < cols.length; i++) {
                out.write(keys[i]);
                int c = cols[i];
                if (r.isNull(c)) {
                    out.ascii("null");
                    continue;
                }
                switch (kinds[i]) {
                    case BOOLEAN, INT, BIGINT, DECIMAL -> scalar(r, c, kinds[i], types[i], out);
                    case DOUBLE -> {
                        double d = r.getDouble(c);
                        if (Double.isFinite(d)) {
                            out.dbl(d);
                        } else {
                            out.ascii("null");
                        }
                    }
                    case JSON -> out.utf8(r.getText(c));
                    case DATE, TIME, TIMESTAMP -> {
                        out.write('"');
                        if (kinds[i] == ColumnType.Kind.TIMESTAMP) {
                            out.timestamp(r.getLong(c), 'T');
                        } else {
                            scalar(r, c, kinds[i], types[i], out);
                        }
                        out.write('"');
                    }
                    default -> string(r.getText(c), out);
                }
            }
            out.ascii("}\n");
        }

        static void string(CharSequence s, ByteSink out) throws IOException {
            out.write('"');
            int n = s.length();
            for (int i = 0; i < n; i++) {
                char ch = s.charAt(i);
                switch (ch) {
                    case '"' -> out.ascii("\\\"");
                    case '\\' -> out.ascii("\\\\");
                    case '\n' -> out.ascii("\\n");
                    case '\r' -> out.ascii("\\r");
                    case '\t' -> out.ascii("\\t");
                    default -> {
                        if (ch < 0x20) {
                            out.ascii(String.format("\\u%04x", (int) ch));
                        } else {
                            i += out.utf8(ch, s, i) - 1;
                        }
                    }
                }
            }
            out.write('"');
        }
    }

    static final class Sql extends TextEncoder {
        private final SqlDialect dialect;
        private final int batch;
        private final byte[] insert;

        Sql(CompiledTable table, WriterOptions o) {
            super(table);
            this.dialect = o.dialect();
            this.batch = o.sqlBatch();
            StringBuilder sb = new StringBuilder("INSERT INTO ").append(dialect.quote(table.name())).append(" (");
            for (int i = 0; i < cols.length; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(dialect.quote(table.columnName(cols[i])));
            }
            sb.append(") VALUES\n(");
            insert = sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        void row(Row r, long row, long partStart, long partEnd, ByteSink out) throws IOException {
            if (row == partStart || row % batch == 0) {
                out.write(insert);
            } else {
                out.ascii(",\n(");
            }
            for (int i = 0; i < cols.length; i++) {
                if (i > 0) {
                    out.ascii(", ");
                }
                int c = cols[i];
                if (r.isNull(c)) {
                    out.ascii("NULL");
                    continue;
                }
                switch (kinds[i]) {
                    case BOOLEAN -> out.ascii(r.getLong(c) != 0 ? "TRUE" : "FALSE");
                    case INT, BIGINT, DECIMAL -> scalar(r, c, kinds[i], types[i], out);
                    case DOUBLE -> {
                        double d = r.getDouble(c);
                        if (Double.isFinite(d)) {
                            out.dbl(d);
                        } else {
                            out.ascii("NULL");
                        }
                    }
                    case DATE, TIME, TIMESTAMP -> {
                        out.write('\'');
                        scalar(r, c, kinds[i], types[i], out);
                        out.write('\'');
                    }
                    default -> string(r.getText(c), out);
                }
            }
            out.write(')');
            if (row == partEnd - 1 || (row + 1) % batch == 0) {
                out.ascii(";\n");
            }
        }

        private void string(CharSequence s, ByteSink out) throws IOException {
            out.write('\'');
            boolean mysql = dialect == SqlDialect.MYSQL;
            int n = s.length();
            for (int i = 0; i < n; i++) {
                char ch = s.charAt(i);
                if (ch == '\'') {
                    out.write('\'');
                    out.write('\'');
                } else if (mysql && ch == '\\') {
                    out.write('\\');
                    out.write('\\');
                } else if (mysql && ch == 0) {
                    out.write('\\');
                    out.write('0');
                } else {
                    i += out.utf8(ch, s, i) - 1;
                }
            }
            out.write('\'');
        }
    }
}
