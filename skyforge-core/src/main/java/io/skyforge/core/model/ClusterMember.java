package io.skyforge.core.model;

import io.skyforge.core.validation.Range;
import io.skyforge.core.validation.Required;

/** One cloud's share of a logical cluster; {@code slots} caps what this cluster may use there. */
public record ClusterMember(@Required String cloud, @Range(min = 0, max = 100000) Integer slots) {
}
