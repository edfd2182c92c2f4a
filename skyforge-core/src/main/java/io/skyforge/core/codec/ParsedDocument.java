package io.skyforge.core.codec;

import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * One document of a YAML/JSON input, with where its fields came from.
 *
 * @param index 0-based position of the document in its source (for "document 3 of x.yaml")
 */
public record ParsedDocument(String source, int index, ObjectNode body, SourceMap sourceMap) {

    public ParsedDocument {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(sourceMap, "sourceMap");
        source = source == null ? "" : source;
    }
}
