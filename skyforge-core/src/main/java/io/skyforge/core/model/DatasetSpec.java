package io.skyforge.core.model;

import io.skyforge.core.validation.FreeForm;
import io.skyforge.core.validation.Required;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A generation recipe. The table and column language belongs to {@code skyforge-datagen}, which
 * checks it through a {@link io.skyforge.core.validation.SpecValidator}; here only its outline.
 */
public record DatasetSpec(
        String description,
        Long seed,
        String locale,
        @Required @FreeForm List<JsonNode> tables) {

    public DatasetSpec {
        tables = tables == null ? null : List.copyOf(tables);
    }
}
