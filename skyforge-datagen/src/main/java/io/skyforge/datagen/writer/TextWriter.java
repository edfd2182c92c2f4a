package io.skyforge.datagen.writer;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.engine.Ctx;
import io.skyforge.datagen.engine.Row;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Streams one part of a table in a text format (CSV, JSON Lines, SQL). */
public final class TextWriter {

    private final TextEncoder encoder;
    private final ByteSink sink;
    private final long partStart;
    private final long partEnd;

    public TextWriter(CompiledTable table, WriterOptions options, OutputStream out, long partStart, long partEnd) {
        this.encoder = TextEncoder.of(table, options);
        this.sink = new ByteSink(out, 1 << 16);
        this.partStart = partStart;
        this.partEnd = partEnd;
    }

    public void header() throws IOException {
        encoder.header(sink);
    }

    public void row(Row r, long row) throws IOException {
        encoder.row(r, row, partStart, partEnd, sink);
    }

    /** Bytes encoded elsewhere (by a {@link Chunker}) for the next rows. */
    public void raw(byte[] bytes) throws IOException {
        sink.write(bytes);
    }

    public void finish() throws IOException {
        sink.flush();
    }

    /** Encodes row ranges of a part to bytes on a worker thread (one per thread). */
    public static final class Chunker {
        private final CompiledTable table;
        private final Ctx ctx;
        private final Row row;
        private final TextEncoder encoder;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
        private final ByteSink sink = new ByteSink(buffer, 1 << 16);
        private final long partStart;
        private final long partEnd;

        public Chunker(CompiledDataset dataset, CompiledTable table, WriterOptions options, long partStart, long partEnd) {
            this.table = table;
            this.ctx = dataset.newContext();
            this.row = new Row(table.columnCount());
            this.encoder = TextEncoder.of(table, options);
            this.partStart = partStart;
            this.partEnd = partEnd;
        }

        public byte[] encode(long from, long to) throws IOException {
            buffer.reset();
            for (long r = from; r < to; r++) {
                table.fill(r, row, ctx);
                encoder.row(row, r, partStart, partEnd, sink);
            }
            sink.flushBuffer();
            return buffer.toByteArray();
        }
    }
}
