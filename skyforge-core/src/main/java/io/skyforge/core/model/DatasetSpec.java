package io.skyforge.core.model;

import io.skyforge.core.validation.FreeForm;
import io.skyforge.core.validation.Required;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A generation recipe. The table and column language belongs to {@code skyforge-datagen}, which
 * checks it through a {@link io.skyforge.core.validation.SpecValidator} (see docs/dataset-spec.md);
 * here only its outline.
 *
 * @param scale default scale factor for the tables' row counts (a job may override it)
 * @param referenceDate "today" for ages and default date ranges (ISO date), so output never depends on the clock
 */
public record DatasetSpec(
        String description,
        Long seed,
        String locale,
        Double scale,
        String referenceDate,
        @Required @FreeForm List<JsonNode> tables) {

    public DatasetSpec {
        tables = tables == null ? null : List.copyOf(tables);
    }
}
