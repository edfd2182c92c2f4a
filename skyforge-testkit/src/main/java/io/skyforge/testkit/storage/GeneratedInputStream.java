package io.skyforge.testkit.storage;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * A deterministic stream of pseudo-random bytes of a given length that exists only as a counter, so
 * tests and benchmarks can send gigabytes without a byte[] of that size. The same (size, seed) always
 * yields the same bytes; {@link #expectedSha256} computes their digest without keeping them.
 */
public final class GeneratedInputStream extends InputStream {

    private final long size;
    private final long seed;
    private final long failAt;
    private final LongConsumer progress;
    private long position;

    public GeneratedInputStream(long size, long seed) {
        this(size, seed, -1, p -> { });
    }

    /**
     * @param failAt   throw an IOException once this many bytes were served (-1: never), to model a
     *                 client that disconnects mid-upload
     * @param progress told the number of bytes served after each read
     */
    public GeneratedInputStream(long size, long seed, long failAt, LongConsumer progress) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0");
        }
        this.size = size;
        this.seed = seed;
        this.failAt = failAt;
        this.progress = progress;
    }

    /** The byte at {@code index}: a stateless mix of (seed, index / 8), so any range can be recomputed. */
    public static byte byteAt(long seed, long index) {
        return (byte) (mix(seed + (index >>> 3)) >>> ((index & 7) * 8));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (failAt >= 0 && position >= failAt) {
            throw new IOException("generated stream failed on purpose after " + position + " bytes");
        }
        if (position >= size) {
            return -1;
        }
        long limit = failAt >= 0 ? Math.min(size, failAt) : size;
        int n = (int) Math.min(len, Math.max(1, limit - position));
        long p = position;
        int i = 0;
        // Whole 8-byte words at a time: this stream feeds multi-GiB benchmarks and must not be the bottleneck.
        while (i < n && (p & 7) != 0) {
            b[off + i++] = byteAt(seed, p++);
        }
        while (n - i >= 8) {
            long w = mix(seed + (p >>> 3));
            for (int k = 0; k < 8; k++) {
                b[off + i + k] = (byte) (w >>> (k * 8));
            }
            i += 8;
            p += 8;
        }
        while (i < n) {
            b[off + i++] = byteAt(seed, p++);
        }
        position = p;
        progress.accept(position);
        return n;
    }

    @Override
    public long skip(long n) {
        long k = Math.max(0, Math.min(n, size - position));
        position += k;
        return k;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, size - position);
    }

    /** The SHA-256 (lowercase hex) of the bytes this stream would serve in full. */
    public static String expectedSha256(long size, long seed) {
        try (GeneratedInputStream in = new GeneratedInputStream(size, seed)) {
            return sha256(in);
        }
    }

    /** Reads {@code in} to its end and returns the SHA-256 in lowercase hex. */
    public static String sha256(InputStream in) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] data) {
        return sha256(new java.io.ByteArrayInputStream(data));
    }

    @Override
    public void close() {
        // Nothing to release: the stream is computed.
    }
}
