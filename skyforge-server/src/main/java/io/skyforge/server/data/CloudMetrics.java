package io.skyforge.server.data;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.skyforge.control.cloud.CloudObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code skyforge_cloud_up{cloud}} (1 when the last probe succeeded) and the
 * {@code skyforge_cloud_probe_latency_seconds} histogram, fed by the cloud controller.
 */
public final class CloudMetrics implements CloudObserver {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> up = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    public CloudMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void probed(String cloud, boolean isUp, Duration took) {
        up.computeIfAbsent(cloud, c -> {
            AtomicInteger v = new AtomicInteger();
            gauges.put(c, Gauge.builder("skyforge.cloud.up", v, AtomicInteger::get)
                    .description("1 when the cloud's last storage probe succeeded, else 0")
                    .tag("cloud", c).register(registry));
            return v;
        }).set(isUp ? 1 : 0);
        if (took != null) {
            latency.computeIfAbsent(cloud, c -> Timer.builder("skyforge.cloud.probe.latency")
                    .description("duration of the cloud's storage health probe")
                    .tag("cloud", c)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry)).record(took);
        }
    }

    @Override
    public void removed(String cloud) {
        up.remove(cloud);
        Gauge g = gauges.remove(cloud);
        if (g != null) {
            registry.remove(g);
        }
        Timer t = latency.remove(cloud);
        if (t != null) {
            registry.remove(t);
        }
    }
}
