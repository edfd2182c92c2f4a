package io.skyforge.control.job;

import io.skyforge.core.model.Resource;
import io.skyforge.spi.storage.ObjectStore;
import java.util.Optional;

/**
 * What running a job's partitions needs from the control plane: the resources it names and an
 * object store per cloud. The server implements it over the resource store and its cloud registry;
 * a worker process implements it over REST.
 */
public interface JobRuntime {

    Optional<Resource> dataJob(String namespace, String name);

    Optional<Resource> dataset(String namespace, String name);

    Optional<Resource> logicalBucket(String namespace, String name);

    /** The adapter for a cloud, credentials resolved; fails with SF-NOT-FOUND or SF-UNAVAILABLE. */
    ObjectStore objectStore(String cloud);
}
