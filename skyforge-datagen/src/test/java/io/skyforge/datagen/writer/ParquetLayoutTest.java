package io.skyforge.datagen.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.codec.ParsedDocument;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.engine.Ctx;
import io.skyforge.datagen.engine.DatasetCompiler;
import io.skyforge.datagen.engine.GenerateOptions;
import io.skyforge.datagen.engine.Row;
import io.skyforge.datagen.spec.ColumnType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;

/**
 * The writer feeds parquet-java's column writers directly; its files must be the ones parquet-java's
 * own record writer ({@link ParquetWriter}) makes of the same rows, row groups and all, so that a
 * faster writer never changes a Parquet part's bytes (and checksum).
 */
class ParquetLayoutTest {

    static final String SPEC = """
            apiVersion: data.mcp/v1
            kind: Dataset
            metadata: {name: layout}
            spec:
              seed: 3
              tables:
                - name: t
                  rows: 3000
                  primaryKey: [id]
                  columns:
                    - {name: id, type: bigint, generator: sequence}
                    - {name: text, type: text, nullRate: 0.1, generator: {kind: choice, values: ["plain", "a,b", "", "中文，逗号", "emoji 😀"]}}
                    - {name: word, type: varchar(20), generator: {kind: words, min: 1, max: 3}}
                    - {name: amount, type: "decimal(12,3)", nullRate: 0.1, generator: {kind: uniform, min: -5000.0, max: 5000.0}}
                    - {name: small, type: "decimal(5,2)", generator: {kind: uniform, min: 0.0, max: 999.0}}
                    - {name: ratio, type: double, generator: {kind: normal, mean: 0, stddev: 1000}}
                    - {name: flag, type: boolean, nullRate: 0.2, generator: boolean}
                    - {name: n, type: int, generator: {kind: uniform, min: -2000000000, max: 2000000000}}
                    - {name: day, type: date, generator: {kind: date, min: "1900-01-01", max: "2099-12-31"}}
                    - {name: at, type: timestamp, generator: {kind: timestamp, min: "1970-01-01", max: "2038-01-01"}}
                    - {name: tod, type: time, generator: time}
                    - {name: uid, type: uuid, generator: uuid}
                    - {name: doc, type: json, generator: {kind: template, template: "{{\\"id\\": {id}}}"}}
            """;

    @Test
    void shouldWriteTheSameBytesAsParquetJavasRecordWriter() throws IOException {
        // 3000 rows in groups of 700: full groups and a short last one
        assertSameBytes(SPEC, 700, List.of(Compression.SNAPPY, Compression.ZSTD, Compression.NONE), 1);
    }

    @Test
    void shouldWriteTheSameBytesWhenItsBuffersAreReusedAcrossPagesAndRowGroups() throws IOException {
        // pages close at 20,000 rows: groups of 45,000 rows hold three pages per column, and the
        // page buffers and row group space are reused from page to page and group to group
        assertSameBytes(SPEC.replace("rows: 3000", "rows: 100000"), 45_000, List.of(Compression.SNAPPY, Compression.NONE), 1);
    }

    @Test
    void shouldWriteTheSameBytesWhenASecondThreadEncodesColumnsAndCompressesPages() throws IOException {
        // several pages and row groups, dictionaries that fall back, nulls: every hand-over to the helper
        assertSameBytes(SPEC.replace("rows: 3000", "rows: 100000"), 45_000, List.of(Compression.SNAPPY, Compression.ZSTD), 2);
    }

    private static void assertSameBytes(String spec, int rowGroupRows, List<Compression> codecs, int threads) throws IOException {
        ParsedDocument doc = ResourceCodec.parseOne("layout.yaml", spec);
        CompiledDataset ds = DatasetCompiler.compile(doc.body().get("spec"), doc.sourceMap(), GenerateOptions.defaults());
        CompiledTable t = ds.table("t");
        for (Compression c : codecs) {
            WriterOptions o = WriterOptions.of(Format.PARQUET).withCompression(c).withRowGroupRows(rowGroupRows);
            ByteArrayOutputStream ours = new ByteArrayOutputStream();
            try (ParquetTableWriter w = new ParquetTableWriter(t, o, ours, threads)) {
                each(ds, t, w::write);
            }
            ByteArrayOutputStream reference = new ByteArrayOutputStream();
            try (ParquetWriter<Row> w = new Reference(new ParquetTableWriter.StreamOutputFile(reference), t, c, rowGroupRows).build()) {
                each(ds, t, w::write);
            }
            assertThat(ours.toByteArray()).as("%s", c).isEqualTo(reference.toByteArray());
        }
    }

    interface RowConsumer {
        void accept(Row r) throws IOException;
    }

    static void each(CompiledDataset ds, CompiledTable t, RowConsumer out) throws IOException {
        Ctx ctx = ds.newContext();
        Row r = new Row(t.columnCount());
        for (long i = 0; i < t.rows(); i++) {
            t.fill(i, r, ctx);
            out.accept(r);
        }
    }

    /** parquet-java's record path: a WriteSupport that emits each row as a message. */
    static final class Reference extends ParquetWriter.Builder<Row, Reference> {
        private final CompiledTable table;

        Reference(OutputFile file, CompiledTable table, Compression c, int rowGroupRows) {
            super(file);
            this.table = table;
            withConf(new PlainParquetConfiguration());
            withCodecFactory(new ParquetTableWriter.Codecs());
            withCompressionCodec(switch (c) {
                case NONE -> CompressionCodecName.UNCOMPRESSED;
                case GZIP -> CompressionCodecName.GZIP;
                case ZSTD -> CompressionCodecName.ZSTD;
                case SNAPPY -> CompressionCodecName.SNAPPY;
            });
            withWriteMode(ParquetFileWriter.Mode.OVERWRITE);
            withRowGroupRowCountLimit(rowGroupRows);
            withRowGroupSize(128L * 1024 * 1024);
            withDictionaryEncoding(true);
            for (int col : table.visibleColumns()) {
                withDictionaryEncoding(table.columnName(col), dictionary(table.type(col)));
            }
        }

        private static boolean dictionary(ColumnType t) {
            return switch (t.kind()) {
                case BIGINT, DOUBLE, TIMESTAMP, TIME, UUID, TEXT, JSON -> false;
                case DECIMAL -> t.precision() <= 9;
                default -> true;
            };
        }

        @Override
        protected Reference self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(Configuration conf) {
            return new Support(table);
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
            return new Support(table);
        }
    }

    static final class Support extends WriteSupport<Row> {
        private final CompiledTable table;
        private final MessageType schema;
        private RecordConsumer rc;

        Support(CompiledTable table) {
            this.table = table;
            this.schema = ParquetTableWriter.schema(table);
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
            rc = recordConsumer;
        }

        @Override
        public void write(Row r) {
            rc.startMessage();
            int[] cols = table.visibleColumns();
            for (int i = 0; i < cols.length; i++) {
                int c = cols[i];
                if (r.isNull(c)) {
                    continue;
                }
                String name = table.columnName(c);
                ColumnType t = table.type(c);
                rc.startField(name, i);
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
                    default -> rc.addBinary(Binary.fromString(r.getText(c).toString()));
                }
                rc.endField(name, i);
            }
            rc.endMessage();
        }
    }
}
