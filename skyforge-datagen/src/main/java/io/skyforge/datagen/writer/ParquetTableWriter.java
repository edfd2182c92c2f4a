package io.skyforge.datagen.writer;

import com.github.luben.zstd.Zstd;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.engine.Row;
import io.skyforge.datagen.spec.ColumnType;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.function.Function;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.xerial.snappy.Snappy;

/**
 * Writes one table's rows as a Parquet file onto any output stream, with parquet-java's column
 * writers and file writer but no Hadoop at run time: a plain configuration, a stream-backed
 * {@link OutputFile} and our own codec factory (snappy-java, zstd-jni, java.util.zip).
 *
 * <p>Rows go straight to the column writers rather than through parquet-java's record layer
 * ({@code ParquetWriter}, {@code MessageColumnIO}), which spends more per value on bookkeeping for
 * nested records than a flat row needs. Row groups close on the same rule as parquet-java's
 * {@code InternalParquetRecordWriter} (its row count limit, or its estimate that the next rows
 * would pass the size threshold), so the file is the one {@code ParquetWriter} writes.
 */
public final class ParquetTableWriter implements Closeable {

    private static final long ROW_GROUP_BYTES = 128L * 1024 * 1024;
    private static final Map<String, String> FOOTER = Map.of("writer", "skyforge-datagen");

    /** Rows buffered by {@link #write(Row)} before they go to the column writers. */
    private static final int BATCH = 1024;
    /**
     * The row count at which parquet-java's column write store next checks page sizes. It keeps it
     * private, and {@link #drain} must stop a run of rows there (see there); a parquet-java upgrade
     * that renames it fails here, at once, and in every Parquet test.
     */
    private static final VarHandle NEXT_PAGE_SIZE_CHECK = nextPageSizeCheck();

    private final MessageType schema;
    private final ParquetProperties props;
    private final ParquetFileWriter file;
    private final Function<ColumnDescriptor, CompressionCodecFactory.BytesInputCompressor> compressors;
    private final ColumnDescriptor[] descriptors;
    private final int[] cols;
    private final int[] ops;
    /** Definition level of a present value: 1 for optional columns, 0 for required ones. */
    private final int[] present;
    private final ColumnWriter[] writers;
    /** The rows given one at a time, until there are enough to hand to the column writers. */
    private final ColumnBatch own;
    /** Pages of the open row group; its space is reused once the row group is in the file. */
    private final PageArena arena = new PageArena();
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore columns;
    /** The second encoding thread, or null when the writer encodes on the caller's thread only. */
    private final EncodingHelper helper;
    /** Columns (indexes into {@link #cols}) encoded on the caller's thread and on the helper's. */
    private final int[] mine;
    private final int[] theirs;
    private long rows;
    private long nextSizeCheck;
    private long nextRowGroupBytes = ROW_GROUP_BYTES;
    private int rowGroupOrdinal;
    private boolean closed;

    public ParquetTableWriter(CompiledTable table, WriterOptions options, OutputStream out) throws IOException {
        this(table, options, out, 1);
    }

    /**
     * @param threads 1 to encode on the caller's thread only; more to have a second thread encode
     *                some of the columns and compress the pages (the bytes are the same either way)
     */
    public ParquetTableWriter(CompiledTable table, WriterOptions options, OutputStream out, int threads) throws IOException {
        this.schema = schema(table);
        CompressionCodecName codec = switch (options.compression()) {
            case NONE -> CompressionCodecName.UNCOMPRESSED;
            case GZIP -> CompressionCodecName.GZIP;
            case ZSTD -> CompressionCodecName.ZSTD;
            case SNAPPY -> CompressionCodecName.SNAPPY;
        };
        ParquetProperties.Builder pb = ParquetProperties.builder()
                .withAllocator(new SlabPool())
                .withDictionaryEncoding(true)
                .withRowGroupRowCountLimit(options.rowGroupRows());
        this.cols = table.visibleColumns();
        for (int c : cols) {
            pb.withDictionaryEncoding(table.columnName(c), dictionaryWorthwhile(table.type(c)));
        }
        this.props = pb.build();
        CompressionCodecFactory.BytesInputCompressor compressor = new Codecs().getCompressor(codec);
        this.compressors = column -> compressor;
        this.descriptors = new ColumnDescriptor[cols.length];
        this.ops = new int[cols.length];
        this.present = new int[cols.length];
        this.writers = new ColumnWriter[cols.length];
        for (int i = 0; i < cols.length; i++) {
            descriptors[i] = schema.getColumns().get(i);
            present[i] = descriptors[i].getMaxDefinitionLevel();
            ColumnType t = table.type(cols[i]);
            ops[i] = switch (t.kind()) {
                case BOOLEAN -> ColumnBatch.BOOLEAN;
                case INT, DATE -> ColumnBatch.INT32;
                case DECIMAL -> t.precision() <= 9 ? ColumnBatch.INT32 : ColumnBatch.INT64;
                case BIGINT, TIME, TIMESTAMP -> ColumnBatch.INT64;
                case DOUBLE -> ColumnBatch.DOUBLE;
                default -> ColumnBatch.TEXT;
            };
        }
        this.own = newBatch(BATCH);
        this.helper = threads > 1 && cols.length > 1 ? new EncodingHelper() : null;
        int[][] split = split(ops, helper == null ? 1 : 2);
        this.mine = split[0];
        this.theirs = split[1];
        this.file = new ParquetFileWriter(new StreamOutputFile(out), schema, ParquetFileWriter.Mode.OVERWRITE, ROW_GROUP_BYTES,
                ParquetWriter.MAX_PADDING_SIZE_DEFAULT, null, props);
        file.start();
        openRowGroup();
        nextSizeCheck = props.getMinRowCountForPageSizeCheck();
    }

    /**
     * Takes one row. Rows are buffered and handed to the column writers a column at a time, so each
     * column's encoder, statistics and buffers stay hot for a run of values instead of sixteen
     * columns taking turns per row.
     */
    public void write(Row r) throws IOException {
        own.add(r);
        if (own.isFull()) {
            drain(own);
        }
    }

    /** An empty batch for {@link #write(ColumnBatch)}, to be filled on any thread. */
    public ColumnBatch newBatch(int capacity) {
        return new ColumnBatch(cols, ops, capacity);
    }

    /** Takes a batch of rows (after any rows given one at a time), and empties it for reuse. */
    public void write(ColumnBatch batch) throws IOException {
        drain(own);
        drain(batch);
    }

    /**
     * Writes the buffered rows. The column write store checks page sizes, and this writer the row
     * group's size, at row counts that depend on what was written so far; each run of rows stops at
     * the next such check, so every check sees exactly the rows it saw when rows were written one
     * by one, and pages and row groups end where they did: the bytes do not depend on batching.
     */
    private void drain(ColumnBatch batch) throws IOException {
        int done = 0;
        int buffered = batch.size();
        while (done < buffered) {
            long storeCheck = (long) NEXT_PAGE_SIZE_CHECK.get(columns);
            long ownCheck = Math.min(nextSizeCheck, props.getRowGroupRowCountLimit());
            // a check already due (a row group measured as nearly full) comes after the next row, as row by row
            int n = (int) Math.max(1, Math.min(buffered - done, Math.min(storeCheck, ownCheck) - rows));
            writeColumns(batch, done, done + n);
            for (int k = 0; k < n; k++) {
                columns.endRecord();
            }
            rows += n;
            done += n;
            endOfRowGroup();
        }
        batch.clear();
    }

    private void writeColumns(ColumnBatch batch, int from, int to) throws IOException {
        Future<?> others = helper == null ? null : helper.submit(() -> {
            for (int i : theirs) {
                batch.writeTo(writers[i], i, present[i], from, to);
            }
        });
        for (int i : mine) {
            batch.writeTo(writers[i], i, present[i], from, to);
        }
        if (others != null) {
            // the page size check that follows reads every column's buffers
            TaskResults.get(others);
        }
    }

    /**
     * Columns for the writer's thread ({@code [0]}) and the helper's ({@code [1]}, empty with one
     * thread), balanced by a rough per-value cost: text goes through UTF-8, a dictionary and byte
     * comparisons; 32-bit values through a dictionary; the rest is copied. The helper also
     * compresses every page, so it starts with a share of the work already.
     */
    static int[][] split(int[] ops, int threads) {
        if (threads == 1) {
            int[] all = new int[ops.length];
            Arrays.setAll(all, i -> i);
            return new int[][] {all, new int[0]};
        }
        int[] cost = new int[ops.length];
        int total = 0;
        for (int i = 0; i < ops.length; i++) {
            cost[i] = switch (ops[i]) {
                case ColumnBatch.TEXT -> 3;
                case ColumnBatch.INT32 -> 2;
                default -> 1;
            };
            total += cost[i];
        }
        Integer[] order = new Integer[ops.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> cost[b] - cost[a]);
        int[] load = {0, total / 4};
        int[][] groups = {new int[ops.length], new int[ops.length]};
        int[] sizes = new int[2];
        for (int i : order) {
            int g = load[0] <= load[1] ? 0 : 1;
            groups[g][sizes[g]++] = i;
            load[g] += cost[i];
        }
        return new int[][] {Arrays.copyOf(groups[0], sizes[0]), Arrays.copyOf(groups[1], sizes[1])};
    }

    /** Closes the row group at its row limit, or when the next rows would likely pass its size. */
    private void endOfRowGroup() throws IOException {
        if (rows >= props.getRowGroupRowCountLimit()) {
            flushRowGroup();
            return;
        }
        if (rows < nextSizeCheck) {
            return;
        }
        settle();
        // measuring the buffered size walks every column, so it is done at widening intervals
        long buffered = columns.getBufferedSize();
        long perRow = buffered / rows;
        if (buffered > nextRowGroupBytes - 2 * perRow) {
            flushRowGroup();
        } else {
            long halfway = (rows + (long) (nextRowGroupBytes / ((float) perRow))) / 2;
            nextSizeCheck = Math.min(Math.max(props.getMinRowCountForPageSizeCheck(), halfway),
                    rows + props.getMaxRowCountForPageSizeCheck());
        }
    }

    private void flushRowGroup() throws IOException {
        long written = rows;
        writeRowGroup();
        openRowGroup();
        nextSizeCheck = Math.min(Math.max(props.getMinRowCountForPageSizeCheck(), written / 2),
                props.getMaxRowCountForPageSizeCheck());
    }

    private void writeRowGroup() throws IOException {
        try {
            if (rows > 0) {
                rowGroupOrdinal++;
                file.startBlock(rows);
                columns.flush();
                settle();
                pages.flushToFileWriter(file);
                rows = 0;
                file.endBlock();
                nextRowGroupBytes = Math.min(file.getNextRowGroupSize(), ROW_GROUP_BYTES);
            }
        } finally {
            settle();
            columns.close();
            settle();
            pages.close();
            arena.rewind();
        }
    }

    private void openRowGroup() {
        pages = ColumnChunkPageWriteStore.builder()
                .withCompressorProvider(compressors)
                .withSchema(schema)
                .withAllocator(arena)
                .withColumnIndexTruncateLength(props.getColumnIndexTruncateLength())
                .withPageWriteChecksumEnabled(props.getPageWriteChecksumEnabled())
                .withRowGroupOrdinal(rowGroupOrdinal)
                .build();
        columns = props.newColumnWriteStore(schema, helper == null ? pages : helper.deferring(pages), pages);
        for (int i = 0; i < descriptors.length; i++) {
            writers[i] = columns.getColumnWriter(descriptors[i]);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            drain(own);
            writeRowGroup();
            file.end(FOOTER);
        } finally {
            try {
                file.close();
            } finally {
                if (helper != null) {
                    helper.close();
                }
            }
        }
    }

    /** Waits for the helper's pages (if any): the row group's size and its pages are then complete. */
    private void settle() throws IOException {
        if (helper != null) {
            helper.settle();
        }
    }

    private static VarHandle nextPageSizeCheck() {
        try {
            Class<?> store = Class.forName("org.apache.parquet.column.impl.ColumnWriteStoreBase");
            return MethodHandles.privateLookupIn(store, MethodHandles.lookup())
                    .findVarHandle(store, "rowCountForNextSizeCheck", long.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this parquet-java version does not keep its page size check where the Parquet writer expects", e);
        }
    }

    /**
     * Dictionary pages pay off for low-cardinality columns; for 64-bit keys, amounts, timestamps and
     * free text the writer would build a dictionary only to fall back to plain, at a large CPU cost.
     */
    static boolean dictionaryWorthwhile(ColumnType t) {
        return switch (t.kind()) {
            case BIGINT, DOUBLE, TIMESTAMP, TIME, UUID, TEXT, JSON -> false;
            case DECIMAL -> t.precision() <= 9;
            default -> true;
        };
    }

    /** The Parquet schema of a table: logical types for decimals, dates, times and timestamps. */
    public static MessageType schema(CompiledTable table) {
        List<Type> fields = new ArrayList<>();
        for (int c : table.visibleColumns()) {
            ColumnType t = table.type(c);
            String name = table.columnName(c);
            boolean required = table.primaryKey().contains(name);
            Types.PrimitiveBuilder<org.apache.parquet.schema.PrimitiveType> b;
            switch (t.kind()) {
                case BOOLEAN -> b = prim(required, PrimitiveTypeName.BOOLEAN);
                case INT -> b = prim(required, PrimitiveTypeName.INT32);
                case BIGINT -> b = prim(required, PrimitiveTypeName.INT64);
                case DECIMAL -> b = prim(required, t.precision() <= 9 ? PrimitiveTypeName.INT32 : PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.decimalType(t.scale(), t.precision()));
                case DOUBLE -> b = prim(required, PrimitiveTypeName.DOUBLE);
                case DATE -> b = prim(required, PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType());
                case TIME -> b = prim(required, PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timeType(false, LogicalTypeAnnotation.TimeUnit.MICROS));
                case TIMESTAMP -> b = prim(required, PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS));
                case JSON -> b = prim(required, PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.jsonType());
                default -> b = prim(required, PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType());
            }
            fields.add(b.named(name));
        }
        return new MessageType(table.name(), fields);
    }

    private static Types.PrimitiveBuilder<org.apache.parquet.schema.PrimitiveType> prim(boolean required, PrimitiveTypeName p) {
        return required ? Types.required(p) : Types.optional(p);
    }

    /**
     * The buffers the column writers encode a page into (values, levels, dictionary ids), recycled by
     * power-of-two size class. parquet-java releases every one of them when the page is written and
     * asks for the same sizes again for the next page; allocated afresh, they were a page's worth of
     * new, zeroed heap per column and page. With the page arena, the compressor's staging and
     * {@link ColumnBatch}'s repeats, a TPC-H lineitem part at scale 1 allocates 0.7 GB instead of 3.8 GB (its CPU
     * time did not change beyond the noise of a shared machine: GC was never its cost). Each buffer
     * handed out has exactly the capacity asked for, as the writers expect. Synchronized: with an
     * {@link EncodingHelper}, columns on two threads take buffers from it (a few per page, so the
     * lock is cheap).
     */
    static final class SlabPool implements ByteBufferAllocator {
        private static final int MIN_CLASS = 6;
        private static final int MAX_CLASS = 30;
        private final List<ArrayDeque<byte[]>> free = new ArrayList<>();

        SlabPool() {
            for (int c = 0; c <= MAX_CLASS; c++) {
                free.add(new ArrayDeque<>());
            }
        }

        @Override
        public synchronized ByteBuffer allocate(int size) {
            int c = Math.max(MIN_CLASS, 32 - Integer.numberOfLeadingZeros(size - 1));
            if (size <= 0 || c > MAX_CLASS) {
                return ByteBuffer.allocate(Math.max(size, 0));
            }
            byte[] a = free.get(c).poll();
            if (a == null) {
                a = new byte[1 << c];
            }
            return ByteBuffer.wrap(a, 0, size).slice();
        }

        @Override
        public synchronized void release(ByteBuffer b) {
            byte[] a = b.array();
            int c = 31 - Integer.numberOfLeadingZeros(a.length);
            if (a.length != 1 << c || c < MIN_CLASS || c > MAX_CLASS) {
                return;
            }
            free.get(c).push(a);
        }

        @Override
        public boolean isDirect() {
            return false;
        }
    }

    /**
     * The compressed pages of the open row group, packed into large reused chunks. They stay in
     * memory until the row group is written (a million rows, tens of megabytes); as one array per
     * page they were allocated anew for every row group and survived young collections until then.
     * Chunks are allocated once and rewound for the next row group. One thread at a time: the
     * writer's, or its {@link EncodingHelper}'s, which writes every page when there is one.
     */
    static final class PageArena implements ByteBufferAllocator {
        private static final int CHUNK = 4 << 20;
        private final List<byte[]> chunks = new ArrayList<>();
        private int chunk = -1;
        private int pos = CHUNK;

        @Override
        public ByteBuffer allocate(int size) {
            if (size > CHUNK / 4) {
                // a rare oversized page (huge cells) gets its own array rather than wasting a chunk's tail
                return ByteBuffer.allocate(size);
            }
            if (pos + size > CHUNK) {
                chunk++;
                pos = 0;
                if (chunk == chunks.size()) {
                    chunks.add(new byte[CHUNK]);
                }
            }
            ByteBuffer b = ByteBuffer.wrap(chunks.get(chunk), pos, size).slice();
            pos += size;
            return b;
        }

        /** Space is given back all at once by {@link #rewind}; only a last, short-lived buffer is taken back early. */
        @Override
        public void release(ByteBuffer b) {
            if (chunk >= 0 && b.hasArray() && b.array() == chunks.get(chunk) && b.arrayOffset() + b.capacity() == pos) {
                pos = b.arrayOffset();
            }
        }

        /** Called when every page handed out has been written to the file and released. */
        void rewind() {
            chunk = -1;
            pos = CHUNK;
        }

        @Override
        public boolean isDirect() {
            return false;
        }
    }

    /** A growable byte buffer whose array can be read in place. */
    private static final class Staging extends ByteArrayOutputStream {
        Staging() {
            super(1 << 16);
        }

        byte[] array() {
            return buf;
        }
    }

    /** An {@link OutputFile} over a stream that the caller owns (a file, an object upload, stdout). */
    static final class StreamOutputFile implements OutputFile {
        private final OutputStream out;

        StreamOutputFile(OutputStream out) {
            this.out = out;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                private long pos;

                @Override
                public long getPos() {
                    return pos;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    pos++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    pos += len;
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }

        @Override
        public String getPath() {
            return "stream";
        }
    }

    /**
     * Page codecs without Hadoop's codec classes. A compressor serves one writer thread: for snappy
     * and uncompressed pages it stages the page and its output in buffers it reuses from page to
     * page (the page writer copies the result before it asks for the next page), where
     * {@code Snappy.compress(byte[])} allocated two arrays per page besides the page's own copy.
     */
    static final class Codecs implements CompressionCodecFactory {

        @Override
        public BytesInputCompressor getCompressor(CompressionCodecName name) {
            return new BytesInputCompressor() {
                private final Staging page = new Staging();
                private byte[] out = new byte[0];

                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    if (name == CompressionCodecName.UNCOMPRESSED || name == CompressionCodecName.SNAPPY) {
                        page.reset();
                        bytes.writeAllTo(page);
                        if (name == CompressionCodecName.UNCOMPRESSED) {
                            return BytesInput.from(page.array(), 0, page.size());
                        }
                        int max = Snappy.maxCompressedLength(page.size());
                        if (out.length < max) {
                            out = new byte[max];
                        }
                        int n = Snappy.compress(page.array(), 0, page.size(), out, 0);
                        return BytesInput.from(out, 0, n);
                    }
                    byte[] in = bytes.toByteArray();
                    return switch (name) {
                        case ZSTD -> BytesInput.from(Zstd.compress(in, 3));
                        case GZIP -> {
                            ByteArrayOutputStream bo = new ByteArrayOutputStream(in.length / 2 + 64);
                            try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
                                gz.write(in);
                            }
                            yield BytesInput.from(bo.toByteArray());
                        }
                        default -> throw new IOException("codec " + name + " is not supported");
                    };
                }

                @Override
                public CompressionCodecName getCodecName() {
                    return name;
                }

                @Override
                public void release() {
                }
            };
        }

        @Override
        public BytesInputDecompressor getDecompressor(CompressionCodecName name) {
            return new BytesInputDecompressor() {
                @Override
                public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                    return BytesInput.from(inflate(bytes.toByteArray(), uncompressedSize));
                }

                @Override
                public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) throws IOException {
                    byte[] in = new byte[compressedSize];
                    input.get(in);
                    output.put(inflate(in, uncompressedSize));
                }

                private byte[] inflate(byte[] in, int size) throws IOException {
                    return switch (name) {
                        case UNCOMPRESSED -> in;
                        case SNAPPY -> Snappy.uncompress(in);
                        case ZSTD -> Zstd.decompress(in, size);
                        case GZIP -> {
                            try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(in))) {
                                yield gz.readAllBytes();
                            }
                        }
                        default -> throw new IOException("codec " + name + " is not supported");
                    };
                }

                @Override
                public void release() {
                }
            };
        }

        @Override
        public void release() {
        }
    }
}
