package io.skyforge.provider.kubernetes;

import io.skyforge.core.model.Resource;
import java.util.Objects;

/**
 * What one Kubernetes Job runs of one DataJob: the job itself (as stored: namespace, name, uid,
 * spec), the cloud and the task indexes it runs there.
 *
 * @param totalTasks the job's tasks (partitions) on all clouds together
 * @param round      0 for a cloud's first Job of the job, then 1, 2, ... for Jobs that take over
 *                   tasks an earlier one can no longer run ({@link JobNames#jobName(String, String, String, int)})
 */
public record IndexedJobRequest(Resource dataJob, String cloud, TaskIndexes tasks, int totalTasks, int round) {

    public IndexedJobRequest(Resource dataJob, String cloud, TaskIndexes tasks, int totalTasks) {
        this(dataJob, cloud, tasks, totalTasks, 0);
    }

    public IndexedJobRequest {
        Objects.requireNonNull(dataJob, "dataJob");
        Objects.requireNonNull(dataJob.metadata().uid(), "dataJob uid");
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(tasks, "tasks");
        if (tasks.last() >= totalTasks) {
            throw new IllegalArgumentException("task " + tasks.last() + " of a job with " + totalTasks);
        }
        if (round < 0) {
            throw new IllegalArgumentException("round " + round);
        }
    }
}
