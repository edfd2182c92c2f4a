package io.skyforge.datagen.output;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where generated files go: a local directory, stdout, or (through an adapter in another module) an
 * object store. Keys are relative paths such as {@code orders/part-03-of-16.csv}.
 */
public interface PartSink {

    /**
     * Opens an object for writing. The object becomes visible only when the stream is closed
     * without error (so a failed or retried part never leaves a truncated file behind); writing the
     * same key again replaces it, which makes parts idempotent.
     */
    OutputStream open(String key) throws IOException;

    /** Stores a small object whole (the manifest), under the same visibility rule. */
    default void put(String key, byte[] data) throws IOException {
        try (OutputStream out = open(key)) {
            out.write(data);
        }
    }

    /** Whether the sink keeps separate objects (false for stdout, which gets no manifest). */
    default boolean keepsObjects() {
        return true;
    }

    /** A human-readable location, e.g. {@code /tmp/shop}. */
    String describe();
}
