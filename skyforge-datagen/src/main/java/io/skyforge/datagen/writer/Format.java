package io.skyforge.datagen.writer;

import java.util.Locale;

/** Output file formats. */
public enum Format {
    CSV("csv"),
    JSONL("jsonl"),
    SQL("sql"),
    PARQUET("parquet");

    private final String extension;

    Format(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    public boolean isText() {
        return this != PARQUET;
    }

    public static Format parse(String s) {
        for (Format f : values()) {
            if (f.extension.equalsIgnoreCase(s) || f.name().equalsIgnoreCase(s) || (f == JSONL && s.equalsIgnoreCase("json"))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + s + "'; one of csv, jsonl, sql, parquet");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
