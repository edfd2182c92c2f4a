package io.skyforge.datagen.writer;

import java.util.Locale;

/**
 * Compression: for text formats it wraps the whole file (and adds a suffix); for Parquet it is
 * the column-chunk codec inside the file.
 */
public enum Compression {
    NONE(""),
    GZIP(".gz"),
    ZSTD(".zst"),
    SNAPPY("");

    private final String suffix;

    Compression(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    public static Compression parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "none", "uncompressed" -> NONE;
            case "gzip", "gz" -> GZIP;
            case "zstd", "zst" -> ZSTD;
            case "snappy" -> SNAPPY;
            default -> throw new IllegalArgumentException("unknown compression '" + s + "'; one of none, gzip, zstd, snappy (parquet only)");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
