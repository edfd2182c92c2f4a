package io.skyforge.datagen.engine;

/**
 * Maps a child row to its parent row when a table has a random number of children per parent row.
 * The count of each parent is a pure function of the parent index; block prefix sums (computed once,
 * 8 bytes per {@value #BLOCK} parents) make any child row's parent reachable without the parent table,
 * and a per-thread cursor makes sequential rows O(1).
 */
public final class ParentIndex {

    static final int BLOCK = 256;

    private final int parentTable;
    private final long parents;
    private final int min;
    private final int span;
    private final long key;
    private final long[] prefix;
    private final long total;

    ParentIndex(int parentTable, long parents, int min, int max, long key) {
        this.parentTable = parentTable;
        this.parents = parents;
        this.min = min;
        this.span = max - min + 1;
        this.key = key;
        int blocks = (int) ((parents + BLOCK - 1) / BLOCK);
        prefix = new long[blocks + 1];
        long sum = 0;
        for (long p = 0; p < parents; p++) {
            if (p % BLOCK == 0) {
                prefix[(int) (p / BLOCK)] = sum;
            }
            sum += count(p);
        }
        prefix[blocks] = sum;
        total = sum;
    }

    public int parentTable() {
        return parentTable;
    }

    public long totalChildren() {
        return total;
    }

    /** How many children parent row {@code p} has. */
    public long count(long p) {
        return span == 1 ? min : min + Mix.below(Mix.cell(key, p), span);
    }

    /**
     * The parent of child row {@code child}; leaves the child's 0-based position among its siblings in
     * {@code ctx.cursorChild - ctx.cursorStart}.
     */
    long parentOf(long child, Ctx ctx, int table) {
        if (ctx.cursorChild[table] == child) {
            return ctx.cursorParent[table];
        }
        long p;
        long start;
        long n;
        if (ctx.cursorChild[table] == child - 1) {
            p = ctx.cursorParent[table];
            start = ctx.cursorStart[table];
            n = ctx.cursorCount[table];
            while (child >= start + n) {
                start += n;
                p++;
                n = count(p);
            }
        } else {
            int lo = 0;
            int hi = prefix.length - 2;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (prefix[mid] <= child) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            p = (long) lo * BLOCK;
            start = prefix[lo];
            n = count(p);
            while (child >= start + n) {
                start += n;
                p++;
                n = count(p);
            }
        }
        ctx.cursorChild[table] = child;
        ctx.cursorParent[table] = p;
        ctx.cursorStart[table] = start;
        ctx.cursorCount[table] = n;
        return p;
    }

    /** 0-based position of {@code child} among its siblings. */
    long ordinal(long child, Ctx ctx, int table) {
        parentOf(child, ctx, table);
        return child - ctx.cursorStart[table];
    }
}
