package io.skyforge.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.core.codec.Json;
import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.writer.Compression;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.WriterOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Every format read back by an independent reader gives the engine's values, with the right types. */
class FormatRoundTripTest {

    static final String TRICKY = """
            seed: 3
            tables:
              - name: tricky
                rows: 3000
                columns:
                  - {name: id, type: bigint, generator: sequence}
                  - name: text
                    type: text
                    nullRate: 0.1
                    generator:
                      kind: choice
                      values: ["plain", "a,b", "say \\"hi\\"", "two\\nlines", "cr\\rhere", "", "中文，逗号", "emoji 😀", "back\\\\slash", "it's"]
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
                  - {name: who, type: varchar(12), generator: fullName}
            """;

    @TempDir
    Path tmp;

    static List<List<String>> expected(CompiledDataset ds) {
        return Gen.cells(ds, "tricky");
    }

    @Test
    void shouldParseBackEveryCsvValueWithCommonsCsv() throws IOException {
        CompiledDataset ds = Specs.compile(TRICKY);
        CompiledTable t = ds.table("tricky");
        List<List<String>> want = expected(ds);
        for (Compression c : List.of(Compression.NONE, Compression.GZIP, Compression.ZSTD)) {
            byte[] bytes = Gen.bytes(ds, "tricky", 0, t.rows(), WriterOptions.of(Format.CSV).withCompression(c).withNullText("\\N"), 2, 500);
            List<List<String>> got = new ArrayList<>();
            try (Reader r = new InputStreamReader(decompress(bytes, c), StandardCharsets.UTF_8);
                 CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setNullString("\\N").get().parse(r)) {
                assertThat(p.getHeaderNames()).hasSize(t.visibleColumns().length).startsWith("id", "text", "amount");
                for (CSVRecord rec : p) {
                    List<String> row = new ArrayList<>();
                    rec.forEach(row::add);
                    got.add(row);
                }
            }
            assertThat(got).as(c.toString()).isEqualTo(want);
        }
    }

    @Test
    void shouldQuoteEmptyTextSoItDiffersFromNullWithTheDefaultNullText() throws IOException {
        CompiledDataset ds = Specs.compile(TRICKY);
        byte[] bytes = Gen.bytes(ds, "tricky", 0, 3000, WriterOptions.of(Format.CSV), 1, 1000);
        String csv = new String(bytes, StandardCharsets.UTF_8);
        assertThat(csv).contains(",\"\",", "\"a,b\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"");
        int textCol = 1;
        List<List<String>> want = expected(ds);
        try (CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new java.io.StringReader(csv))) {
            int i = 0;
            for (CSVRecord rec : p) {
                String w = want.get(i++).get(textCol);
                assertThat(rec.get(textCol)).isEqualTo(w == null ? "" : w);
            }
        }
    }

    @Test
    void shouldParseBackJsonLinesWithTypedValues() throws IOException {
        CompiledDataset ds = Specs.compile(TRICKY);
        List<List<String>> want = expected(ds);
        byte[] bytes = Gen.bytes(ds, "tricky", 0, 3000, WriterOptions.of(Format.JSONL), 2, 700);
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3000);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode n = Json.MAPPER.readTree(lines.get(i));
            List<String> w = want.get(i);
            assertThat(n.get("id").isIntegralNumber()).isTrue();
            assertThat(n.get("text").isNull() ? null : n.get("text").asString()).isEqualTo(w.get(1));
            if (w.get(2) != null) {
                assertThat(n.get("amount").decimalValue()).isEqualByComparingTo(new java.math.BigDecimal(w.get(2)));
            }
            assertThat(n.get("doc").get("id").asLong()).isEqualTo(Long.parseLong(w.get(0)));
            assertThat(n.get("day").asString()).isEqualTo(w.get(7));
            assertThat(n.get("at").asString().replace('T', ' ')).isEqualTo(w.get(8));
        }
    }

    @Test
    void shouldBeReadByDuckDbFromParquetWithLogicalTypes() throws Exception {
        CompiledDataset ds = Specs.compile(TRICKY);
        List<List<String>> want = expected(ds);
        for (Compression c : List.of(Compression.SNAPPY, Compression.ZSTD, Compression.GZIP, Compression.NONE)) {
            Path file = tmp.resolve("tricky-" + c + ".parquet");
            Files.write(file, Gen.bytes(ds, "tricky", 0, 3000, WriterOptions.of(Format.PARQUET).withCompression(c).withRowGroupRows(1000), 2, 400));
            try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
                 Statement st = conn.createStatement()) {
                Map<String, String> types = new HashMap<>();
                try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
                    while (rs.next()) {
                        types.put(rs.getString(1), rs.getString(2));
                    }
                }
                assertThat(types).containsEntry("id", "BIGINT").containsEntry("amount", "DECIMAL(12,3)")
                        .containsEntry("small", "DECIMAL(5,2)").containsEntry("ratio", "DOUBLE").containsEntry("flag", "BOOLEAN")
                        .containsEntry("n", "INTEGER").containsEntry("day", "DATE").containsEntry("at", "TIMESTAMP")
                        .containsEntry("tod", "TIME").containsEntry("text", "VARCHAR").containsEntry("who", "VARCHAR");
                try (ResultSet rs = st.executeQuery("SELECT \"id\", \"text\", CAST(\"amount\" AS VARCHAR), CAST(\"small\" AS VARCHAR), "
                        + "\"flag\", \"n\", CAST(\"day\" AS VARCHAR), strftime(\"at\", '%Y-%m-%d %H:%M:%S'), CAST(\"tod\" AS VARCHAR), "
                        + "CAST(\"uid\" AS VARCHAR), \"who\" FROM read_parquet('" + file + "') ORDER BY \"id\"")) {
                    int i = 0;
                    while (rs.next()) {
                        List<String> w = want.get(i++);
                        assertThat(rs.getLong(1)).isEqualTo(Long.parseLong(w.get(0)));
                        assertThat(rs.getString(2)).isEqualTo(w.get(1));
                        assertThat(rs.getString(3)).isEqualTo(w.get(2));
                        assertThat(rs.getString(4)).isEqualTo(w.get(3));
                        assertThat(rs.getObject(5) == null ? null : Boolean.toString(rs.getBoolean(5))).isEqualTo(w.get(5));
                        assertThat(rs.getString(6)).isEqualTo(w.get(6));
                        assertThat(rs.getString(7)).isEqualTo(w.get(7));
                        assertThat(rs.getString(8)).isEqualTo(w.get(8));
                        assertThat(rs.getString(9)).isEqualTo(w.get(9));
                        assertThat(rs.getString(10)).isEqualTo(w.get(10));
                        assertThat(rs.getString(11)).isEqualTo(w.get(12));
                    }
                    assertThat(i).isEqualTo(3000);
                }
                try (ResultSet rs = st.executeQuery("SELECT count(DISTINCT row_group_id), max(compression) FROM parquet_metadata('" + file + "')")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("row groups").isEqualTo(3);
                    assertThat(rs.getString(2)).isEqualToIgnoringCase(c == Compression.NONE ? "UNCOMPRESSED" : c.toString());
                }
            }
        }
    }

    @Test
    void shouldWriteParquetWithoutHadoopOnTheClassPath() {
        // the pom removes hadoop-client-api from the test class path: Parquet must not need it
        assertThat(getClass().getClassLoader().getResource("org/apache/hadoop/conf/Configuration.class")).isNull();
    }

    static InputStream decompress(byte[] bytes, Compression c) throws IOException {
        InputStream in = new ByteArrayInputStream(bytes);
        return switch (c) {
            case GZIP -> new GZIPInputStream(in);
            case ZSTD -> new com.github.luben.zstd.ZstdInputStream(in);
            default -> in;
        };
    }
}
