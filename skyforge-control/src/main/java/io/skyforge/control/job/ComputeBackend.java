package io.skyforge.control.job;

import io.skyforge.core.model.ResourceRequirements;
import io.skyforge.spi.error.SkyforgeException;
import java.util.List;
import java.util.Objects;

/**
 * Where the partition tasks of one cloud run, chosen by the Cloud's {@code spec.compute.type}
 * ({@code local}, {@code worker}, {@code kubernetes}; see {@link ComputeBackendFactory}). Tasks are
 * always claimed from the task queue with leases, so a backend never decides a task's outcome: it
 * brings workers — threads of the control plane, worker processes polling the REST API, or pods
 * running {@code skyforge worker --job NS/NAME --index K} — and lets them go when a job ends.
 *
 * <p>Calls may repeat: after a control-plane restart every running job is dispatched again, so
 * implementations are idempotent (a Kubernetes backend creates its Job only when absent).
 */
public interface ComputeBackend extends AutoCloseable {

    /** Tasks of a job were enqueued for this backend's cloud (at placement, after a restart, after a reroute). */
    void dispatched(Dispatch dispatch);

    /** A job needs no more workers on this cloud: it succeeded, failed, was suspended or deleted. */
    void released(JobRef job, String reason);

    /**
     * What this backend knows about a running job that the task queue cannot: for a Kubernetes
     * backend, the indexes its Jobs completed (the only record of a container job's progress, whose
     * pods claim nothing) and a Job that failed for good. Asked on every pass over a running job, so
     * it answers from what the backend already knows and never waits on a remote system. Backends
     * whose workers claim from the queue have nothing to add.
     */
    default Report report(JobRef job) {
        return Report.NONE;
    }

    /**
     * Stops this backend's own workers (the cloud was deleted or its compute changed); tasks they
     * held are claimed again when their leases expire.
     */
    @Override
    void close();

    /** A DataJob by namespace, name and uid (the uid tells a re-created job from the old one). */
    record JobRef(String namespace, String name, String uid) {
        public JobRef {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(uid, "uid");
        }

        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    /**
     * Tasks of one job for one cloud.
     *
     * @param indexes   the task indexes enqueued for this cloud, ascending (a worker claims index K
     *                  with {@code --job NS/NAME --index K})
     * @param tasks     how many tasks the job has on all clouds
     * @param resources the job's {@code spec.resources} (requests/limits of a pod), or null
     * @param image     the job's {@code spec.image}, or null for generation jobs (the worker image runs those)
     */
    record Dispatch(JobRef job, String cloud, List<Integer> indexes, int tasks, ResourceRequirements resources, String image) {
        public Dispatch {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(cloud, "cloud");
            indexes = List.copyOf(indexes);
        }
    }

    /**
     * A backend's view of one job on its cloud.
     *
     * @param completed task indexes the backend saw finish successfully
     * @param failure   why the job cannot finish on this cloud (its Kubernetes Job ran out of
     *                  retries), or null; the job fails with it
     * @param problem   why the backend cannot do its part right now (the API server does not
     *                  answer), or null; shown on the job, which goes on waiting
     */
    record Report(List<Integer> completed, String failure, SkyforgeException problem) {
        public static final Report NONE = new Report(List.of(), null, null);

        public Report {
            completed = List.copyOf(completed);
        }
    }
}
