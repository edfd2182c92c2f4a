package io.skyforge.server.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.skyforge.control.cloud.CloudController;
import io.skyforge.control.journal.WriteJournal;
import io.skyforge.control.resources.ResourceService;
import io.skyforge.control.store.JdbcResourceStore;
import io.skyforge.control.store.ResourceStore;
import io.skyforge.control.sync.JdbcConflictLog;
import io.skyforge.control.sync.ReplicationController;
import io.skyforge.control.sync.SyncCursors;
import io.skyforge.sync.clock.HybridLogicalClock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The sync engine in the control plane (docs/sync.md): one clock per node, persisted conflicts and cursors, the controller. */
@Configuration(proxyBeanMethods = false)
public class SyncConfiguration {

    /** One clock per control-plane node, shared by every bucket's replicator and writer. */
    @Bean
    HybridLogicalClock syncClock(Environment env) {
        return new HybridLogicalClock(System::currentTimeMillis, duration(env, "skyforge.sync.max-clock-skew",
                HybridLogicalClock.DEFAULT_MAX_SKEW));
    }

    @Bean
    JdbcConflictLog syncConflictLog(ResourceStore store) {
        return new JdbcConflictLog(((JdbcResourceStore) store).dataSource());
    }

    @Bean
    SyncCursors syncCursors(ResourceStore store) {
        return new SyncCursors(((JdbcResourceStore) store).dataSource());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    ReplicationController replicationController(ResourceService service, CloudController clouds, WriteJournal journal,
                                                JdbcConflictLog conflicts, SyncCursors cursors, MeterRegistry registry,
                                                HybridLogicalClock clock, Environment env) {
        ReplicationController.Settings d = ReplicationController.Settings.DEFAULTS;
        ReplicationController.Settings settings = new ReplicationController.Settings(
                duration(env, "skyforge.sync.scan-interval", d.scanInterval()),
                duration(env, "skyforge.sync.retry-interval", d.retryInterval()),
                duration(env, "skyforge.sync.tombstone-window", d.tombstoneWindow()),
                env.getProperty("skyforge.sync.workers", Integer.class, d.workers()),
                env.getProperty("skyforge.sync.max-transfers", Integer.class, d.maxTransfers()),
                duration(env, "skyforge.sync.reconcile-interval", d.reconcileInterval()),
                d.cursorFlushInterval());
        return new ReplicationController(service, clouds, journal, conflicts, cursors, registry, clock, settings);
    }

    private static Duration duration(Environment env, String name, Duration fallback) {
        return env.getProperty(name, Duration.class, fallback);
    }
}
