package io.skyforge.spi.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectStoresTest {

    /** Registered in this module's test META-INF/services; only records the config it was given. */
    public static final class RecordingFactory implements ObjectStoreFactory {
        @Override
        public String type() {
            return "recording";
        }

        @Override
        public List<Violation> validate(ObjectStoreConfig config) {
            List<Violation> v = new ArrayList<>();
            config.sizeOption("partSize", 1, v);
            config.intOption("concurrency", 1, v);
            return v;
        }

        @Override
        public ObjectStore create(ObjectStoreConfig config) {
            config.requireValid(validate(config));
            throw new SkyforgeException(ErrorCode.UNSUPPORTED, "recording factory creates nothing");
        }
    }

    @Test
    void shouldFindRegisteredFactoryByType() {
        assertThat(ObjectStores.factory("recording")).isInstanceOf(RecordingFactory.class);
        assertThat(ObjectStores.factories()).containsOnlyKeys("recording");
    }

    @Test
    void shouldSuggestClosestTypeAndListKnownTypesForUnknownType() {
        assertThatThrownBy(() -> ObjectStores.factory("recordin"))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(e.getMessage()).isEqualTo(
                            "unknown provider type 'recordin' (did you mean 'recording'?); known types: recording");
                });
    }

    @Test
    void shouldNotSuggestAnythingForUnrelatedType() {
        Map<String, ObjectStoreFactory> known = Map.of("s3", new RecordingFactory(), "filesystem", new RecordingFactory());
        assertThatThrownBy(() -> ObjectStores.factory("mongodb", new java.util.TreeMap<>(known)))
                .hasMessage("unknown provider type 'mongodb'; known types: filesystem, s3");
        assertThatThrownBy(() -> ObjectStores.factory("s4", new java.util.TreeMap<>(known)))
                .hasMessageContaining("did you mean 's3'?");
    }

    @Test
    void shouldFailClearlyWhenNoProviderIsOnTheClassPath() {
        assertThatThrownBy(() -> ObjectStores.factory("s3", Map.of()))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessageContaining("no object store provider on the class path");
    }

    @Test
    void shouldReportEveryInvalidOptionAtOnce() {
        ObjectStoreConfig config = ObjectStoreConfig.builder("recording").name("cloud_a")
                .option("part_size", "lots").option("concurrency", "many").build();
        assertThat(ObjectStores.validate(config)).extracting(Violation::path)
                .containsExactly("options.partSize", "options.concurrency");
        assertThatThrownBy(() -> ObjectStores.open(config))
                .isInstanceOfSatisfying(SkyforgeException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(e.violations()).hasSize(2);
                    assertThat(e.getMessage()).contains("cloud 'cloud_a'");
                });
    }

    @Test
    void shouldReportUnknownTypeAsViolationWhenValidating() {
        assertThat(ObjectStores.validate(ObjectStoreConfig.builder("nope").build()))
                .extracting(Violation::path).containsExactly("type");
    }
}
