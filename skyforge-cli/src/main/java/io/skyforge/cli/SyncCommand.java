package io.skyforge.cli;

import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "sync", description = "Replication of a logical bucket across its copies (docs/sync.md).",
        subcommands = {SyncCommand.Status.class, SyncCommand.Resync.class, SyncCommand.Pause.class, SyncCommand.Resume.class})
final class SyncCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a sync command is required: status, resync, pause or resume");
    }

    static String path(ClientOptions client, String bucket, String rest) {
        return "/data/v1/namespaces/" + ApiClient.enc(client.namespaceOrDefault()) + "/buckets/" + ApiClient.enc(bucket) + rest;
    }

    @Command(name = "status", description = "Per copy: reachable, in sync, lag, pending objects and bytes, last error.")
    static final class Status implements Callable<Integer> {

        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "BUCKET", description = "a LogicalBucket in the namespace (-n)")
        String bucket;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json")
        String output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode s = client.client().getJson(path(client, bucket, "/sync"));
            print(spec.commandLine().getOut(), output, s);
            return Main.OK;
        }
    }

    @Command(name = "resync", description = {"Compare every key of every copy afresh and copy back whatever a copy lacks.",
            "Never infers deletes, so it restores a wiped copy; it also lifts a pause (the mass-delete guard's)."})
    static final class Resync implements Callable<Integer> {

        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "BUCKET")
        String bucket;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode s = client.client().postJson(path(client, bucket, "/sync/resync"));
            PrintWriter out = spec.commandLine().getOut();
            out.println("resync of " + s.path("bucket").asString() + " started: every key of every copy is compared again"
                    + " (follow it with `skyforge sync status " + bucket + "`)");
            out.flush();
            return Main.OK;
        }
    }

    @Command(name = "pause", description = "Stop replicating until resume or resync; writes still land on their copy.")
    static final class Pause implements Callable<Integer> {

        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "BUCKET")
        String bucket;

        @Option(names = "--reason", description = "shown by `sync status`")
        String reason;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode s = client.client().postJson(path(client, bucket, "/sync/pause")
                    + (reason == null ? "" : "?reason=" + ApiClient.enc(reason)));
            spec.commandLine().getOut().println("replication of " + s.path("bucket").asString() + " paused");
            spec.commandLine().getOut().flush();
            return Main.OK;
        }
    }

    @Command(name = "resume", description = "Lift a pause, accepting deletes the mass-delete guard held back.")
    static final class Resume implements Callable<Integer> {

        @Mixin
        ClientOptions client;

        @Parameters(index = "0", paramLabel = "BUCKET")
        String bucket;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode s = client.client().postJson(path(client, bucket, "/sync/resume"));
            spec.commandLine().getOut().println("replication of " + s.path("bucket").asString() + " resumed");
            spec.commandLine().getOut().flush();
            return Main.OK;
        }
    }

    static void print(PrintWriter out, String format, JsonNode s) {
        switch (format) {
            case "json" -> out.println(ResourceCodec.toJson(s));
            case "table" -> table(out, s);
            default -> throw new SkyforgeException(ErrorCode.VALIDATION, "unknown output format '" + format + "'; use table or json");
        }
        out.flush();
    }

    private static void table(PrintWriter out, JsonNode s) {
        String bucket = s.path("bucket").asString();
        if (!s.path("replicating").asBoolean()) {
            out.println(bucket + " is not replicated: " + s.path("reason").asString());
            return;
        }
        String state = s.path("paused").asBoolean() ? "paused: " + s.path("pausedReason").asString()
                : s.path("inSync").asBoolean() ? "in sync" : "replicating";
        out.println(bucket + " (" + s.path("mode").asString()
                + (s.hasNonNull("primary") ? ", primary " + s.path("primary").asString() : "") + "): " + state
                + ", " + s.path("queuedKeys").asLong() + " keys queued");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"CLOUD", "PHYSICAL", "REACHABLE", "IN-SYNC", "LAG", "PENDING", "PENDING-BYTES", "LAST-ERROR"});
        for (JsonNode c : s.path("copies")) {
            String error = c.path("lastError").asString("");
            rows.add(new String[] {c.path("cloud").asString(), c.path("physicalBucket").asString(),
                    c.path("reachable").asBoolean() ? "yes" : "no",
                    c.path("inSync").asBoolean() ? "yes" : c.path("fullResync").asBoolean() ? "no (full resync)" : "no",
                    lag(c.path("lagMs").asLong()), Long.toString(c.path("pendingObjects").asLong()),
                    Long.toString(c.path("pendingBytes").asLong()),
                    error.length() > 100 ? error.substring(0, 97) + "..." : error});
        }
        Output.aligned(out, rows);
    }

    static String lag(long ms) {
        if (ms < 1000) {
            return ms + "ms";
        }
        Duration d = Duration.ofMillis(ms);
        if (d.toMinutes() < 1) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        return d.toHours() > 0 ? d.toHours() + "h" + d.toMinutesPart() + "m" : d.toMinutes() + "m" + d.toSecondsPart() + "s";
    }
}
