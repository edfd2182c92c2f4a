package io.skyforge.datagen.writer;

/**
 * How rows become bytes.
 *
 * @param nullText what CSV writes for NULL (an empty string by default; an empty text value is then quoted)
 * @param sqlBatch rows per INSERT statement; statements start at multiples of it (and at a part's start)
 * @param rowGroupRows Parquet rows per row group
 */
public record WriterOptions(Format format, Compression compression, char delimiter, String nullText, boolean header,
                            SqlDialect dialect, int sqlBatch, int rowGroupRows) {

    public WriterOptions {
        if (format == null) {
            throw new IllegalArgumentException("format is required");
        }
        compression = compression == null ? (format == Format.PARQUET ? Compression.SNAPPY : Compression.NONE) : compression;
        if (format.isText() && compression == Compression.SNAPPY) {
            throw new IllegalArgumentException("snappy is a Parquet codec; text formats take none, gzip or zstd");
        }
        nullText = nullText == null ? "" : nullText;
        dialect = dialect == null ? SqlDialect.POSTGRESQL : dialect;
        if (sqlBatch < 1) {
            throw new IllegalArgumentException("sqlBatch must be positive");
        }
        if (rowGroupRows < 1) {
            throw new IllegalArgumentException("rowGroupRows must be positive");
        }
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("the CSV delimiter cannot be a quote or a line break");
        }
    }

    public static WriterOptions of(Format format) {
        return new WriterOptions(format, null, ',', "", true, SqlDialect.POSTGRESQL, 500, 1_000_000);
    }

    public WriterOptions withCompression(Compression c) {
        return new WriterOptions(format, c, delimiter, nullText, header, dialect, sqlBatch, rowGroupRows);
    }

    public WriterOptions withHeader(boolean h) {
        return new WriterOptions(format, compression, delimiter, nullText, h, dialect, sqlBatch, rowGroupRows);
    }

    public WriterOptions withDialect(SqlDialect d) {
        return new WriterOptions(format, compression, delimiter, nullText, header, d, sqlBatch, rowGroupRows);
    }

    public WriterOptions withSqlBatch(int n) {
        return new WriterOptions(format, compression, delimiter, nullText, header, dialect, n, rowGroupRows);
    }

    public WriterOptions withRowGroupRows(int n) {
        return new WriterOptions(format, compression, delimiter, nullText, header, dialect, sqlBatch, n);
    }

    public WriterOptions withDelimiter(char d) {
        return new WriterOptions(format, compression, d, nullText, header, dialect, sqlBatch, rowGroupRows);
    }

    public WriterOptions withNullText(String n) {
        return new WriterOptions(format, compression, delimiter, n, header, dialect, sqlBatch, rowGroupRows);
    }

    /** File name suffix, e.g. {@code .csv.gz}. */
    public String extension() {
        return "." + format.extension() + (format.isText() ? compression.suffix() : "");
    }
}
