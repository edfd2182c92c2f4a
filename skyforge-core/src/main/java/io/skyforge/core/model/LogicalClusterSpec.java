package io.skyforge.core.model;

import io.skyforge.core.validation.Required;
import java.util.List;

/** A compute pool mapped to per-cloud backends. */
public record LogicalClusterSpec(@Required List<ClusterMember> members) {

    public LogicalClusterSpec {
        members = members == null ? null : List.copyOf(members);
    }
}
