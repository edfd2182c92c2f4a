package io.skyforge.sync.replication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The meters of one logical bucket's replication; names and tags are listed in docs/sync.md. */
final class SyncMetrics {

    private final MeterRegistry registry;
    private final String bucket;
    private final Map<String, Object> cache = new ConcurrentHashMap<>();

    SyncMetrics(MeterRegistry registry, String bucket) {
        this.registry = registry;
        this.bucket = bucket;
    }

    void lag(String source, String target, Duration lag) {
        ((Timer) cache.computeIfAbsent("lag|" + source + "|" + target, k -> Timer.builder("skyforge.sync.replication.lag")
                .description("time from a write (its HLC) to its arrival on another copy")
                .tags("bucket", bucket, "source", source, "target", target)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry))).record(lag.isNegative() ? Duration.ZERO : lag);
    }

    void replicated(String source, String target, long bytes) {
        counter("skyforge.sync.replicated.bytes", "bytes copied to another copy", source, target).increment(bytes);
        counter("skyforge.sync.replicated.objects", "writes and deletes applied to another copy", source, target).increment();
    }

    void failure(String source, String target, String code) {
        ((Counter) cache.computeIfAbsent("fail|" + source + "|" + target + "|" + code, k -> Counter.builder("skyforge.sync.failures")
                .description("replication operations that failed (retried later)")
                .tags("bucket", bucket, "source", source, "target", target, "code", code)
                .register(registry))).increment();
    }

    void conflict(String winnerOrigin, String loserCloud) {
        counter("skyforge.sync.conflicts", "concurrent versions resolved by last-writer-wins", winnerOrigin, loserCloud).increment();
    }

    void guardTripped(String cloud) {
        counter("skyforge.sync.guard.tripped", "mass-delete guard pauses", cloud, cloud).increment();
    }

    void pendingGauges(String target, Supplier<Number> objects, Supplier<Number> bytes) {
        Gauge.builder("skyforge.sync.pending.objects", objects).description("keys waiting to be written to or deleted from this copy")
                .tags("bucket", bucket, "source", "*", "target", target).register(registry);
        Gauge.builder("skyforge.sync.pending.bytes", bytes).description("bytes waiting to be copied to this copy")
                .tags("bucket", bucket, "source", "*", "target", target).register(registry);
    }

    void pausedGauge(Supplier<Number> paused) {
        Gauge.builder("skyforge.sync.paused", paused).description("1 while a safety guard holds this bucket's sync")
                .tags("bucket", bucket).register(registry);
    }

    private Counter counter(String name, String description, String source, String target) {
        return (Counter) cache.computeIfAbsent(name + "|" + source + "|" + target, k -> Counter.builder(name)
                .description(description).tags("bucket", bucket, "source", source, "target", target).register(registry));
    }
}
