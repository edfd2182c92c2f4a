package io.skyforge.control.job;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a compute backend may use from the control plane.
 *
 * @param leases    the task queue as workers see it (claims, heartbeats, reports)
 * @param queue     the task queue itself, to see the state of a job's tasks
 * @param runner    generates a partition into the output bucket (in-process workers)
 * @param runtime   the resources a job names and each cloud's object store
 * @param processId names this control-plane process in lease owners
 * @param settings  server properties by name (e.g. {@code skyforge.server.url}); null when unset
 */
public record ComputeContext(TaskLeases leases, TaskQueue queue, PartitionRunner runner, JobRuntime runtime, String processId,
                             Function<String, String> settings) {

    public ComputeContext {
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(processId, "processId");
        settings = settings == null ? k -> null : settings;
    }

    public Optional<String> setting(String name) {
        return Optional.ofNullable(settings.apply(name));
    }
}
