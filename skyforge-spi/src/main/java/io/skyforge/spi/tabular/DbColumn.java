package io.skyforge.spi.tabular;

import java.util.List;

/**
 * A column as declared.
 *
 * @param type the provider's normalised family: boolean, smallint, int, bigint, decimal, real,
 *             double, char, varchar, text, date, time, timestamp, timestamptz, uuid, json, enum,
 *             set, or anything else for types generation does not support (then {@code nativeType} says what)
 * @param nativeType the engine's own spelling, e.g. {@code character varying(40)}, {@code tinyint(1)}
 * @param length characters for char/varchar (0 when unbounded)
 * @param defaultValue the default expression, or null
 * @param identity serial, identity or auto-increment
 * @param generated computed by the database (generated/virtual column): never written
 * @param values the labels of an enum or set type
 */
public record DbColumn(String name, String type, String nativeType, int length, int precision, int scale, boolean nullable,
                       String defaultValue, boolean identity, boolean generated, List<String> values) {

    public DbColumn {
        values = List.copyOf(values);
    }
}
