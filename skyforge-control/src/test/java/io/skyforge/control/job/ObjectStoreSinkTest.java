package io.skyforge.control.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.storage.ObjectStore;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A part written through the sink is visible only when it completes; an aborted one never is. */
class ObjectStoreSinkTest extends JobFixture {

    @Test
    void shouldMakeAPartVisibleOnCloseAndNeverWhenAborted() throws Exception {
        ObjectStore store = runtime.objectStore("A");
        ObjectStoreSink sink = new ObjectStoreSink(store, "bucket-a", "p", uploads, Map.of());
        try (OutputStream out = sink.open("t/part-0-of-1.csv")) {
            out.write("a,b\n".repeat(100_000).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(store.head("bucket-a", "p/t/part-0-of-1.csv")).hasValueSatisfying(i -> assertThat(i.size()).isEqualTo(400_000));

        OutputStream failing = sink.open("t/part-0-of-2.csv");
        failing.write("half a part".repeat(50_000).getBytes(StandardCharsets.UTF_8));
        sink.abort(failing);
        assertThatThrownBy(failing::close).hasMessageContaining("aborted");
        assertThat(store.head("bucket-a", "p/t/part-0-of-2.csv")).isEmpty();

        sink.delete("t/part-0-of-1.csv");
        assertThat(store.head("bucket-a", "p/t/part-0-of-1.csv")).isEmpty();
    }
}
