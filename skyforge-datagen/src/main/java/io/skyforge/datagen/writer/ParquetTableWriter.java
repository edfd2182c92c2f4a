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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.xerial.snappy.Snappy;

/**
 * Writes one table's rows as a Parquet file onto any output stream, with parquet-java's writer but
 * no Hadoop at run time: a plain configuration, a stream-backed {@link OutputFile} and our own
 * codec factory (snappy-java, zstd-jni, java.util.zip) in place of Hadoop's codecs.
 */
public final class ParquetTableWriter implements Closeable {

    private final ParquetWriter<Row> writer;

    public ParquetTableWriter(CompiledTable table, WriterOptions options, OutputStream out) throws IOException {
        MessageType schema = schema(table);
        RowWriteSupport support = new RowWriteSupport(table, schema);
        CompressionCodecName codec = switch (options.compression()) {
            case NONE -> CompressionCodecName.UNCOMPRESSED;
            case GZIP -> CompressionCodecName.GZIP;
            case ZSTD -> CompressionCodecName.ZSTD;
            case SNAPPY -> CompressionCodecName.SNAPPY;
        };
        writer = new Builder(new StreamOutputFile(out), support)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new Codecs())
                .withCompressionCodec(codec)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withRowGroupRowCountLimit(options.rowGroupRows())
                .withRowGroupSize(128L * 1024 * 1024)
                .withDictionaryEncoding(true)
                .build();
    }

    public void write(Row row) throws IOException {
        writer.write(row);
    }

    @Override
    public void close() throws IOException {
        writer.close();
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

    private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
        private final WriteSupport<Row> support;

        Builder(OutputFile file, WriteSupport<Row> support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(Configuration conf) {
            return support;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
            return support;
        }
    }

    private static final class RowWriteSupport extends WriteSupport<Row> {
        private final MessageType schema;
        private final int[] cols;
        private final String[] names;
        private final ColumnType[] types;
        private RecordConsumer consumer;
        private byte[] scratch = new byte[256];

        RowWriteSupport(CompiledTable table, MessageType schema) {
            this.schema = schema;
            this.cols = table.visibleColumns();
            this.names = new String[cols.length];
            this.types = new ColumnType[cols.length];
            for (int i = 0; i < cols.length; i++) {
                names[i] = table.columnName(cols[i]);
                types[i] = table.type(cols[i]);
            }
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, Map.of("writer", "skyforge-datagen"));
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, Map.of("writer", "skyforge-datagen"));
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Row r) {
            RecordConsumer rc = consumer;
            rc.startMessage();
            for (int i = 0; i < cols.length; i++) {
                int c = cols[i];
                if (r.isNull(c)) {
                    continue;
                }
                rc.startField(names[i], i);
                ColumnType t = types[i];
                switch (t.kind()) {
                    case BOOLEAN -> rc.addBoolean(r.getLong(c) != 0);
                    case INT, DATE -> rc.addInteger((int) r.getLong(c));
                    case BIGINT, TIME, TIMESTAMP -> rc.addLong(r.getLong(c));
                    case DECIMAL -> {
                        if (t.precision() <= 9) {
                            rc.addInteger((int) r.getLong(c));
                        } else {
                            rc.addLong(r.getLong(c));
                        }
                    }
                    case DOUBLE -> rc.addDouble(r.getDouble(c));
                    default -> rc.addBinary(utf8(r.getText(c)));
                }
                rc.endField(names[i], i);
            }
            rc.endMessage();
        }

        private Binary utf8(CharSequence s) {
            int n = s.length();
            if (scratch.length < n * 3) {
                scratch = new byte[n * 3 + 16];
            }
            byte[] b = scratch;
            int p = 0;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    b[p++] = (byte) c;
                } else if (c < 0x800) {
                    b[p++] = (byte) (0xC0 | (c >> 6));
                    b[p++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[p++] = (byte) (0xF0 | (cp >> 18));
                    b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[p++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    b[p++] = (byte) (0xE0 | (c >> 12));
                    b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    b[p++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            return Binary.fromReusedByteArray(b, 0, p);
        }
    }

    /** An {@link OutputFile} over a stream that the caller owns (a file, an object upload, stdout). */
    private static final class StreamOutputFile implements OutputFile {
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

    /** Page codecs without Hadoop's codec classes. */
    private static final class Codecs implements CompressionCodecFactory {

        @Override
        public BytesInputCompressor getCompressor(CompressionCodecName name) {
            return new BytesInputCompressor() {
                @Override
                public BytesInput compress(BytesInput bytes) throws IOException {
                    byte[] in = bytes.toByteArray();
                    return switch (name) {
                        case UNCOMPRESSED -> BytesInput.from(in);
                        case SNAPPY -> BytesInput.from(Snappy.compress(in));
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
