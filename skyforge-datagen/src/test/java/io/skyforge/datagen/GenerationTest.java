package io.skyforge.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.output.LocalDirSink;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import io.skyforge.datagen.output.PartSink;
import io.skyforge.datagen.run.Generation;
import io.skyforge.datagen.run.Manifest;
import io.skyforge.datagen.writer.Format;
import io.skyforge.datagen.writer.WriterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class GenerationTest {

    @TempDir
    Path tmp;

    @Test
    void shouldRecordEveryPartsSizeAndChecksumInTheManifest() throws Exception {
        CompiledDataset ds = Specs.compile(Specs.example("shop.yaml"));
        ObjectNode m = Generation.run("shop", ds, List.of(), 3, WriterOptions.of(Format.PARQUET), new LocalDirSink(tmp), 2, n -> { });
        assertThat(m.get("engineVersion").asString()).isNotEmpty();
        assertThat(m.get("specHash").asString()).startsWith("sha256:").hasSize(71);
        assertThat(m.get("loadOrder").toString()).isEqualTo("[\"customers\",\"products\",\"orders\",\"order_lines\"]");
        for (JsonNode t : m.get("tables")) {
            long rows = 0;
            for (JsonNode p : t.get("parts")) {
                Path file = tmp.resolve(p.get("key").asString());
                byte[] bytes = Files.readAllBytes(file);
                assertThat(bytes.length).isEqualTo(p.get("bytes").asLong());
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).isEqualTo(p.get("sha256").asString());
                rows += p.get("rows").asLong();
            }
            assertThat(rows).isEqualTo(t.get("rows").asLong()).isEqualTo(ds.table(t.get("name").asString()).rows());
        }
        assertThat(Files.readAllBytes(tmp.resolve(Manifest.KEY))).isEqualTo(Manifest.bytes(m));
    }

    @Test
    void shouldRemoveAStaleManifestBeforeRewritingParts() throws Exception {
        Files.writeString(tmp.resolve(Manifest.KEY), "{\"stale\": true}");
        LocalDirSink dir = new LocalDirSink(tmp);
        AtomicInteger opened = new AtomicInteger();
        PartSink failing = new PartSink() {
            private OutputStream real;

            @Override
            public OutputStream open(String key) throws IOException {
                real = dir.open(key);
                if (opened.incrementAndGet() < 2) {
                    return real;
                }
                // the second part fails after some bytes, the way a full disk does
                return new FilterOutputStream(real) {
                    private int written;

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if ((written += len) > 1000) {
                            throw new IOException("disk full");
                        }
                        out.write(b, off, len);
                    }
                };
            }

            @Override
            public void abort(OutputStream stream) {
                dir.abort(real);
            }

            @Override
            public void delete(String key) throws IOException {
                dir.delete(key);
            }

            @Override
            public String describe() {
                return "failing";
            }
        };
        CompiledDataset ds = Specs.compile(Specs.example("shop.yaml"));
        assertThatThrownBy(() -> Generation.run("shop", ds, List.of(), 2, WriterOptions.of(Format.CSV), failing, 1, n -> { }))
                .hasMessageContaining("disk full");
        assertThat(tmp.resolve(Manifest.KEY)).doesNotExist();
        // nothing half-written is visible: only committed parts exist, no temporary files
        try (var files = Files.walk(tmp)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> tmp.relativize(p).toString()).toList())
                    .containsExactly("customers/part-0-of-2.csv");
        }
    }
}
