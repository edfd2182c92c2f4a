package io.skyforge.core.model;

import java.util.Objects;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The envelope every resource shares. {@code spec} and {@code status} are kept as JSON trees so the
 * store and the API carry any kind unchanged; {@link Kinds#spec} binds a spec to its typed record.
 * The trees are copied in, so treat them as read-only: build a new Resource to change one.
 */
public record Resource(String apiVersion, String kind, ObjectMeta metadata, ObjectNode spec, ObjectNode status) {

    public Resource {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(metadata, "metadata");
        spec = spec == null ? JsonNodeFactory.instance.objectNode() : spec.deepCopy();
        status = status == null ? JsonNodeFactory.instance.objectNode() : status.deepCopy();
    }

    public String name() {
        return metadata.name();
    }

    public String namespace() {
        return metadata.namespace();
    }

    public Resource withMetadata(ObjectMeta m) {
        return new Resource(apiVersion, kind, m, spec, status);
    }

    public Resource withSpec(ObjectNode s) {
        return new Resource(apiVersion, kind, metadata, s, status);
    }

    public Resource withStatus(ObjectNode s) {
        return new Resource(apiVersion, kind, metadata, spec, s);
    }

    /** {@code Kind namespace/name}, for messages. */
    public String ref() {
        return kind + " " + (metadata.namespace() == null ? "" : metadata.namespace() + "/") + metadata.name();
    }
}
