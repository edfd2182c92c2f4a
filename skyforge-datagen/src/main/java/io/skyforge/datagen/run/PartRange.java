package io.skyforge.datagen.run;

/** Rows [start, end) of part {@code part} of {@code parts}: parts differ in size by at most one row. */
public record PartRange(long start, long end) {

    public PartRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
        }
    }

    public static PartRange of(long rows, int part, int parts) {
        if (parts < 1 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("part " + part + " of " + parts + " does not exist (parts are 0.." + (parts - 1) + ")");
        }
        return new PartRange(split(rows, part, parts), split(rows, part + 1, parts));
    }

    private static long split(long rows, int k, int parts) {
        return Math.multiplyHigh(rows, k) == 0 && rows * k >= 0 ? rows * k / parts
                : (long) (java.math.BigInteger.valueOf(rows).multiply(java.math.BigInteger.valueOf(k))
                .divide(java.math.BigInteger.valueOf(parts)).longValue());
    }

    public long rows() {
        return end - start;
    }
}
