package io.skyforge.datagen.output;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where generated files go: a local directory, stdout, or an object store (the control plane's
 * adapter). Keys are relative paths such as {@code orders/part-03-of-16.csv}.
 */
public interface PartSink {

    /**
     * Opens an object for writing. It becomes visible when the stream is closed, replacing any
     * earlier version (so parts are idempotent) — unless {@link #abort} was called on it first.
     */
    OutputStream open(String key) throws IOException;

    /**
     * Marks a stream from {@link #open} as failed: its close must then discard what was written
     * (delete the temporary file, abort the upload) so no reader sees a truncated part. Sinks that
     * cannot take bytes back (a pipe to stdout) keep the default, which does nothing.
     */
    default void abort(OutputStream stream) {
    }

    /** Stores a small object whole (the manifest). */
    default void put(String key, byte[] data) throws IOException {
        try (OutputStream out = open(key)) {
            out.write(data);
        }
    }

    /**
     * Removes an object if it exists: a previous run's manifest, before parts are rewritten, so it
     * cannot vouch for a half-replaced output. Sinks that keep objects should override it.
     */
    default void delete(String key) throws IOException {
    }

    /** Whether the sink keeps separate objects (false for stdout, which gets no manifest). */
    default boolean keepsObjects() {
        return true;
    }

    /** A human-readable location, e.g. {@code /tmp/shop}. */
    String describe();
}
