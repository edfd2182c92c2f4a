package io.skyforge.control.job;

import io.skyforge.core.model.CloudSpec;
import io.skyforge.core.model.ComputeSpec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compute backend of every Cloud with a {@code spec.compute}, built by the factory of its
 * {@code type} and rebuilt when the compute spec changes (a resized local pool, another
 * Kubernetes namespace). The DataJob controller tells it about dispatched and released jobs; it
 * forwards each to the backend of the cloud concerned.
 */
public final class ComputeBackends implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ComputeBackends.class);

    private final Map<String, ComputeBackendFactory> factories;
    private final ComputeContext context;
    private final Supplier<List<Resource>> clouds;
    private final Map<String, Entry> backends = new HashMap<>();
    /**
     * The latest dispatch of each running job, per cloud, replayed to a backend rebuilt for a changed
     * compute spec: the controller dispatches a running job once per process, and a backend that
     * tracks its jobs (Kubernetes) would otherwise never hear of them again.
     */
    private final Map<String, Map<String, ComputeBackend.Dispatch>> running = new HashMap<>();
    private final java.util.concurrent.ScheduledExecutorService refresher =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "skyforge-compute-backends");
                t.setDaemon(true);
                return t;
            });

    /** A cloud's backend, or why it has none. */
    private record Entry(ComputeSpec spec, ComputeBackend backend, SkyforgeException problem) {
    }

    /** With the factories {@link ServiceLoader} finds; fails when there are none (a broken jar). */
    public ComputeBackends(ComputeContext context, Supplier<List<Resource>> clouds) {
        this(ServiceLoader.load(ComputeBackendFactory.class, ComputeBackends.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList(), context, clouds);
    }

    public ComputeBackends(List<ComputeBackendFactory> factories, ComputeContext context, Supplier<List<Resource>> clouds) {
        Map<String, ComputeBackendFactory> byType = new TreeMap<>();
        for (ComputeBackendFactory f : factories) {
            ComputeBackendFactory twin = byType.put(f.type(), f);
            if (twin != null) {
                throw new IllegalStateException("two compute backend factories for type " + f.type() + ": "
                        + twin.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        if (byType.isEmpty()) {
            throw new IllegalStateException("no ComputeBackendFactory is registered in META-INF/services");
        }
        this.factories = Map.copyOf(byType);
        this.context = context;
        this.clouds = clouds;
    }

    /** The compute types this control plane can run. */
    public Set<String> types() {
        return new java.util.TreeSet<>(factories.keySet());
    }

    /** Follows Cloud changes every two seconds (a dispatch to a cloud not seen yet refreshes at once). */
    public void start() {
        refresher.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                LOG.warn("refreshing compute backends failed: {}", e.toString());
            }
        }, 0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Builds, rebuilds or closes backends to match the Clouds as they are now. */
    public synchronized void refresh() {
        Set<String> seen = new HashSet<>();
        for (Resource cloud : clouds.get()) {
            ComputeSpec compute = Kinds.spec(cloud, CloudSpec.class).compute();
            if (compute == null) {
                continue;
            }
            seen.add(cloud.name());
            Entry current = backends.get(cloud.name());
            if (current != null && current.spec().equals(compute)) {
                continue;
            }
            if (current != null && current.backend() != null) {
                current.backend().close();
            }
            Entry built = build(cloud.name(), compute);
            backends.put(cloud.name(), built);
            if (current != null && built.backend() != null) {
                for (ComputeBackend.Dispatch d : running.getOrDefault(cloud.name(), Map.of()).values()) {
                    try {
                        built.backend().dispatched(d);
                    } catch (RuntimeException e) {
                        LOG.warn("re-dispatching job {} to the rebuilt backend of cloud {} failed: {}", d.job(), cloud.name(),
                                e.toString());
                    }
                }
            }
        }
        backends.keySet().removeIf(name -> {
            if (seen.contains(name)) {
                return false;
            }
            Entry gone = backends.get(name);
            if (gone.backend() != null) {
                gone.backend().close();
            }
            LOG.info("compute of cloud {} removed", name);
            return true;
        });
    }

    private Entry build(String cloud, ComputeSpec compute) {
        ComputeBackendFactory factory = factories.get(compute.type());
        if (factory == null) {
            SkyforgeException problem = new SkyforgeException(ErrorCode.UNSUPPORTED, "cloud " + cloud + " has compute type "
                    + compute.type() + ", but this control plane has no backend for it (it has " + String.join(", ", types())
                    + ")");
            LOG.warn(problem.getMessage());
            return new Entry(compute, null, problem);
        }
        try {
            ComputeBackend backend = factory.create(cloud, compute, context);
            LOG.info("compute of cloud {}: {}{}", cloud, compute.type(), compute.slots() == null ? "" : ", " + compute.slots() + " slots");
            return new Entry(compute, backend, null);
        } catch (SkyforgeException e) {
            LOG.warn("compute of cloud {} could not start: {}", cloud, e.getMessage());
            return new Entry(compute, null, e);
        } catch (RuntimeException e) {
            LOG.warn("compute of cloud {} could not start: {}", cloud, e.toString());
            return new Entry(compute, null, new SkyforgeException(ErrorCode.INTERNAL, "the " + compute.type()
                    + " backend of cloud " + cloud + " could not start: " + e.getClass().getSimpleName()));
        }
    }

    /** The backend of a cloud, if it has one that started. */
    public synchronized Optional<ComputeBackend> backend(String cloud) {
        Entry e = backends.get(cloud);
        return e == null ? Optional.empty() : Optional.ofNullable(e.backend());
    }

    /**
     * Tells a cloud's backend that tasks were enqueued for it. Fails with the reason when the cloud
     * has no compute or no usable backend (its tasks then wait in the queue).
     */
    public void dispatched(ComputeBackend.Dispatch dispatch) {
        ComputeBackend backend;
        synchronized (this) {
            if (!backends.containsKey(dispatch.cloud())) {
                refresh(); // a cloud added since the last refresh
            }
            Entry e = backends.get(dispatch.cloud());
            if (e == null) {
                throw new SkyforgeException(ErrorCode.UNSUPPORTED, "cloud " + dispatch.cloud() + " has no spec.compute");
            }
            if (e.backend() == null) {
                throw e.problem();
            }
            backend = e.backend();
            running.computeIfAbsent(dispatch.cloud(), c -> new HashMap<>()).put(dispatch.job().uid(), dispatch);
        }
        backend.dispatched(dispatch);
    }

    /** Tells the backends of the given clouds that a job no longer needs them; never throws. */
    public void released(ComputeBackend.JobRef job, Collection<String> onClouds, String reason) {
        for (String cloud : new java.util.TreeSet<>(onClouds)) {
            synchronized (this) {
                Map<String, ComputeBackend.Dispatch> jobs = running.get(cloud);
                if (jobs != null) {
                    jobs.remove(job.uid());
                }
            }
            Optional<ComputeBackend> b = backend(cloud);
            try {
                b.ifPresent(x -> x.released(job, reason));
            } catch (RuntimeException e) {
                LOG.warn("releasing job {} on cloud {} failed: {}", job, cloud, e.toString());
            }
        }
    }

    /**
     * What the backends of the given clouds report about a job, merged: every completed index, the
     * first failure and the first problem. A backend that throws counts as a problem.
     */
    public ComputeBackend.Report report(ComputeBackend.JobRef job, Collection<String> onClouds) {
        java.util.TreeSet<Integer> completed = new java.util.TreeSet<>();
        String failure = null;
        SkyforgeException problem = null;
        for (String cloud : new java.util.TreeSet<>(onClouds)) {
            Optional<ComputeBackend> b = backend(cloud);
            if (b.isEmpty()) {
                continue;
            }
            ComputeBackend.Report r;
            try {
                r = b.get().report(job);
            } catch (RuntimeException e) {
                r = new ComputeBackend.Report(List.of(), null, e instanceof SkyforgeException se ? se
                        : new SkyforgeException(ErrorCode.INTERNAL, "the compute backend of cloud " + cloud + " failed: "
                        + e.getClass().getSimpleName()));
            }
            completed.addAll(r.completed());
            failure = failure == null ? r.failure() : failure;
            problem = problem == null ? r.problem() : problem;
        }
        return new ComputeBackend.Report(List.copyOf(completed), failure, problem);
    }

    @Override
    public synchronized void close() {
        refresher.shutdownNow();
        for (Entry e : backends.values()) {
            if (e.backend() != null) {
                e.backend().close();
            }
        }
        backends.clear();
    }
}
