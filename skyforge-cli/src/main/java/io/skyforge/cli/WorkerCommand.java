package io.skyforge.cli;

import io.skyforge.control.job.PartitionRunner;
import io.skyforge.control.job.TaskLeases;
import io.skyforge.control.job.TaskWorker;
import io.skyforge.control.job.WorkerWarmUp;
import io.skyforge.core.secret.EnvReferences;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A worker process for one cloud: claims DataJob partition tasks over the worker API with leases,
 * generates each straight into the output bucket's copy on its cloud, heartbeats, reports. With
 * {@code --job NS/NAME --index K} it runs exactly that partition and exits — what the pods of a
 * Kubernetes Indexed Job run with {@code --index $JOB_COMPLETION_INDEX}.
 */
@Command(name = "worker", description = {
    "Run DataJob partition tasks of one cloud, claimed from the server with leases.",
    "Credentials come from the cloud's ${VAR} references, resolved in this process's environment",
    "(or files in $SKYFORGE_SECRETS_DIR)."})
final class WorkerCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerCommand.class);
    /** How long a claim waits on the server for new work before the worker asks again. */
    private static final int LONG_POLL_SECONDS = 5;
    /**
     * How long a SIGTERM waits for the slots to hand their tasks back: a slot in a long poll answers
     * within {@link #LONG_POLL_SECONDS}, a generating one at its next chunk plus the aborted upload.
     * Well inside Kubernetes' default 30 s termination grace.
     */
    private static final int STOP_GRACE_SECONDS = 15;
    /**
     * Rounds of the generator tour (about 12,600 rows each) in the warm-up. Measured on a 1.25 M-row
     * first partition (bench/README.md, job execution): 10 rounds left 0.4-0.6 CPU s of its extra
     * cost, 20 left 0.1-0.2 s, 40 no less.
     */
    private static final int WARM_UP_ROUNDS = 20;

    @Option(names = "--server", description = "server URL (default: $SKYFORGE_SERVER or http://127.0.0.1:8080)")
    String server;

    @Option(names = "--token", description = "API token (default: $SKYFORGE_TOKEN or ~/.skyforge/admin.token)")
    String token;

    @Option(names = "--cloud", required = true, paramLabel = "NAME", description = "the cloud whose tasks this worker runs")
    String cloud;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "1", description = "partitions run at once (default ${DEFAULT-VALUE})")
    int slots;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "1",
            description = "generator threads per partition (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--job", paramLabel = "NS/NAME", description = "run only one partition of this DataJob (with --index), then exit")
    String job;

    @Option(names = "--index", paramLabel = "K", description = "the task index to run with --job (a Kubernetes completion index)")
    Integer index;

    @Option(names = "--exit-when-idle", description = "exit once no task is left to claim for the cloud")
    boolean exitWhenIdle;

    @Option(names = "--warm-up", negatable = true, description = {
        "before claiming work, run the job path once on the built-in generator tour into a scratch directory,",
        "so that the first job does not pay the JVM's compilation (default: on, off with --job or --exit-when-idle,",
        "whose worker starts because work is waiting)"})
    Boolean warmUp;

    @Option(names = "--name", paramLabel = "ID", description = "this worker's name in leases (default: host/pid)")
    String name;

    @Spec
    CommandSpec spec;

    /** False once a SIGTERM arrived. */
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<TaskWorker> workers = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Integer call() throws Exception {
        validate();
        ClientOptions options = new ClientOptions();
        options.server = server;
        options.token = token;
        ApiClient client = options.client();
        String secrets = System.getenv("SKYFORGE_SECRETS_DIR");
        String id = name != null ? name : host() + "/" + ProcessHandle.current().pid();
        PrintWriter out = spec.commandLine().getOut();
        ExecutorService uploads = Executors.newCachedThreadPool(daemon("skyforge-part-upload"));
        ScheduledExecutorService heartbeats = TaskWorker.heartbeatScheduler();
        // SIGTERM (a pod deleted, an operator stopping the fleet): stop claiming, hand the tasks being
        // run back so they run elsewhere now rather than after their leases expire, then let the JVM go.
        CountDownLatch stopped = new CountDownLatch(1);
        Thread onTerm = new Thread(() -> {
            running.set(false);
            workers.forEach(TaskWorker::stop);
            try {
                if (!stopped.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("still busy {} s after SIGTERM; tasks not handed back run again when their leases expire",
                            STOP_GRACE_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "skyforge-worker-stop");
        Runtime.getRuntime().addShutdownHook(onTerm);
        try (RestJobRuntime runtime = new RestJobRuntime(client, EnvReferences.system(secrets == null ? null : Path.of(secrets)))) {
            // Fail fast, with the reason, on a wrong token, an unknown cloud or an unset credential variable.
            runtime.objectStore(cloud);
            TaskLeases leases = new RestTaskLeases(client, exitWhenIdle ? 1 : LONG_POLL_SECONDS);
            PartitionRunner runner = new PartitionRunner(runtime, uploads, threads);
            // By default only a long-running worker warms up: one started for a given task or until idle exists
            // because work is already waiting.
            String warmed = (warmUp != null ? warmUp : job == null && !exitWhenIdle) ? runWarmUp(uploads) : "";
            if (job != null) {
                out.println("skyforge worker " + id + ": task " + index + " of job " + job + " on cloud " + cloud + " at "
                        + client.server() + warmed);
                out.flush();
                return runOne(worker(leases, runner, runtime, id, heartbeats), leases, out);
            }
            out.println("skyforge worker " + id + ": cloud " + cloud + " at " + client.server() + ", " + slots + " slot(s)"
                    + (exitWhenIdle ? ", until idle" : "") + warmed);
            out.flush();
            return runPool(leases, runner, runtime, heartbeats, id);
        } finally {
            stopped.countDown();
            heartbeats.shutdownNow();
            uploads.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(onTerm);
            } catch (IllegalStateException e) {
                // the JVM is going down (SIGTERM): the hook is running and returns now
            }
        }
    }

    /** Runs the warm-up ({@link WorkerWarmUp}); answers what the ready line says of it. */
    private String runWarmUp(ExecutorService uploads) {
        WorkerWarmUp.Result w = WorkerWarmUp.run(uploads, threads, WARM_UP_ROUNDS, () -> !running.get());
        LOG.info("warmed up: {} rows in {} parts, {} bytes, {} ms", w.rows(), w.parts(), w.bytes(), w.took().toMillis());
        return ", warmed up in " + w.took().toMillis() + " ms";
    }

    /** A slot, known to the SIGTERM hook so it can stop it. */
    private TaskWorker worker(TaskLeases leases, PartitionRunner runner, RestJobRuntime runtime, String owner,
                              ScheduledExecutorService heartbeats) {
        TaskWorker w = new TaskWorker(leases, runner, runtime, cloud, owner, heartbeats);
        workers.add(w);
        if (!running.get()) {
            w.stop(); // the SIGTERM came first
        }
        return w;
    }

    private void validate() {
        if ((job == null) != (index == null)) {
            throw new ParameterException(spec.commandLine(), "--job and --index go together");
        }
        if (job != null && !job.matches("[^/]+/[^/]+")) {
            throw new ParameterException(spec.commandLine(), "--job must be NAMESPACE/NAME, got '" + job + "'");
        }
        if (index != null && index < 0) {
            throw new ParameterException(spec.commandLine(), "--index must be >= 0, got " + index);
        }
        if (slots < 1 || slots > 256) {
            throw new ParameterException(spec.commandLine(), "--slots must be within 1..256, got " + slots);
        }
        if (threads < 1 || threads > 256) {
            throw new ParameterException(spec.commandLine(), "--threads must be within 1..256, got " + threads);
        }
    }

    /** One given partition: claim it (waiting while another holds it or it backs off), run it, exit. */
    private int runOne(TaskWorker worker, TaskLeases leases, PrintWriter out) throws InterruptedException {
        String ns = job.substring(0, job.indexOf('/'));
        String jobName = job.substring(job.indexOf('/') + 1);
        while (!worker.stopping()) {
            TaskLeases.ClaimAnswer a;
            try {
                a = leases.claim(cloud, worker.owner(), ns, jobName, index);
            } catch (SkyforgeException e) {
                if (e.code() != ErrorCode.UNAVAILABLE) {
                    throw e;
                }
                LOG.warn("{}; trying again", e.getMessage());
                Thread.sleep(1000);
                continue;
            }
            switch (a.outcome()) {
                case CLAIMED -> {
                    if (worker.run(a.claim())) {
                        return Main.OK;
                    }
                    if (worker.stopping()) {
                        return Main.OK; // handed back on SIGTERM; the exit status is the signal's
                    }
                    throw new SkyforgeException(ErrorCode.EXTERNAL, "task " + index + " of job " + job + " failed in attempt "
                            + a.claim().task().attempts() + " (see the log above); the control plane retries it while its"
                            + " backoffLimit allows");
                }
                case DONE, ELSEWHERE -> {
                    out.println("nothing to do: " + a.reason());
                    out.flush();
                    return Main.OK;
                }
                case FAILED -> throw new SkyforgeException(ErrorCode.EXTERNAL, a.reason());
                case WAIT -> {
                    LOG.info("task {} of job {} not claimable yet: {}", index, job, a.reason());
                    Thread.sleep(Math.max(200, Math.min(5000, a.retryAfter().toMillis())));
                }
                default -> throw new IllegalStateException(a.outcome().name());
            }
        }
        return Main.OK; // SIGTERM while waiting: nothing was claimed, nothing to hand back
    }

    /** {@code slots} loops claiming any task of the cloud; with --exit-when-idle they end when none is left. */
    private int runPool(TaskLeases leases, PartitionRunner runner, RestJobRuntime runtime, ScheduledExecutorService heartbeats,
                        String id) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(slots, daemon("skyforge-worker-slot"));
        List<Future<Integer>> loops = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            TaskWorker w = worker(leases, runner, runtime, slots == 1 ? id : id + "/" + i, heartbeats);
            loops.add(pool.submit(() -> loop(w)));
        }
        pool.shutdown();
        int exit = Main.OK;
        try {
            for (Future<Integer> f : loops) {
                exit = Math.max(exit, f.get());
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof SkyforgeException se ? se : new IllegalStateException(e.getCause());
        } finally {
            // One slot failed for good, or all ended: the others hand back what they run rather than be interrupted mid-upload.
            running.set(false);
            workers.forEach(TaskWorker::stop);
            if (!pool.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        }
        return exit;
    }

    private int loop(TaskWorker worker) throws InterruptedException {
        long pause = 500;
        while (running.get() && !worker.stopping()) {
            try {
                if (!worker.runOnce() && exitWhenIdle) {
                    return Main.OK;
                }
                pause = 500;
            } catch (SkyforgeException e) {
                // The control plane restarting must not end the worker; a refused token or a bad request must.
                if (!e.retryable()) {
                    throw e;
                }
                LOG.warn("{}; trying again in {} ms", e.getMessage(), pause);
                Thread.sleep(pause);
                pause = Math.min(5000, pause * 2);
            }
        }
        return Main.OK;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static String host() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                h = "worker";
            }
        }
        return h.replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
