package io.skyforge.spi.tabular;

/**
 * @param type a portable type: boolean, int, bigint, decimal(p,s), double, varchar(n), text, date,
 *             time, timestamp, uuid or json
 * @param identity the database numbers it (serial / identity / auto-increment) when not given
 */
public record ColumnDef(String name, String type, boolean nullable, boolean identity) {
}
