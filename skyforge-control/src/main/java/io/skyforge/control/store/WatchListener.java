package io.skyforge.control.store;

import io.skyforge.spi.error.SkyforgeException;

/** Receives watch events in resourceVersion order. */
@FunctionalInterface
public interface WatchListener {
    void onEvent(WatchEvent event);

    /**
     * The watch ended without being closed by its owner: it fell behind the store's event retention
     * ({@code SF-GONE}, list again and watch from the list's resourceVersion) or the store closed
     * ({@code SF-UNAVAILABLE}). No event follows.
     */
    default void onError(SkyforgeException error) {
    }
}
