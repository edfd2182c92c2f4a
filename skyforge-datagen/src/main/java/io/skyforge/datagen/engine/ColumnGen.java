package io.skyforge.datagen.engine;

/** Fills one column of a row; a pure function of the row index and the row's earlier columns. */
@FunctionalInterface
public interface ColumnGen {

    void fill(long row, Row r, int col, Ctx ctx);
}
