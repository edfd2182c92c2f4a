package io.skyforge.datagen.engine;

import io.skyforge.datagen.spec.ColumnType;

/** What a generator naturally produces, before adaptation to the column's declared type. */
public enum Natural {
    INTEGER(ColumnType.of(ColumnType.Kind.BIGINT)),
    REAL(ColumnType.of(ColumnType.Kind.DOUBLE)),
    BOOLEAN(ColumnType.of(ColumnType.Kind.BOOLEAN)),
    DATE(ColumnType.of(ColumnType.Kind.DATE)),
    TIME(ColumnType.of(ColumnType.Kind.TIME)),
    TIMESTAMP(ColumnType.of(ColumnType.Kind.TIMESTAMP)),
    TEXT(ColumnType.of(ColumnType.Kind.VARCHAR)),
    UUID(ColumnType.of(ColumnType.Kind.UUID));

    private final ColumnType defaultType;

    Natural(ColumnType defaultType) {
        this.defaultType = defaultType;
    }

    public ColumnType defaultType() {
        return defaultType;
    }
}
