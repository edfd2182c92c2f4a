package io.skyforge.schema.load;

import java.util.List;

/**
 * @param partitions parts per table (tables that reference themselves load as one part, so every
 *                   referenced earlier row is already there)
 * @param parallelism parts loading at once, each on its own connection
 * @param tables only these tables (empty: all, in load order)
 */
public record LoadOptions(boolean createTables, boolean append, boolean truncate, int partitions, int parallelism, List<String> tables) {

    public LoadOptions {
        tables = List.copyOf(tables);
        if (append && truncate) {
            throw new IllegalArgumentException("give --append or --truncate, not both");
        }
        if (partitions < 1 || parallelism < 1) {
            throw new IllegalArgumentException("partitions and parallelism must be at least 1");
        }
    }

    public static LoadOptions defaults() {
        return new LoadOptions(false, false, false, 4, 4, List.of());
    }
}
