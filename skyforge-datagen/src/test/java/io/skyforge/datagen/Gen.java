package io.skyforge.datagen;

import io.skyforge.datagen.engine.CellFormat;
import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.engine.Ctx;
import io.skyforge.datagen.engine.Row;
import io.skyforge.datagen.run.PartRange;
import io.skyforge.datagen.run.PartWriter;
import io.skyforge.datagen.writer.WriterOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Test helpers that run the engine directly. */
final class Gen {

    private Gen() {
    }

    static byte[] bytes(CompiledDataset ds, String table, long start, long end, WriterOptions o, int threads, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PartWriter.writeRows(ds, table, new PartRange(start, end), o, out, threads, chunk, n -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Each visible cell of every row as text (null stays null), straight from the engine. */
    static List<List<String>> cells(CompiledDataset ds, String table) {
        CompiledTable t = ds.table(table);
        Ctx ctx = ds.newContext();
        Row r = new Row(t.columnCount());
        List<List<String>> out = new ArrayList<>();
        int[] cols = t.visibleColumns();
        for (long i = 0; i < t.rows(); i++) {
            t.fill(i, r, ctx);
            List<String> row = new ArrayList<>();
            for (int c : cols) {
                if (r.isNull(c)) {
                    row.add(null);
                } else {
                    StringBuilder sb = new StringBuilder();
                    CellFormat.append(sb, r, c, t.type(c));
                    row.add(sb.toString());
                }
            }
            out.add(row);
        }
        return out;
    }

    static int column(CompiledDataset ds, String table, String column) {
        CompiledTable t = ds.table(table);
        int[] cols = t.visibleColumns();
        for (int i = 0; i < cols.length; i++) {
            if (t.columnName(cols[i]).equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + column);
    }
}
