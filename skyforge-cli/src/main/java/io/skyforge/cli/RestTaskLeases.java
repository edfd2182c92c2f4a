package io.skyforge.cli;

import io.skyforge.control.job.PartitionTask;
import io.skyforge.control.job.TaskLeases;
import io.skyforge.core.codec.Json;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The task queue of a remote control plane, through its worker API ({@code /tasks/v1}, docs/workers.md). */
final class RestTaskLeases implements TaskLeases {

    private final ApiClient client;
    private final int waitSeconds;

    /** @param waitSeconds how long a claim may wait on the server for a task to be dispatched (long poll) */
    RestTaskLeases(ApiClient client, int waitSeconds) {
        this.client = client;
        this.waitSeconds = waitSeconds;
    }

    @Override
    public Optional<Claim> claim(String cloud, String owner) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("cloud", cloud).put("owner", owner).put("waitSeconds", waitSeconds);
        JsonNode r = client.post("/tasks/v1/claims", body);
        return r.path("outcome").asString().equals("CLAIMED") ? Optional.of(claimOf(r)) : Optional.empty();
    }

    @Override
    public ClaimAnswer claim(String cloud, String owner, String namespace, String jobName, int index) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("cloud", cloud).put("owner", owner)
                .put("job", namespace + "/" + jobName).put("index", index);
        JsonNode r = client.post("/tasks/v1/claims", body);
        Outcome outcome;
        try {
            outcome = Outcome.valueOf(r.path("outcome").asString());
        } catch (IllegalArgumentException e) {
            throw new SkyforgeException(ErrorCode.INTERNAL, "the server answered a claim with outcome '"
                    + r.path("outcome").asString() + "'");
        }
        if (outcome == Outcome.CLAIMED) {
            return ClaimAnswer.claimed(claimOf(r));
        }
        PartitionTask.State state = r.hasNonNull("state") ? PartitionTask.State.valueOf(r.path("state").asString()) : null;
        return new ClaimAnswer(outcome, null, state, r.path("cloud").asString(cloud),
                Duration.ofMillis(r.path("retryAfterMillis").asLong(0)), r.path("reason").asString(""));
    }

    @Override
    public void heartbeat(PartitionTask.Lease lease) {
        client.post(path(lease, "heartbeat"), report(lease));
    }

    @Override
    public void succeed(PartitionTask.Lease lease, String resultJson) {
        ObjectNode body = report(lease);
        try {
            body.set("result", Json.MAPPER.readTree(resultJson));
        } catch (JacksonException e) {
            throw new SkyforgeException(ErrorCode.INTERNAL, "the part result is not JSON", e);
        }
        client.post(path(lease, "success"), body);
    }

    @Override
    public void fail(PartitionTask.Lease lease, String error) {
        client.post(path(lease, "failure"), report(lease).put("error", error));
    }

    @Override
    public void release(PartitionTask.Lease lease, String reason) {
        client.post(path(lease, "release"), report(lease).put("reason", reason));
    }

    private static ObjectNode report(PartitionTask.Lease lease) {
        return Json.MAPPER.createObjectNode().put("owner", lease.owner()).put("attempt", lease.attempt());
    }

    private static String path(PartitionTask.Lease lease, String what) {
        return "/tasks/v1/jobs/" + URLEncoder.encode(lease.jobUid(), StandardCharsets.UTF_8) + "/tasks/" + lease.index() + "/"
                + what;
    }

    private static Claim claimOf(JsonNode r) {
        JsonNode t = r.path("task");
        String expires = t.path("leaseExpiresAt").asString(null);
        PartitionTask task = new PartitionTask(t.path("jobUid").asString(), t.path("index").asInt(), t.path("namespace").asString(),
                t.path("jobName").asString(), t.path("table").asString(), t.path("part").asInt(), t.path("parts").asInt(),
                t.path("cloud").asString(), PartitionTask.State.RUNNING, t.path("attempt").asInt(), t.path("owner").asString(),
                expires == null ? null : Instant.parse(expires), null, null);
        return new Claim(task, Duration.ofMillis(r.path("leaseMillis").asLong()));
    }
}
