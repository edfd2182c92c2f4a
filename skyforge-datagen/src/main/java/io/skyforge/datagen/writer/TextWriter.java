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
    public void raw(Chunk chunk) throws IOException {
        sink.write(chunk.array(), 0, chunk.size());
    }

    public void finish() throws IOException {
        sink.flush();
    }

    /**
     * The encoded bytes of a range of rows, read in place by {@link #raw}. Chunks are recycled by
     * the caller: a chunk is megabytes, and copying each out into a fresh array cost an allocation
     * and a copy per chunk on the workers.
     */
    public static final class Chunk extends ByteArrayOutputStream {
        public Chunk() {
            super(1 << 16);
        }

        byte[] array() {
            return buf;
        }
    }

    /** Encodes row ranges of a part to bytes on a worker thread (one per thread). */
    public static final class Chunker {
        private final CompiledTable table;
        private final Ctx ctx;
        private final Row row;
        private final TextEncoder encoder;
        private final Target target = new Target();
        private final ByteSink sink = new ByteSink(target, 1 << 16);
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

        /** Replaces the content of {@code into} with the encoded rows [from, to). */
        public void encode(long from, long to, Chunk into) throws IOException {
            into.reset();
            target.chunk = into;
            for (long r = from; r < to; r++) {
                table.fill(r, row, ctx);
                encoder.row(row, r, partStart, partEnd, sink);
            }
            sink.flushBuffer();
            target.chunk = null;
        }
    }

    /** Where a chunker's sink flushes to: the chunk being encoded. */
    private static final class Target extends OutputStream {
        Chunk chunk;

        @Override
        public void write(int b) {
            chunk.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            chunk.write(b, off, len);
        }
    }
}
