package io.skyforge.spi.storage;

/**
 * A byte range to read: {@code length} bytes from {@code offset}, or to the end when
 * {@code length} is {@link #TO_END}.
 */
public record ByteRange(long offset, long length) {

    public static final long TO_END = -1;
    public static final ByteRange ALL = new ByteRange(0, TO_END);

    public ByteRange {
        if (offset < 0) {
            throw new IllegalArgumentException("range offset must be >= 0: " + offset);
        }
        if (length == 0 || length < TO_END) {
            throw new IllegalArgumentException("range length must be positive or TO_END: " + length);
        }
    }

    public static ByteRange of(long offset, long length) {
        return new ByteRange(offset, length);
    }

    public static ByteRange from(long offset) {
        return new ByteRange(offset, TO_END);
    }

    public boolean isAll() {
        return offset == 0 && length == TO_END;
    }

    /** The last byte, inclusive, for an HTTP {@code Range: bytes=offset-last} header; -1 when open-ended. */
    public long lastInclusive() {
        return length == TO_END ? -1 : offset + length - 1;
    }

    /** {@code bytes=0-99} or {@code bytes=100-}. */
    public String httpHeader() {
        return "bytes=" + offset + "-" + (length == TO_END ? "" : Long.toString(lastInclusive()));
    }

    /** How many bytes this range covers in an object of {@code size} bytes, clipped at its end. */
    public long lengthWithin(long size) {
        if (offset >= size) {
            return 0;
        }
        long rest = size - offset;
        return length == TO_END ? rest : Math.min(length, rest);
    }
}
