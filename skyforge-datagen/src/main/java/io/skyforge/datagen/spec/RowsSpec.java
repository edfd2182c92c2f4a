package io.skyforge.datagen.spec;

/**
 * How many rows a table has: a count (multiplied by the scale factor unless {@code scaled} is
 * false) or a number of children per row of a parent table.
 */
public sealed interface RowsSpec {

    record Count(long count, boolean scaled) implements RowsSpec {
        public Count {
            if (count < 0) {
                throw new IllegalArgumentException("row count must not be negative");
            }
        }

        public long resolve(double scale) {
            if (!scaled) {
                return count;
            }
            double r = Math.rint(count * scale);
            if (r >= Long.MAX_VALUE / 2) {
                throw new IllegalArgumentException("row count overflows at scale " + scale);
            }
            return (long) r;
        }
    }

    /** Each parent row has between {@code min} and {@code max} children (uniform, inclusive). */
    record PerParent(String table, int min, int max) implements RowsSpec {
        public PerParent {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("children per parent must satisfy 0 <= min <= max");
            }
        }
    }
}
