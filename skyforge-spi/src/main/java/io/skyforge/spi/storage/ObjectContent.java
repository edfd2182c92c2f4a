package io.skyforge.spi.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * An object being read: its description and a stream of the requested bytes. Close it to release the
 * connection; reading it to the end is not required.
 */
public final class ObjectContent implements Closeable {

    private final ObjectInfo info;
    private final long offset;
    private final long length;
    private final InputStream stream;

    /**
     * @param info   the whole object's description ({@link ObjectInfo#size()} is the full size)
     * @param offset the first byte this stream delivers
     * @param length how many bytes this stream delivers
     */
    public ObjectContent(ObjectInfo info, long offset, long length, InputStream stream) {
        this.info = Objects.requireNonNull(info, "info");
        this.stream = Objects.requireNonNull(stream, "stream");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0");
        }
        this.offset = offset;
        this.length = length;
    }

    public ObjectInfo info() {
        return info;
    }

    public long offset() {
        return offset;
    }

    public long length() {
        return length;
    }

    /** True when only part of the object is delivered. */
    public boolean partial() {
        return offset != 0 || length != info.size();
    }

    public InputStream stream() {
        return stream;
    }

    /** Reads everything that is left; for small objects and tests. */
    public byte[] readAllBytes() {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
