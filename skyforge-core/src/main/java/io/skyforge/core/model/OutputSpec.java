package io.skyforge.core.model;

import io.skyforge.core.validation.OneOf;
import io.skyforge.core.validation.Required;

/** Where a job writes: a logical bucket and prefix, in one format. */
public record OutputSpec(
        @Required String bucket,
        String prefix,
        @OneOf({"csv", "jsonl", "parquet", "sql"}) String format,
        @OneOf({"none", "gzip", "zstd", "snappy"}) String compression) {
}
