package io.skyforge.datagen.spec;

import tools.jackson.databind.JsonNode;

/**
 * One column.
 *
 * @param type null when the spec leaves it to the generator's natural type
 * @param generator the raw generator (a kind name or an object with {@code kind}); checked by the compiler
 * @param hidden computed and usable by other columns, but not written
 */
public record ColumnSpec(
        String name, String path, ColumnType type, JsonNode generator, double nullRate, boolean unique, boolean hidden) {

    public ColumnSpec {
        if (nullRate < 0 || nullRate > 1) {
            throw new IllegalArgumentException("nullRate must be within [0, 1]");
        }
    }
}
