package io.skyforge.datagen.engine;

import io.skyforge.datagen.spec.ColumnType;

/**
 * What a generator factory returns: a value source of a natural kind, or a finished column
 * generator of a fixed type (references, switches), plus what the compiler needs to check it.
 *
 * @param source a {@link Sources} source matching {@code natural}, or null when {@code direct} is set
 * @param direct a generator that writes the column itself, already in {@code fixedType}
 * @param uniqueDomain how many distinct values the generator yields in its unique mode, or -1 when it has none
 * @param min smallest value for numeric sources (NaN when unbounded/unknown), for decimal overflow checks
 * @param max largest value, likewise
 */
public record Built(Natural natural, Object source, ColumnGen direct, ColumnType fixedType,
                    long uniqueDomain, double min, double max) {

    public static Built of(Natural natural, Object source) {
        return new Built(natural, source, null, null, -1, Double.NaN, Double.NaN);
    }

    public static Built direct(ColumnGen gen, ColumnType type) {
        return new Built(null, null, gen, type, -1, Double.NaN, Double.NaN);
    }

    public Built unique(long domain) {
        return new Built(natural, source, direct, fixedType, domain, min, max);
    }

    public Built bounds(double lo, double hi) {
        return new Built(natural, source, direct, fixedType, uniqueDomain, lo, hi);
    }
}
