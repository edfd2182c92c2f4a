package io.skyforge.spi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectStoreConfigTest {

    @Test
    void shouldNeverPrintSecrets() {
        ObjectStoreConfig c = ObjectStoreConfig.builder("s3").name("cloud_a").endpoint("http://127.0.0.1:9000")
                .accessKey("AKIDEXAMPLE").secretKey("very-secret-value").accountKey("c2VjcmV0").build();
        assertThat(c.toString()).contains("AKIDEXAMPLE", "secretKey=***", "accountKey=***")
                .doesNotContain("very-secret-value", "c2VjcmV0");
    }

    @Test
    void shouldMatchOptionsWhateverTheirSpelling() {
        ObjectStoreConfig c = ObjectStoreConfig.builder("s3").option("part_size", "16MiB").option("Max-Attempts", "7").build();
        List<Violation> v = new ArrayList<>();
        assertThat(c.sizeOption("partSize", 1, v)).isEqualTo(16L << 20);
        assertThat(c.intOption("max_attempts", 1, v)).isEqualTo(7);
        assertThat(c.booleanOption("absent", true, v)).isTrue();
        assertThat(v).isEmpty();
    }

    @Test
    void shouldParseSizesWithBinaryUnits() {
        assertThat(ObjectStoreConfig.parseSize("65536")).isEqualTo(65536);
        assertThat(ObjectStoreConfig.parseSize("8M")).isEqualTo(8L << 20);
        assertThat(ObjectStoreConfig.parseSize("1 GiB")).isEqualTo(1L << 30);
        assertThat(ObjectStoreConfig.parseSize("4kb")).isEqualTo(4096);
        assertThatThrownBy(() -> ObjectStoreConfig.parseSize("8 parsecs")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldDefaultNameToTypeAndCopyOptions() {
        ObjectStoreConfig c = ObjectStoreConfig.builder("filesystem").root("/tmp/x").build();
        assertThat(c.name()).isEqualTo("filesystem");
        assertThat(c.toBuilder().name("local").build()).satisfies(d -> {
            assertThat(d.name()).isEqualTo("local");
            assertThat(d.root()).isEqualTo("/tmp/x");
        });
    }
}
