package io.skyforge.datagen.run;

/** One written part: what the manifest records about it. */
public record PartResult(String table, int part, int parts, String key, long firstRow, long rows, long bytes, String sha256) {
}
