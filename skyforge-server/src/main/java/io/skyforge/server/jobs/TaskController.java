package io.skyforge.server.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.skyforge.control.job.ComputeBackends;
import io.skyforge.control.job.JobRuntime;
import io.skyforge.control.job.PartitionRunner;
import io.skyforge.control.job.PartitionTask;
import io.skyforge.control.job.QueueLeases;
import io.skyforge.control.job.TaskLeases;
import io.skyforge.control.job.TaskQueue;
import io.skyforge.control.job.WorkerComputeBackend;
import io.skyforge.control.job.WorkerSightings;
import io.skyforge.core.model.Resource;
import io.skyforge.server.api.Problems;
import io.skyforge.server.auth.BearerTokenFilter;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The worker API: what {@code skyforge worker} processes (and the pods of the Kubernetes backend)
 * call to claim partition tasks, keep their leases, and report. Every report carries the lease
 * (job uid and task index in the path, owner and attempt in the body); one that expired or belongs
 * to another attempt, owner or job is refused with {@code 409 SF-CONFLICT} and logged.
 */
@RestController
@Tag(name = "tasks", description = "Worker API: claim DataJob partition tasks with leases, heartbeat, report")
public class TaskController {

    private static final Logger LOG = LoggerFactory.getLogger(TaskController.class);
    private static final String BASE = "/tasks/v1";
    private static final String TASK = BASE + "/jobs/{jobUid}/tasks/{index}";
    private static final String JSON = MediaType.APPLICATION_JSON_VALUE;
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9._:/@-]{1,128}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9._]{0,251}[a-z0-9])?|[A-Za-z0-9_-]{1,63}");
    private static final int MAX_WAIT_SECONDS = 30;
    private static final int ERROR_CHARS = 4000;

    private final QueueLeases leases;
    private final TaskQueue queue;
    private final PartitionRunner runner;
    private final JobRuntime runtime;
    private final ComputeBackends backends;
    private final WorkerSightings sightings;
    /** Compiled datasets of jobs whose reports are being checked, by uid@generation; a few jobs run at once. */
    private final Map<String, PartitionRunner.Prepared> prepared = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PartitionRunner.Prepared> eldest) {
            return size() > 32;
        }
    };

    public TaskController(QueueLeases leases, TaskQueue queue, PartitionRunner runner, JobRuntime runtime,
                          ComputeBackends backends, WorkerSightings sightings) {
        this.sightings = sightings;
        this.leases = leases;
        this.queue = queue;
        this.runner = runner;
        this.runtime = runtime;
        this.backends = backends;
    }

    /**
     * @param cloud       the cloud whose tasks the worker runs
     * @param owner       the worker's name in leases (host/pid/slot)
     * @param job         {@code NS/NAME} to claim one given task (with {@code index}), else any task of the cloud
     * @param index       the task index with {@code job} (a Kubernetes Indexed Job's completion index)
     * @param waitSeconds with no task to claim, wait up to this long (0–30) for one to be dispatched (long poll)
     */
    public record ClaimRequest(String cloud, String owner, String job, Integer index, Integer waitSeconds) {
    }

    /** A claimed task: what to generate and the lease to report with. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskLease(String jobUid, int index, String namespace, String jobName, String table, int part, int parts,
                            String cloud, String owner, int attempt, Instant leaseExpiresAt) {

        static TaskLease of(PartitionTask t) {
            return new TaskLease(t.jobUid(), t.index(), t.namespace(), t.jobName(), t.table(), t.part(), t.parts(), t.cloud(),
                    t.leaseOwner(), t.attempts(), t.leaseExpiresAt());
        }
    }

    /**
     * @param outcome          {@code CLAIMED}; {@code NONE} (nothing to claim on the cloud); for one given task also
     *                         {@code DONE}, {@code FAILED}, {@code ELSEWHERE} (moved to {@code cloud}) or {@code WAIT}
     * @param task             the claimed task and its lease, with {@code CLAIMED}
     * @param leaseMillis      how long the lease lasts without a heartbeat; heartbeat well within it
     * @param retryAfterMillis with {@code WAIT}: when asking again may succeed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClaimResponse(String outcome, TaskLease task, Long leaseMillis, String state, String cloud,
                                Long retryAfterMillis, String reason) {
    }

    /** The lease a report is made under: the owner and attempt of the claim. */
    public record LeaseReport(String owner, Integer attempt) {
    }

    /**
     * @param result the part written: table, part, parts, key, firstRow, rows, bytes, sha256, and where it landed
     *               (cloud, physicalBucket, objectKey) — what {@code PartitionRunner} returns
     */
    public record SuccessReport(String owner, Integer attempt, JsonNode result) {
    }

    public record FailureReport(String owner, Integer attempt, String error) {
    }

    /** @param reason why the worker gives the task back (it is stopping), for the server's log */
    public record ReleaseReport(String owner, Integer attempt, String reason) {
    }

    /**
     * A task as the queue has it: its state and attempts, the cloud it runs on, the lease (owner and
     * expiry; for a pending task the end of its retry backoff), and the part it wrote.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskState(String jobUid, int index, String table, int part, int parts, String cloud, String state,
                            int attempts, String owner, Instant leaseExpiresAt, String lastError, JsonNode result) {

        static TaskState of(PartitionTask t) {
            return new TaskState(t.jobUid(), t.index(), t.table(), t.part(), t.parts(), t.cloud(), t.state().name(),
                    t.attempts(), t.leaseOwner(), t.leaseExpiresAt(), t.lastError(),
                    t.result() == null ? null : io.skyforge.core.codec.Json.MAPPER.readTree(t.result()));
        }
    }

    /** The job's tasks, for operators and tests; empty for a job not planned yet or unknown. */
    public record TaskList(java.util.List<TaskState> items) {
    }

    @Operation(operationId = "listJobTasks", summary = "List a DataJob's partition tasks: state, attempts, cloud, lease, part written")
    @org.springframework.web.bind.annotation.GetMapping(path = BASE + "/jobs/{jobUid}/tasks", produces = JSON)
    public TaskList tasks(@PathVariable String jobUid) {
        return new TaskList(queue.tasks(jobUid).stream().map(TaskState::of).toList());
    }

    @Operation(operationId = "claimTask", summary = "Claim a partition task of a cloud with a lease (or one given task: job NS/NAME and index)")
    @PostMapping(path = BASE + "/claims", consumes = JSON, produces = JSON)
    public ClaimResponse claim(@RequestBody ClaimRequest body, HttpServletRequest request) throws InterruptedException {
        String cloud = require("cloud", body.cloud());
        if (!NAME.matcher(cloud).matches()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "cloud must be a Cloud name, got '" + cloud + "'");
        }
        String owner = owner(body.owner());
        int wait = body.waitSeconds() == null ? 0 : body.waitSeconds();
        if (wait < 0 || wait > MAX_WAIT_SECONDS) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "waitSeconds must be within 0.." + MAX_WAIT_SECONDS + ", got " + wait);
        }
        seen(cloud, owner);
        if (body.job() != null || body.index() != null) {
            return claimOne(cloud, owner, body);
        }
        Optional<TaskLeases.Claim> claim = leases.claim(cloud, owner);
        if (claim.isEmpty() && wait > 0 && backends.backend(cloud).orElse(null) instanceof WorkerComputeBackend w) {
            boolean dispatched = w.awaitDispatch(Duration.ofSeconds(wait));
            seen(cloud, owner); // still there after its long poll: a worker waiting for work is a live one
            if (dispatched) {
                claim = leases.claim(cloud, owner);
            }
        }
        if (claim.isEmpty()) {
            return new ClaimResponse("NONE", null, null, null, cloud, null, "no claimable task on cloud " + cloud);
        }
        LOG.info("task {} of job {}/{} claimed by {} ({}), attempt {}", claim.get().task().index(), claim.get().task().namespace(),
                claim.get().task().jobName(), owner, principal(request), claim.get().task().attempts());
        return claimed(claim.get());
    }

    private ClaimResponse claimOne(String cloud, String owner, ClaimRequest body) {
        String job = require("job", body.job());
        int slash = job.indexOf('/');
        if (slash <= 0 || slash == job.length() - 1 || job.indexOf('/', slash + 1) >= 0 || body.index() == null
                || body.index() < 0) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "to claim one task give job as NAMESPACE/NAME and index >= 0,"
                    + " got job '" + job + "' and index " + body.index());
        }
        TaskLeases.ClaimAnswer a = leases.claim(cloud, owner, job.substring(0, slash), job.substring(slash + 1), body.index());
        if (a.outcome() == TaskLeases.Outcome.CLAIMED) {
            LOG.info("task {} of job {} claimed by {}, attempt {}", body.index(), job, owner, a.claim().task().attempts());
            return claimed(a.claim());
        }
        return new ClaimResponse(a.outcome().name(), null, null, a.state() == null ? null : a.state().name(), a.cloud(),
                a.outcome() == TaskLeases.Outcome.WAIT ? a.retryAfter().toMillis() : null, a.reason());
    }

    private static ClaimResponse claimed(TaskLeases.Claim c) {
        return new ClaimResponse("CLAIMED", TaskLease.of(c.task()), c.lease().toMillis(), null, c.task().cloud(), null, null);
    }

    @Operation(operationId = "heartbeatTask", summary = "Extend the lease of a claimed task (send every third of leaseMillis)")
    @PostMapping(path = TASK + "/heartbeat", consumes = JSON, produces = JSON)
    public TaskState heartbeat(@PathVariable String jobUid, @PathVariable int index, @RequestBody LeaseReport body,
                               HttpServletRequest request) {
        PartitionTask.Lease lease = lease(jobUid, index, body.owner(), body.attempt());
        try {
            leases.heartbeat(lease);
        } catch (SkyforgeException e) {
            throw refused("heartbeat", lease, e, request);
        }
        PartitionTask task = queue.get(jobUid, index).orElseThrow();
        seen(task.cloud(), lease.owner());
        return TaskState.of(task);
    }

    @Operation(operationId = "reportTaskSuccess", summary = "Report a written part; checked against the task and the object in the bucket before it is recorded")
    @PostMapping(path = TASK + "/success", consumes = JSON, produces = JSON)
    public TaskState succeed(@PathVariable String jobUid, @PathVariable int index, @RequestBody SuccessReport body,
                             HttpServletRequest request) {
        PartitionTask.Lease lease = lease(jobUid, index, body.owner(), body.attempt());
        if (body.result() == null || !body.result().isObject()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "result must be the part written, as an object");
        }
        try {
            queue.requireHeld(lease, "success report");
        } catch (SkyforgeException e) {
            throw refused("success report", lease, e, request);
        }
        PartitionTask task = queue.get(jobUid, index).orElseThrow(() -> new SkyforgeException(ErrorCode.CONFLICT,
                "task " + index + " of job " + jobUid + " was removed (its job was deleted)"));
        String result;
        try {
            result = runner.verifyReported(prepared(task), task, body.result());
        } catch (SkyforgeException e) {
            LOG.warn("success report of task {} of job {} by {} ({}) refused: {}", index, jobUid, lease.owner(),
                    principal(request), e.getMessage());
            throw e;
        }
        try {
            leases.succeed(lease, result);
        } catch (SkyforgeException e) {
            throw refused("success report", lease, e, request);
        }
        seen(task.cloud(), lease.owner());
        return TaskState.of(queue.get(jobUid, index).orElseThrow());
    }

    @Operation(operationId = "reportTaskFailure", summary = "Report a failed attempt; the task is retried after a backoff while spec.backoffLimit allows")
    @PostMapping(path = TASK + "/failure", consumes = JSON, produces = JSON)
    public TaskState fail(@PathVariable String jobUid, @PathVariable int index, @RequestBody FailureReport body,
                          HttpServletRequest request) {
        PartitionTask.Lease lease = lease(jobUid, index, body.owner(), body.attempt());
        try {
            leases.fail(lease, workerText(body.error()));
        } catch (SkyforgeException e) {
            throw refused("failure report", lease, e, request);
        }
        PartitionTask task = queue.get(jobUid, index).orElseThrow();
        seen(task.cloud(), lease.owner());
        return TaskState.of(task);
    }

    /** A worker's error or reason as stored: a default when it gave none, at most ERROR_CHARS characters. */
    private static String workerText(String text) {
        String t = text == null || text.isBlank() ? "the worker gave no reason" : text;
        return t.length() > ERROR_CHARS ? t.substring(0, ERROR_CHARS) : t;
    }

    @Operation(operationId = "releaseTask", summary = "Hand a claimed task back unfinished (the worker is stopping): claimable again at once, the attempt not counted")
    @PostMapping(path = TASK + "/release", consumes = JSON, produces = JSON)
    public TaskState release(@PathVariable String jobUid, @PathVariable int index, @RequestBody ReleaseReport body,
                             HttpServletRequest request) {
        PartitionTask.Lease lease = lease(jobUid, index, body.owner(), body.attempt());
        try {
            leases.release(lease, workerText(body.reason()));
        } catch (SkyforgeException e) {
            throw refused("release", lease, e, request);
        }
        PartitionTask task = queue.get(jobUid, index).orElseThrow();
        if (backends.backend(task.cloud()).orElse(null) instanceof WorkerComputeBackend w) {
            w.taskReturned();
        }
        return TaskState.of(task);
    }

    /** Records that a worker of a {@code worker} cloud called (other clouds' callers are pods or tests, not a fleet to watch). */
    private void seen(String cloud, String owner) {
        if (backends.backend(cloud).orElse(null) instanceof WorkerComputeBackend) {
            sightings.seen(cloud, owner);
        }
    }

    /** A malformed body is the client's mistake: SF-PARSE, not an internal error. */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<String> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return Problems.response(new SkyforgeException(ErrorCode.PARSE, "the request body is not the JSON this endpoint"
                + " takes: " + (e.getMostSpecificCause() == null ? e.getMessage() : e.getMostSpecificCause().getMessage())),
                request.getRequestURI());
    }

    private PartitionRunner.Prepared prepared(PartitionTask task) {
        Resource job = runtime.dataJob(task.namespace(), task.jobName())
                .filter(j -> task.jobUid().equals(j.metadata().uid()))
                .orElseThrow(() -> new SkyforgeException(ErrorCode.CONFLICT, "DataJob " + task.namespace() + "/"
                        + task.jobName() + " of task " + task.index() + " no longer exists"));
        String key = job.metadata().uid() + "@" + job.metadata().generation();
        synchronized (prepared) {
            PartitionRunner.Prepared p = prepared.get(key);
            if (p != null) {
                return p;
            }
        }
        PartitionRunner.Prepared p = runner.prepare(job);
        synchronized (prepared) {
            prepared.put(key, p);
        }
        return p;
    }

    private SkyforgeException refused(String what, PartitionTask.Lease lease, SkyforgeException e, HttpServletRequest request) {
        if (e.code() == ErrorCode.CONFLICT) {
            LOG.warn("{} from {} ({}) refused: {}", what, lease.owner(), principal(request), e.getMessage());
        }
        return e;
    }

    private static PartitionTask.Lease lease(String jobUid, int index, String owner, Integer attempt) {
        if (attempt == null || attempt < 1) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "attempt must be the attempt number of the claim (>= 1), got "
                    + attempt);
        }
        if (index < 0) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "task index must be >= 0, got " + index);
        }
        return new PartitionTask.Lease(jobUid, index, owner(owner), attempt);
    }

    private static String owner(String owner) {
        String o = require("owner", owner);
        if (!OWNER.matcher(o).matches()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "owner must be 1 to 128 of A-Z a-z 0-9 . _ : / @ -, got '"
                    + (o.length() > 40 ? o.substring(0, 40) + "..." : o) + "'");
        }
        return o;
    }

    private static String require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, field + " is required");
        }
        return value;
    }

    private static Object principal(HttpServletRequest request) {
        Object p = request.getAttribute(BearerTokenFilter.PRINCIPAL_ATTRIBUTE);
        return p == null ? "unknown" : p;
    }
}
