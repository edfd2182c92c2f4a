package io.skyforge.datagen.engine;

import java.nio.charset.StandardCharsets;

/**
 * The counter-based randomness of the engine: every value is a pure function of a 64-bit key and
 * a row index, so any row range can be generated alone and gives the same values.
 */
public final class Mix {

    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Mix() {
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser: a cheap bijective avalanche on 64 bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The first random word of (key, row). */
    public static long cell(long key, long row) {
        return mix(key + row * GOLDEN);
    }

    /** The {@code n}-th further random word derived from a cell's first word. */
    public static long next(long h, int n) {
        return mix(h + (n + 1) * 0xD1B54A32D192ED03L);
    }

    /** Combines a parent key with a name, so that keys of siblings differ and do not depend on order. */
    public static long key(long parent, String name) {
        long h = parent ^ 0x6A09E667F3BCC909L;
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        for (byte x : b) {
            h = mix(h ^ (x & 0xFF)) ;
        }
        return mix(h + b.length);
    }

    /** A uniform double in [0, 1). */
    public static double unit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    /** A uniform integer in [0, n), n > 0. */
    public static long below(long h, long n) {
        if (n <= 0x7FFFFFFFL) {
            return ((h >>> 32) * n) >>> 32;
        }
        return Long.remainderUnsigned(h, n);
    }

    /** A uniform int in [0, n) for small n (array indexes). */
    public static int index(long h, int n) {
        return (int) (((h >>> 32) * n) >>> 32);
    }
}
