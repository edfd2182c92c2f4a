package io.skyforge.control.cloud;

import java.time.Duration;

/** Receives every probe outcome; the server binds it to Micrometer ({@code skyforge_cloud_up}, probe latency). */
public interface CloudObserver {

    CloudObserver NONE = new CloudObserver() {
        @Override
        public void probed(String cloud, boolean up, Duration latency) {
        }

        @Override
        public void removed(String cloud) {
        }
    };

    /**
     * @param latency how long the probe took, or null when no probe could run (the cloud's store
     *                could not be built from its spec)
     */
    void probed(String cloud, boolean up, Duration latency);

    void removed(String cloud);
}
