package io.skyforge.datagen.output;

import java.io.IOException;

/**
 * Where generated files go: a local directory, stdout, or (through an adapter in another module) an
 * object store. Keys are relative paths such as {@code orders/part-03-of-16.csv}.
 */
public interface PartSink {

    /**
     * Opens an object for writing; see {@link PartOutput}: nothing is visible until it is committed,
     * and writing the same key again replaces it, which makes parts idempotent.
     */
    PartOutput open(String key) throws IOException;

    /** Stores a small object whole (the manifest). */
    default void put(String key, byte[] data) throws IOException {
        try (PartOutput out = open(key)) {
            out.write(data);
            out.commit();
        }
    }

    /** Removes an object if it exists (a previous run's manifest, before parts are rewritten). */
    void delete(String key) throws IOException;

    /** Whether the sink keeps separate objects (false for stdout, which gets no manifest). */
    default boolean keepsObjects() {
        return true;
    }

    /** A human-readable location, e.g. {@code /tmp/shop}. */
    String describe();
}
