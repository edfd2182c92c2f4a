package io.skyforge.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.skyforge.control.store.ResourceStore;

/** Exposes the store's resourceVersion, which rises with every write: a cheap write-rate signal. */
final class StoreMetrics {

    /** NaN once the store is closed, as Micrometer expects of a gauge whose source is gone. */
    private static double resourceVersion(ResourceStore store) {
        try {
            return store.currentResourceVersion();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    StoreMetrics(ResourceStore store, MeterRegistry registry) {
        Gauge.builder("skyforge_store_resource_version", store, StoreMetrics::resourceVersion)
                .description("highest resourceVersion handed out by the resource store")
                .register(registry);
    }
}
