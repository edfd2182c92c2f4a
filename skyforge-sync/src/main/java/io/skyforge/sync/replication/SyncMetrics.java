package io.skyforge.sync.replication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** The meters of one logical bucket's replication; names and tags are listed in docs/sync.md. */
final class SyncMetrics {

    private final MeterRegistry registry;
    private final String bucket;
    private final Map<String, Object> cache = new ConcurrentHashMap<>();
    /** Everything registered, so a replicator that is replaced (a spec change) takes its meters with it. */
    private final List<Meter> registered = new CopyOnWriteArrayList<>();

    SyncMetrics(MeterRegistry registry, String bucket) {
        this.registry = registry;
        this.bucket = bucket;
    }

    void lag(String source, String target, Duration lag) {
        ((Timer) cache.computeIfAbsent("lag|" + source + "|" + target, k -> keep(Timer.builder("skyforge.sync.replication.lag")
                .description("time from a write (its HLC) to its arrival on another copy")
                .tags("bucket", bucket, "source", source, "target", target)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry)))).record(lag.isNegative() ? Duration.ZERO : lag);
    }

    void replicated(String source, String target, long bytes) {
        counter("skyforge.sync.replicated.bytes", "bytes copied to another copy", source, target).increment(bytes);
        counter("skyforge.sync.replicated.objects", "writes and deletes applied to another copy", source, target).increment();
    }

    void failure(String source, String target, String code) {
        ((Counter) cache.computeIfAbsent("fail|" + source + "|" + target + "|" + code, k -> keep(Counter.builder("skyforge.sync.failures")
                .description("replication operations that failed (retried later)")
                .tags("bucket", bucket, "source", source, "target", target, "code", code)
                .register(registry)))).increment();
    }

    void conflict(String winnerOrigin, String loserCloud) {
        counter("skyforge.sync.conflicts", "concurrent versions resolved by last-writer-wins", winnerOrigin, loserCloud).increment();
    }

    void guardTripped(String cloud) {
        counter("skyforge.sync.guard.tripped", "mass-delete guard pauses", cloud, cloud).increment();
    }

    void pendingGauges(String target, Supplier<Number> objects, Supplier<Number> bytes) {
        keep(Gauge.builder("skyforge.sync.pending.objects", objects).description("keys waiting to be written to or deleted from this copy")
                .tags("bucket", bucket, "source", "*", "target", target).register(registry));
        keep(Gauge.builder("skyforge.sync.pending.bytes", bytes).description("bytes waiting to be copied to this copy")
                .tags("bucket", bucket, "source", "*", "target", target).register(registry));
    }

    void pausedGauge(Supplier<Number> paused) {
        keep(Gauge.builder("skyforge.sync.paused", paused).description("1 while a safety guard or an operator holds this bucket's sync")
                .tags("bucket", bucket).register(registry));
    }

    private Counter counter(String name, String description, String source, String target) {
        return (Counter) cache.computeIfAbsent(name + "|" + source + "|" + target, k -> keep(Counter.builder(name)
                .description(description).tags("bucket", bucket, "source", source, "target", target).register(registry)));
    }

    private <M extends Meter> M keep(M meter) {
        registered.add(meter);
        return meter;
    }

    /** Removes this bucket's meters; counters of a replacement start again from zero, as Prometheus expects of a restart. */
    void close() {
        for (Meter m : registered) {
            registry.remove(m);
        }
        registered.clear();
        cache.clear();
    }
}
