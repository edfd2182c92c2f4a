package io.skyforge.control.store;

import io.skyforge.core.model.Resource;
import java.util.Objects;

/** A change to one resource, as Kubernetes watches report it. */
public record WatchEvent(Type type, Resource object, long resourceVersion) {

    public enum Type { ADDED, MODIFIED, DELETED }

    public WatchEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(object, "object");
    }
}
