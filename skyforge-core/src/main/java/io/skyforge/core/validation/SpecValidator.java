package io.skyforge.core.validation;

import io.skyforge.core.codec.SourceMap;
import io.skyforge.spi.error.Violation;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Deeper checks of one kind's spec, contributed by the module that owns its language (the
 * datagen module for {@code Dataset}). Found with {@link java.util.ServiceLoader}; runs after the
 * generic checks passed for the envelope, and reports every problem it finds.
 */
public interface SpecValidator {

    /** The kind this validator checks, e.g. {@code Dataset}. */
    String kind();

    /**
     * @param spec the resource's {@code spec} object
     * @param sourceMap locates a field path (rooted at the document, e.g. {@code spec.tables[0].rows})
     * @return every problem found, empty when the spec is valid
     */
    List<Violation> validate(JsonNode spec, SourceMap sourceMap);
}
