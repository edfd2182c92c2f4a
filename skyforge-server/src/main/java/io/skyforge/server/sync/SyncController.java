package io.skyforge.server.sync;

import io.skyforge.control.store.ResourceStore;
import io.skyforge.control.sync.JdbcConflictLog;
import io.skyforge.control.sync.ReplicationController;
import io.skyforge.control.sync.ReplicationController.Replica;
import io.skyforge.core.codec.Json;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.sync.conflict.ConflictRecord;
import io.skyforge.sync.replication.SyncStatus;
import io.skyforge.sync.version.Version;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replication of a logical bucket, next to its objects in the data API: status per copy, resync, pause and
 * resume, and the conflicts last-writer-wins resolved (docs/sync.md). {@code skyforge sync} and
 * {@code skyforge conflicts} call these.
 */
@RestController
@Tag(name = "sync", description = "replication of logical buckets across their copies")
public class SyncController {

    static final String BASE = "/data/v1/namespaces/{ns}/buckets/{bucket}";

    private final ResourceStore store;
    private final ReplicationController sync;

    public SyncController(ResourceStore store, ReplicationController sync) {
        this.store = Objects.requireNonNull(store, "store");
        this.sync = Objects.requireNonNull(sync, "sync");
    }

    @GetMapping(BASE + "/sync")
    @Operation(summary = "Replication status: per copy reachable, in sync, lag, pending objects and bytes, last error")
    public void status(@PathVariable String ns, @PathVariable String bucket, HttpServletResponse response) throws IOException {
        Resource r = bucket(ns, bucket);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("bucket", ns + "/" + bucket);
        var replica = sync.replica(r);
        if (replica.isEmpty()) {
            out.put("replicating", false);
            out.put("reason", sync.whyNotReplicated(ns, bucket).orElse("not replicated"));
            writeJson(response, 200, out);
            return;
        }
        describe(replica.get(), out);
        writeJson(response, 200, out);
    }

    @PostMapping(BASE + "/sync/resync")
    @Operation(summary = "Compare every key of every copy afresh and copy back what is missing (never infers deletes);"
            + " lifts a pause")
    public void resync(@PathVariable String ns, @PathVariable String bucket, HttpServletResponse response) throws IOException {
        Replica replica = replicated(ns, bucket);
        replica.replicator().resync();
        writeJson(response, 202, describe(replica, Json.MAPPER.createObjectNode().put("bucket", replica.ref())));
    }

    @PostMapping(BASE + "/sync/pause")
    @Operation(summary = "Stop replicating (writes still land on their copy and are held) until resume or resync")
    public void pause(@PathVariable String ns, @PathVariable String bucket,
                      @RequestParam(required = false) String reason, HttpServletResponse response) throws IOException {
        Replica replica = replicated(ns, bucket);
        replica.replicator().pause(reason);
        writeJson(response, 200, describe(replica, Json.MAPPER.createObjectNode().put("bucket", replica.ref())));
    }

    @PostMapping(BASE + "/sync/resume")
    @Operation(summary = "Lift a pause, accepting the deletes a mass-delete guard held back")
    public void resume(@PathVariable String ns, @PathVariable String bucket, HttpServletResponse response) throws IOException {
        Replica replica = replicated(ns, bucket);
        replica.replicator().resume();
        writeJson(response, 200, describe(replica, Json.MAPPER.createObjectNode().put("bucket", replica.ref())));
    }

    @GetMapping(BASE + "/conflicts")
    @Operation(summary = "Conflicts resolved by last-writer-wins, oldest first: winner, loser, where the loser was, where it is kept")
    public void conflicts(@PathVariable String ns, @PathVariable String bucket,
                          @Parameter(description = "1..1000, default 1000") @RequestParam(required = false) Integer limit,
                          @Parameter(description = "the `continue` of the previous page")
                          @RequestParam(name = "continue", required = false) String cont,
                          HttpServletResponse response) throws IOException {
        bucket(ns, bucket);
        int max = limit == null ? JdbcConflictLog.MAX_PAGE : limit;
        if (max < 1 || max > JdbcConflictLog.MAX_PAGE) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "limit must be 1.." + JdbcConflictLog.MAX_PAGE + ": " + max);
        }
        long after;
        try {
            after = cont == null || cont.isEmpty() ? 0 : Long.parseLong(cont);
        } catch (NumberFormatException e) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "continue must be the `continue` of a previous page: " + cont);
        }
        List<JdbcConflictLog.Stored> page = sync.conflicts(ns, bucket, after, max);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode items = out.putArray("items");
        for (JdbcConflictLog.Stored s : page) {
            ConflictRecord c = s.record();
            ObjectNode o = items.addObject();
            o.put("id", s.id());
            o.put("key", c.key());
            version(o.putObject("winner"), c.winner());
            version(o.putObject("loser"), c.loser());
            o.put("foundOn", c.foundOn());
            if (c.keptAs() != null) {
                o.put("keptAs", c.keptAs());
            } else {
                o.putNull("keptAs");
            }
            o.put("detectedAt", c.detectedAt().toString());
        }
        if (page.size() == max) {
            out.put("continue", Long.toString(page.get(page.size() - 1).id()));
        } else {
            out.putNull("continue");
        }
        writeJson(response, 200, out);
    }

    private Resource bucket(String ns, String name) {
        return store.get(Kinds.LOGICAL_BUCKET, ns, name).orElseThrow(() -> new SkyforgeException(
                ErrorCode.BUCKET_NOT_FOUND, "LogicalBucket " + ns + "/" + name + " not found"));
    }

    private Replica replicated(String ns, String name) {
        Resource r = bucket(ns, name);
        return sync.replica(r).orElseThrow(() -> new SkyforgeException(ErrorCode.UNSUPPORTED, "LogicalBucket " + ns + "/"
                + name + " is not replicated: " + sync.whyNotReplicated(ns, name).orElse("no replicator")));
    }

    private static ObjectNode describe(Replica replica, ObjectNode out) {
        SyncStatus s = replica.replicator().status();
        out.put("replicating", true);
        out.put("mode", replica.mode());
        if (replica.primary() != null) {
            out.put("primary", replica.primary());
        }
        out.put("inSync", s.inSync());
        out.put("paused", s.paused());
        out.put("pausedReason", s.pausedReason());
        out.put("queuedKeys", s.queuedKeys());
        ArrayNode copies = out.putArray("copies");
        for (SyncStatus.Copy c : s.copies()) {
            ObjectNode o = copies.addObject();
            o.put("cloud", c.cloud());
            o.put("physicalBucket", c.bucket());
            o.put("reachable", c.reachable());
            o.put("inSync", c.inSync());
            o.put("lagMs", c.lag().toMillis());
            o.put("pendingObjects", c.pendingObjects());
            o.put("pendingBytes", c.pendingBytes());
            o.put("lastError", c.lastError());
            time(o, "lastErrorAt", c.lastErrorAt());
            time(o, "lastScan", c.lastScan());
            o.put("fullResync", c.fullResync());
        }
        return out;
    }

    private static void version(ObjectNode o, Version v) {
        o.put("version", v.id());
        o.put("hlc", v.hlc().encode());
        o.put("origin", v.origin());
        o.put("deleted", v.tombstone());
        if (v.sha256() != null) {
            o.put("sha256", v.sha256());
        }
    }

    private static void time(ObjectNode o, String field, Instant t) {
        if (t == null) {
            o.putNull(field);
        } else {
            o.put(field, t.toString());
        }
    }

    private static void writeJson(HttpServletResponse response, int status, ObjectNode body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        byte[] bytes = ResourceCodec.toCompactJson(body).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
