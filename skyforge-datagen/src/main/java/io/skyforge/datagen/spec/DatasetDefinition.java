package io.skyforge.datagen.spec;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A parsed {@code Dataset} spec: the structure is checked, generators are still raw (the compiler
 * checks them, because their validity depends on column types and other tables).
 *
 * @param referenceDate "today" for ages and relative dates, fixed so that output never depends on the clock
 */
public record DatasetDefinition(
        String description, long seed, String locale, double scale, LocalDate referenceDate, List<TableSpec> tables) {

    public DatasetDefinition {
        tables = List.copyOf(tables);
        if (scale <= 0 || Double.isNaN(scale) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive, got " + scale);
        }
    }

    public Optional<TableSpec> table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
