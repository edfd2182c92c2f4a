package io.skyforge.control.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default compute: an in-process pool with one worker thread per slot of a cloud,
 * each claiming that cloud's tasks from the queue. Idle workers poll with a short back-off.
 */
public final class LocalComputeBackend implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalComputeBackend.class);

    private final String cloud;
    private final ExecutorService pool;
    private final ScheduledExecutorService heartbeats = TaskWorker.heartbeatScheduler();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<TaskWorker> workers = new ArrayList<>();

    public LocalComputeBackend(String cloud, int slots, TaskQueue queue, PartitionRunner runner, JobRuntime runtime,
                               Duration lease, String processId) {
        this.cloud = cloud;
        int n = Math.max(1, slots);
        this.pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "skyforge-local-" + cloud);
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < n; i++) {
            TaskWorker w = new TaskWorker(queue, runner, runtime, cloud, processId + "/" + cloud + "/" + i, lease, heartbeats);
            workers.add(w);
            pool.submit(() -> loop(w));
        }
    }

    private void loop(TaskWorker worker) {
        long idleMillis = 50;
        while (running.get()) {
            try {
                if (worker.runOnce()) {
                    idleMillis = 50;
                    continue;
                }
            } catch (RuntimeException e) {
                LOG.warn("local worker of {}: {}", cloud, e.getMessage());
            }
            try {
                Thread.sleep(idleMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            idleMillis = Math.min(1000, idleMillis * 2);
        }
    }

    public int slots() {
        return workers.size();
    }

    @Override
    public void close() {
        running.set(false);
        pool.shutdownNow();
        heartbeats.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
