package io.skyforge.server.jobs;

import io.skyforge.control.cloud.CloudRegistry;
import io.skyforge.control.job.DataJobController;
import io.skyforge.control.job.JobRuntime;
import io.skyforge.control.job.PartitionRunner;
import io.skyforge.control.job.TaskQueue;
import io.skyforge.control.placement.Placer;
import io.skyforge.control.resources.ResourceService;
import io.skyforge.control.store.JdbcResourceStore;
import io.skyforge.control.store.ResourceStore;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** DataJob execution: the task queue, the controller, and the in-process (local) compute backends. */
@Configuration(proxyBeanMethods = false)
public class JobConfiguration {

    @Bean
    TaskQueue taskQueue(ResourceStore store) {
        return new TaskQueue(((JdbcResourceStore) store).dataSource(), Clock.systemUTC());
    }

    /** Runs the streaming uploads of parts being generated (one thread per part being written). */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService jobUploads() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "skyforge-part-upload");
            t.setDaemon(true);
            return t;
        });
    }

    @Bean
    JobRuntime jobRuntime(ResourceService service, CloudRegistry clouds) {
        return new JobRuntime() {
            @Override
            public Optional<Resource> dataJob(String namespace, String name) {
                return service.get(Kinds.DATA_JOB, namespace, name);
            }

            @Override
            public Optional<Resource> dataset(String namespace, String name) {
                return service.get(Kinds.DATASET, namespace, name);
            }

            @Override
            public Optional<Resource> logicalBucket(String namespace, String name) {
                return service.get(Kinds.LOGICAL_BUCKET, namespace, name);
            }

            @Override
            public ObjectStore objectStore(String cloud) {
                return clouds.store(cloud);
            }
        };
    }

    @Bean
    PartitionRunner partitionRunner(JobRuntime runtime, ExecutorService jobUploads) {
        // One generator thread per partition: a cloud's slots are its parallelism.
        return new PartitionRunner(runtime, jobUploads, 1);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    DataJobController dataJobController(ResourceService service, TaskQueue queue, PartitionRunner runner) {
        return new DataJobController(service, queue, runner, new Placer(), Clock.systemUTC(), Duration.ofMillis(200));
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    LocalBackends localBackends(ResourceService service, TaskQueue queue, PartitionRunner runner, JobRuntime runtime) {
        return new LocalBackends(service, queue, runner, runtime);
    }
}
