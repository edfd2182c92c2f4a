package io.skyforge.core.model;

import io.skyforge.core.validation.Required;

/** One physical copy of a logical bucket: which cloud, and the bucket/container name there. */
public record BucketProvider(@Required String cloud, @Required String physicalId) {
}
