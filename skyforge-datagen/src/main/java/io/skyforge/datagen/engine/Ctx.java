package io.skyforge.datagen.engine;

/**
 * Per-thread scratch state: rows of parent tables being re-derived for foreign keys (one per
 * reference group) and the cursors that make child-to-parent lookups O(1) on sequential rows.
 * Nothing here changes a value; it only avoids recomputation.
 */
public final class Ctx {

    final Row[] groupRows;
    final long[] cursorChild;
    final long[] cursorParent;
    final long[] cursorStart;
    final long[] cursorCount;
    final CompiledDataset dataset;

    public Ctx(CompiledDataset dataset) {
        this.dataset = dataset;
        int groups = dataset.groupCount();
        groupRows = new Row[groups];
        for (int i = 0; i < groups; i++) {
            groupRows[i] = new Row(dataset.groupTable(i).columnCount());
        }
        int tables = dataset.tables().size();
        cursorChild = new long[tables];
        cursorParent = new long[tables];
        cursorStart = new long[tables];
        cursorCount = new long[tables];
        java.util.Arrays.fill(cursorChild, -2);
    }
}
