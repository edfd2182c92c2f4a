package io.skyforge.schema.load;

import java.util.Map;

/**
 * @param loaded rows loaded by this run, per table
 * @param skippedParts parts a previous run had committed (found in the journal) and this one skipped
 */
public record LoadResult(Map<String, Long> loaded, int loadedParts, int skippedParts, double seconds) {

    public LoadResult {
        loaded = Map.copyOf(loaded);
    }

    public long totalRows() {
        return loaded.values().stream().mapToLong(Long::longValue).sum();
    }
}
