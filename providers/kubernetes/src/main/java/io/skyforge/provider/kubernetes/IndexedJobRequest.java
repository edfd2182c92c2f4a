package io.skyforge.provider.kubernetes;

import io.skyforge.core.model.Resource;
import java.util.Objects;

/**
 * What one cloud runs of one DataJob: the job itself (as stored: namespace, name, uid, spec), the
 * cloud's name and the contiguous share of the job's partitions placement gave it.
 *
 * @param totalPartitions the job's partitions on all clouds together
 */
public record IndexedJobRequest(Resource dataJob, String cloud, PartitionRange partitions, int totalPartitions) {

    public IndexedJobRequest {
        Objects.requireNonNull(dataJob, "dataJob");
        Objects.requireNonNull(dataJob.metadata().uid(), "dataJob uid");
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(partitions, "partitions");
        if (partitions.last() >= totalPartitions) {
            throw new IllegalArgumentException("partitions " + partitions.first() + ".." + partitions.last()
                    + " of a job with " + totalPartitions);
        }
    }
}
