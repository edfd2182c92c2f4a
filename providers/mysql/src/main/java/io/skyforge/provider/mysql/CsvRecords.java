package io.skyforge.provider.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back the RFC 4180 CSV a {@link io.skyforge.spi.tabular.RowSource} writes, for the INSERT
 * path: an unquoted field equal to the NULL marker is NULL, a quoted one is that text.
 */
final class CsvRecords {

    private final Reader in;
    private final String nullText;
    private final StringBuilder field = new StringBuilder();

    CsvRecords(InputStream in, String nullText) {
        this.in = new java.io.BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        this.nullText = nullText;
    }

    /** The next record's fields (null for NULL), or null at the end. */
    List<String> next() throws IOException {
        int ch = in.read();
        if (ch < 0) {
            return null;
        }
        List<String> out = new ArrayList<>();
        while (true) {
            field.setLength(0);
            boolean quoted = false;
            if (ch == '"') {
                quoted = true;
                while (true) {
                    ch = in.read();
                    if (ch < 0) {
                        throw new IOException("unterminated quoted field");
                    }
                    if (ch == '"') {
                        ch = in.read();
                        if (ch != '"') {
                            break;
                        }
                    }
                    field.append((char) ch);
                }
            } else {
                while (ch >= 0 && ch != ',' && ch != '\n') {
                    field.append((char) ch);
                    ch = in.read();
                }
            }
            String v = field.toString();
            out.add(!quoted && v.equals(nullText) ? null : v);
            if (ch == ',') {
                ch = in.read();
                continue;
            }
            return out;
        }
    }
}
