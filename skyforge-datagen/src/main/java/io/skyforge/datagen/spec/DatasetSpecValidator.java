package io.skyforge.datagen.spec;

import io.skyforge.core.codec.SourceMap;
import io.skyforge.core.validation.SpecValidator;
import io.skyforge.datagen.engine.DatasetCompiler;
import io.skyforge.spi.error.Violation;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Deep validation of {@code Dataset} specs at apply time: the same compilation that generation
 * runs, so a spec the server accepts is a spec that generates.
 */
public final class DatasetSpecValidator implements SpecValidator {

    @Override
    public String kind() {
        return "Dataset";
    }

    @Override
    public List<Violation> validate(JsonNode spec, SourceMap sourceMap) {
        return DatasetCompiler.check(spec, sourceMap);
    }
}
