package io.skyforge.datagen.engine;

/**
 * A keyed bijection of [0, size): a balanced Feistel network over the smallest even number of bits
 * covering the domain, with cycle walking back into the domain. Unique columns map their row index
 * through it, so uniqueness needs no memory and holds for any partitioning.
 */
public final class Feistel {

    private static final int ROUNDS = 4;

    private final long size;
    private final int halfBits;
    private final long halfMask;
    private final long[] keys = new long[ROUNDS];

    public Feistel(long size, long key) {
        if (size <= 0) {
            throw new IllegalArgumentException("domain size must be positive");
        }
        this.size = size;
        int bits = 64 - Long.numberOfLeadingZeros(size - 1);
        if ((bits & 1) == 1) {
            bits++;
        }
        this.halfBits = Math.max(1, bits / 2);
        this.halfMask = (1L << halfBits) - 1;
        for (int i = 0; i < ROUNDS; i++) {
            keys[i] = Mix.mix(key + (i + 1) * Mix.GOLDEN);
        }
    }

    public long size() {
        return size;
    }

    /** The image of {@code x}, for 0 <= x < size. */
    public long apply(long x) {
        if (size == 1) {
            return 0;
        }
        long v = x;
        do {
            v = round(v);
        } while (v >= size);
        return v;
    }

    private long round(long v) {
        long left = v >>> halfBits;
        long right = v & halfMask;
        for (int i = 0; i < ROUNDS; i++) {
            long f = Mix.mix(right ^ keys[i]) & halfMask;
            long t = left ^ f;
            left = right;
            right = t;
        }
        return (left << halfBits) | right;
    }
}
