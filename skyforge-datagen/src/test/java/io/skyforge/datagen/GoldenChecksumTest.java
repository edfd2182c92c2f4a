package io.skyforge.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.writer.Compression;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.WriterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bytes of every example are pinned: a change to any generator, dictionary or writer shows up
 * here. When a change is intended, bump {@code CompiledDataset.ENGINE_VERSION} and re-record with
 * {@code -Dskyforge.updateGolden=true}.
 */
class GoldenChecksumTest {

    static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    /** Parquet with both its codecs too: a faster writer or codec glue must not change a part's bytes. */
    static final Map<String, WriterOptions> FORMATS = formats();

    private static Map<String, WriterOptions> formats() {
        Map<String, WriterOptions> m = new LinkedHashMap<>();
        m.put("csv", WriterOptions.of(Format.CSV));
        m.put("jsonl", WriterOptions.of(Format.JSONL));
        m.put("snappy.parquet", WriterOptions.of(Format.PARQUET));
        m.put("zstd.parquet", WriterOptions.of(Format.PARQUET).withCompression(Compression.ZSTD));
        return m;
    }

    static java.util.List<String> examples() {
        return Specs.exampleNames();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldReproduceTheRecordedBytesOfEveryExample(String example) throws Exception {
        CompiledDataset ds = Specs.compile(Specs.example(example));
        Map<String, String> actual = new LinkedHashMap<>();
        actual.put("engineVersion", CompiledDataset.ENGINE_VERSION);
        for (CompiledTable t : ds.tables()) {
            for (Map.Entry<String, WriterOptions> f : FORMATS.entrySet()) {
                byte[] bytes = Gen.bytes(ds, t.name(), 0, t.rows(), f.getValue(), 1, 4096);
                actual.put(t.name() + "." + f.getKey(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            }
        }
        Path file = GOLDEN.resolve(example.replace(".yaml", ".sha256"));
        String text = actual.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("\n", "", "\n"));
        if (Boolean.getBoolean("skyforge.updateGolden")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, text);
        }
        assertThat(file).as("no golden checksums recorded for %s; record them with -Dskyforge.updateGolden=true", example).exists();
        assertThat(read(file)).as("output of %s changed: if intended, bump ENGINE_VERSION and re-record", example).isEqualTo(actual);
    }

    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                String[] kv = line.split(" ", 2);
                m.put(kv[0], kv[1]);
            }
        }
        return m;
    }
}
