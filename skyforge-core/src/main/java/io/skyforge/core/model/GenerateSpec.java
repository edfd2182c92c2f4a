package io.skyforge.core.model;

import io.skyforge.core.validation.Range;
import io.skyforge.core.validation.Required;
import java.util.List;

/** Which dataset to generate, at what scale, optionally only some tables. */
public record GenerateSpec(
        @Required String dataset,
        @Range(min = 0) Double scale,
        List<String> tables,
        Long seed) {

    public GenerateSpec {
        tables = tables == null ? null : List.copyOf(tables);
    }
}
