package io.skyforge.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.skyforge.control.store.ResourceStore;

/** Exposes the store's resourceVersion, which rises with every write: a cheap write-rate signal. */
final class StoreMetrics {

    StoreMetrics(ResourceStore store, MeterRegistry registry) {
        Gauge.builder("skyforge_store_resource_version", store, ResourceStore::currentResourceVersion)
                .description("highest resourceVersion handed out by the resource store")
                .register(registry);
    }
}
