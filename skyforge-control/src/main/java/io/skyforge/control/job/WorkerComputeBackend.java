package io.skyforge.control.job;

import io.skyforge.core.model.ComputeSpec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code compute.type: worker}: the cloud's tasks are run by {@code skyforge worker --cloud NAME}
 * processes, any number, started by the operator wherever the cloud's storage is reachable. They
 * pull: a worker's claim waits here (long poll) until a dispatch for the cloud arrives or its wait
 * ends, so a new job starts without a polling delay and idle workers cost one request per wait.
 */
public final class WorkerComputeBackend implements ComputeBackend {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerComputeBackend.class);

    private final String cloud;
    private final Object wake = new Object();
    private long dispatches;
    private boolean closed;

    public WorkerComputeBackend(String cloud) {
        this.cloud = cloud;
    }

    @Override
    public void dispatched(Dispatch dispatch) {
        LOG.info("job {}: tasks {} wait for `skyforge worker --cloud {}` processes", dispatch.job(), dispatch.indexes(), cloud);
        synchronized (wake) {
            dispatches++;
            wake.notifyAll();
        }
    }

    /** A task of this cloud was handed back by a stopping worker: the idle ones can claim it now. */
    public void taskReturned() {
        synchronized (wake) {
            dispatches++;
            wake.notifyAll();
        }
    }

    /** Nothing to stop: worker processes are the operator's; a released job's tasks are simply gone from the queue. */
    @Override
    public void released(JobRef job, String reason) {
        LOG.debug("job {} released on {}: {}", job, cloud, reason);
    }

    /**
     * Waits until tasks are dispatched to this cloud (or handed back), at most {@code max}; true
     * when some were. Tasks that become claimable by a lease running out or a backoff ending do not
     * wake anyone: the worker's next claim finds them.
     */
    public boolean awaitDispatch(Duration max) throws InterruptedException {
        synchronized (wake) {
            long seen = dispatches;
            long until = System.nanoTime() + max.toNanos();
            long left;
            while (seen == dispatches && !closed && (left = until - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(wake, left);
            }
            return seen != dispatches;
        }
    }

    @Override
    public void close() {
        synchronized (wake) {
            closed = true;
            wake.notifyAll();
        }
    }

    /** {@code compute.type: worker}. */
    public static final class Factory implements ComputeBackendFactory {
        @Override
        public String type() {
            return "worker";
        }

        @Override
        public ComputeBackend create(String cloud, ComputeSpec compute, ComputeContext context) {
            return new WorkerComputeBackend(cloud);
        }
    }
}
