package io.skyforge.spi.tabular;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Produces the rows of one part as RFC 4180 CSV without a header: comma separated, double quotes
 * doubled inside quoted fields, {@code \n} line ends. The target names the NULL marker that suits its
 * bulk path; a text value equal to it is written quoted.
 */
@FunctionalInterface
public interface RowSource {

    /** Writes every row, then returns without closing {@code out}. */
    void writeCsv(OutputStream out, String nullText) throws IOException;
}
