package io.skyforge.core.model;

import io.skyforge.core.validation.IntOrString;

/** Kubernetes-style quantities: {@code cpu: 2} or {@code "500m"}, {@code memory: 4Gi}. */
public record ResourceRequirements(@IntOrString String cpu, @IntOrString String memory) {
}
