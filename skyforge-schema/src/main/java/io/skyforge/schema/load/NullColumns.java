package io.skyforge.schema.load;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Replaces some fields of a CSV stream (RowSource's dialect: comma separated, {@code "} quoting
 * with doubled quotes, {@code \n} line ends) by the NULL marker, as it streams: how a foreign key
 * that closes a cycle is loaded as NULL before the rows it points at exist. Bytes inside quotes
 * never end a field; a doubled quote toggles the quote state twice, so counting quotes is enough.
 */
final class NullColumns extends OutputStream {

    private final OutputStream out;
    private final boolean[] blank;
    private final byte[] nullText;
    private int field;
    private boolean quoted;
    private boolean nullWritten;

    /** @param blank per column of a row, whether it is written as NULL */
    NullColumns(OutputStream out, boolean[] blank, String nullText) {
        this.out = out;
        this.blank = blank.clone();
        this.nullText = nullText.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int keptFrom = off;
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            boolean ends = !quoted && (c == ',' || c == '\n');
            if (c == '"') {
                quoted = !quoted;
            }
            if (field < blank.length && blank[field]) {
                // the field's own bytes are dropped; its terminator is kept
                if (i > keptFrom) {
                    out.write(b, keptFrom, i - keptFrom);
                }
                keptFrom = ends ? i : i + 1;
                if (!nullWritten) {
                    out.write(nullText);
                    nullWritten = true;
                }
            }
            if (ends) {
                field = c == '\n' ? 0 : field + 1;
                nullWritten = false;
            }
        }
        if (off + len > keptFrom) {
            out.write(b, keptFrom, off + len - keptFrom);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** The RowSource contract: the caller's stream stays open. */
    @Override
    public void close() throws IOException {
        out.flush();
    }
}
