package io.skyforge.control.job;

import io.skyforge.core.model.ComputeSpec;
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
 * The embedded default compute ({@code compute.type: local}): an in-process pool with one worker
 * thread per slot of a cloud, each claiming that cloud's tasks from the queue. Idle workers poll
 * with a growing pause, and a dispatch wakes them at once, so a new job does not wait for a poll.
 */
public final class LocalComputeBackend implements ComputeBackend {

    private static final Logger LOG = LoggerFactory.getLogger(LocalComputeBackend.class);
    private static final long MIN_IDLE_MILLIS = 50;
    private static final long MAX_IDLE_MILLIS = 1000;
    /** How long {@link #close} waits for the workers to hand back what they run. */
    static final java.time.Duration CLOSE_GRACE = java.time.Duration.ofSeconds(10);

    private final String cloud;
    private final ExecutorService pool;
    private final ScheduledExecutorService heartbeats = TaskWorker.heartbeatScheduler();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<TaskWorker> workers = new ArrayList<>();
    private final Object wake = new Object();
    private long dispatches;

    public LocalComputeBackend(String cloud, int slots, TaskLeases leases, PartitionRunner runner, JobRuntime runtime,
                               String processId) {
        this.cloud = cloud;
        int n = Math.max(0, slots);
        this.pool = Executors.newFixedThreadPool(Math.max(1, n), r -> {
            Thread t = new Thread(r, "skyforge-local-" + cloud);
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < n; i++) {
            TaskWorker w = new TaskWorker(leases, runner, runtime, cloud, processId + "/" + cloud + "/" + i, heartbeats);
            workers.add(w);
            pool.submit(() -> loop(w));
        }
    }

    private void loop(TaskWorker worker) {
        long idleMillis = MIN_IDLE_MILLIS;
        while (running.get()) {
            try {
                if (worker.runOnce()) {
                    idleMillis = MIN_IDLE_MILLIS;
                    continue;
                }
            } catch (RuntimeException e) {
                LOG.warn("local worker of {}: {}", cloud, e.getMessage());
            }
            try {
                synchronized (wake) {
                    long seen = dispatches;
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(idleMillis);
                    long left;
                    while (seen == dispatches && running.get() && (left = until - System.nanoTime()) > 0) {
                        TimeUnit.NANOSECONDS.timedWait(wake, left);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            idleMillis = Math.min(MAX_IDLE_MILLIS, idleMillis * 2);
        }
    }

    public int slots() {
        return workers.size();
    }

    /** Wakes the idle workers: the new tasks are claimed now rather than at the next poll. */
    @Override
    public void dispatched(Dispatch dispatch) {
        synchronized (wake) {
            dispatches++;
            wake.notifyAll();
        }
    }

    /** Nothing to let go: the threads serve every job of the cloud, and a released job has no claimable tasks. */
    @Override
    public void released(JobRef job, String reason) {
    }

    /**
     * Stops the workers cooperatively and waits for them, at most {@link #CLOSE_GRACE}: each abandons
     * its partition at the next chunk of rows and hands the task back, so another worker takes it
     * at once instead of after the lease. The threads are never interrupted — an interrupt inside
     * H2's file I/O closes the control plane's whole database. A worker still busy after the grace
     * (a report retrying against a slow store) is left to finish on its own; its threads are daemons.
     */
    @Override
    public void close() {
        running.set(false);
        workers.forEach(TaskWorker::stop);
        synchronized (wake) {
            wake.notifyAll();
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("local workers of {} still busy {} after close; leaving them to finish", cloud, CLOSE_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // After the workers: a partition still running needs its heartbeats until it hands its task back.
        heartbeats.shutdown();
    }

    /** {@code compute.type: local}: {@code slots} threads (1 when unset, none with 0). */
    public static final class Factory implements ComputeBackendFactory {
        @Override
        public String type() {
            return "local";
        }

        @Override
        public ComputeBackend create(String cloud, ComputeSpec compute, ComputeContext context) {
            int slots = compute.slots() == null ? 1 : compute.slots();
            return new LocalComputeBackend(cloud, slots, context.leases(), context.runner(), context.runtime(),
                    context.processId());
        }
    }
}
