package io.skyforge.control.job;

import io.skyforge.core.model.ComputeSpec;

/**
 * Builds the {@link ComputeBackend} of a cloud whose {@code spec.compute.type} is {@link #type()}.
 * Found with {@link java.util.ServiceLoader} ({@code META-INF/services/io.skyforge.control.job.ComputeBackendFactory}):
 * {@code local} and {@code worker} ship with this module, {@code kubernetes} with its provider module.
 */
public interface ComputeBackendFactory {

    /** The {@code spec.compute.type} this factory serves. */
    String type();

    /**
     * @param cloud   the Cloud's name
     * @param compute its {@code spec.compute}
     */
    ComputeBackend create(String cloud, ComputeSpec compute, ComputeContext context);
}
