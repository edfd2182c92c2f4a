package io.skyforge.server.jobs;

import io.skyforge.control.cloud.CloudRegistry;
import io.skyforge.control.job.ComputeBackends;
import io.skyforge.control.job.ComputeContext;
import io.skyforge.control.job.DataJobController;
import io.skyforge.control.job.JobRuntime;
import io.skyforge.control.job.PartitionRunner;
import io.skyforge.control.job.QueueLeases;
import io.skyforge.control.job.RetryBackoff;
import io.skyforge.control.job.TaskQueue;
import io.skyforge.control.job.WorkerLiveness;
import io.skyforge.control.job.WorkerSightings;
import io.skyforge.control.placement.Placer;
import io.skyforge.control.resources.ResourceService;
import io.skyforge.control.store.JdbcResourceStore;
import io.skyforge.control.store.ResourceStore;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.select.LabelSelector;
import io.skyforge.spi.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * DataJob execution: the task queue, the controller, the compute backends of the clouds and the
 * worker REST API. Timings are properties ({@code skyforge.jobs.*}, docs/configuration.md) so tests
 * can make leases short.
 */
@Configuration(proxyBeanMethods = false)
@Import(TaskController.class)
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

    @Bean
    QueueLeases queueLeases(TaskQueue queue, JobRuntime runtime, Environment env) {
        Duration lease = env.getProperty("skyforge.jobs.lease", Duration.class, Duration.ofSeconds(30));
        RetryBackoff backoff = new RetryBackoff(
                env.getProperty("skyforge.jobs.retry-backoff", Duration.class, RetryBackoff.DEFAULT.initial()),
                env.getProperty("skyforge.jobs.retry-backoff-max", Duration.class, RetryBackoff.DEFAULT.max()));
        return new QueueLeases(queue, runtime, lease, backoff, Clock.systemUTC());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    ComputeBackends computeBackends(ResourceService service, QueueLeases leases, TaskQueue queue, PartitionRunner runner,
                                    JobRuntime runtime, Environment env) {
        String processId = "server-" + UUID.randomUUID().toString().substring(0, 8);
        return new ComputeBackends(new ComputeContext(leases, queue, runner, runtime, processId, env::getProperty),
                () -> service.list(Kinds.CLOUD, null, LabelSelector.EVERYTHING, 0, null).items());
    }

    @Bean
    WorkerSightings workerSightings(ResourceStore store, Environment env) {
        Duration timeout = workerTimeout(env);
        // A worker calls every few seconds; recording it more often than a quarter of the timeout changes no verdict.
        Duration throttle = Duration.ofMillis(Math.min(1000, timeout.toMillis() / 4));
        return new WorkerSightings(((JdbcResourceStore) store).dataSource(), Clock.systemUTC(), throttle);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    WorkerLiveness workerLiveness(ResourceService service, WorkerSightings sightings, DataJobController controller,
                                  Environment env) {
        return new WorkerLiveness(service, sightings, workerTimeout(env), Clock.systemUTC(), controller::requestFullPass);
    }

    /**
     * {@code skyforge.jobs.worker-timeout}: how long a worker counts as live after it last called.
     * By default the lease, but at least 15 s: an idle worker calls once per 5 s long poll, and a
     * busy one heartbeats every third of its lease.
     */
    static Duration workerTimeout(Environment env) {
        Duration lease = env.getProperty("skyforge.jobs.lease", Duration.class, Duration.ofSeconds(30));
        Duration floor = Duration.ofSeconds(15);
        return env.getProperty("skyforge.jobs.worker-timeout", Duration.class, lease.compareTo(floor) > 0 ? lease : floor);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    DataJobController dataJobController(ResourceService service, TaskQueue queue, PartitionRunner runner,
                                        ComputeBackends backends, QueueLeases leases, Environment env) {
        Duration interval = env.getProperty("skyforge.jobs.reconcile-interval", Duration.class, Duration.ofMillis(200));
        Duration fullPass = env.getProperty("skyforge.jobs.full-pass-interval", Duration.class, DataJobController.FULL_PASS);
        Duration lostCloudAfter = env.getProperty("skyforge.jobs.lost-cloud-after", Duration.class,
                DataJobController.LOST_CLOUD_AFTER);
        DataJobController controller = new DataJobController(service, queue, runner, new Placer(), backends, Clock.systemUTC(),
                interval, fullPass, lostCloudAfter);
        leases.onTaskFinished(controller::requestPass);
        return controller;
    }
}
