package io.skyforge.control.store;

/** Receives watch events in resourceVersion order. */
@FunctionalInterface
public interface WatchListener {
    void onEvent(WatchEvent event);
}
