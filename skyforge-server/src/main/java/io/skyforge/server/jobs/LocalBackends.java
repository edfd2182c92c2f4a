package io.skyforge.server.jobs;

import io.skyforge.control.job.JobRuntime;
import io.skyforge.control.job.LocalComputeBackend;
import io.skyforge.control.job.PartitionRunner;
import io.skyforge.control.job.TaskQueue;
import io.skyforge.control.resources.ResourceService;
import io.skyforge.core.model.CloudSpec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.select.LabelSelector;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one in-process {@link LocalComputeBackend} per Cloud whose {@code spec.compute.type} is
 * {@code local}, sized to its slots, following Cloud changes (added, resized, removed).
 */
public final class LocalBackends implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalBackends.class);
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final ResourceService service;
    private final TaskQueue queue;
    private final PartitionRunner runner;
    private final JobRuntime runtime;
    private final String processId = "server-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, LocalComputeBackend> backends = new HashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "skyforge-local-backends");
        t.setDaemon(true);
        return t;
    });

    public LocalBackends(ResourceService service, TaskQueue queue, PartitionRunner runner, JobRuntime runtime) {
        this.service = service;
        this.queue = queue;
        this.runner = runner;
        this.runtime = runtime;
    }

    public void start() {
        refresher.scheduleWithFixedDelay(this::refresh, 0, 2, TimeUnit.SECONDS);
    }

    synchronized void refresh() {
        try {
            Set<String> seen = new HashSet<>();
            for (Resource cloud : service.list(Kinds.CLOUD, null, LabelSelector.EVERYTHING, 0, null).items()) {
                CloudSpec spec = Kinds.spec(cloud, CloudSpec.class);
                if (spec.compute() == null || !"local".equals(spec.compute().type())) {
                    continue;
                }
                int slots = spec.compute().slots() == null ? 1 : spec.compute().slots();
                seen.add(cloud.name());
                LocalComputeBackend current = backends.get(cloud.name());
                if (current != null && current.slots() == Math.max(1, slots)) {
                    continue;
                }
                if (current != null) {
                    current.close();
                }
                if (slots > 0) {
                    backends.put(cloud.name(), new LocalComputeBackend(cloud.name(), slots, queue, runner, runtime, LEASE, processId));
                    LOG.info("local compute for cloud {}: {} slots", cloud.name(), slots);
                } else {
                    backends.remove(cloud.name());
                }
            }
            backends.keySet().removeIf(name -> {
                if (seen.contains(name)) {
                    return false;
                }
                backends.get(name).close();
                return true;
            });
        } catch (RuntimeException e) {
            LOG.warn("refreshing local compute backends failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        refresher.shutdownNow();
        backends.values().forEach(LocalComputeBackend::close);
        backends.clear();
    }
}
