package io.skyforge.spi.tabular;

/** A committed part as the load journal records it. */
public record PartRecord(String table, int part, int parts, long rows) {
}
