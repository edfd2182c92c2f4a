package io.skyforge.cli;

import io.skyforge.core.codec.Json;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "conflicts", description = {"Conflicts of a logical bucket, oldest first: for each key written concurrently",
        "on two copies, the version that won (last writer by HLC, then cloud id), the one that lost, the copy that held",
        "it and where its content is kept (spec.replication.keepLosers)."})
final class ConflictsCommand implements Callable<Integer> {

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
        if (!output.equals("table") && !output.equals("json")) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "unknown output format '" + output + "'; use table or json");
        }
        ApiClient api = client.client();
        ArrayNode all = Json.MAPPER.createArrayNode();
        String cont = null;
        do {
            JsonNode page = api.getJson(SyncCommand.path(client, bucket, "/conflicts")
                    + (cont == null ? "" : "?continue=" + ApiClient.enc(cont)));
            page.path("items").forEach(all::add);
            cont = page.path("continue").isString() ? page.path("continue").asString() : null;
        } while (cont != null);
        PrintWriter out = spec.commandLine().getOut();
        if (output.equals("json")) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("bucket", client.namespaceOrDefault() + "/" + bucket);
            o.set("items", all);
            out.println(ResourceCodec.toJson(o));
        } else if (all.isEmpty()) {
            out.println("No conflicts in " + client.namespaceOrDefault() + "/" + bucket + ".");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"KEY", "WINNER", "LOSER", "FOUND-ON", "KEPT-AS", "DETECTED"});
            for (JsonNode c : all) {
                rows.add(new String[] {c.path("key").asString(), version(c.path("winner")), version(c.path("loser")),
                        c.path("foundOn").asString(), c.path("keptAs").asString(""), c.path("detectedAt").asString()});
            }
            Output.aligned(out, rows);
        }
        out.flush();
        return Main.OK;
    }

    private static String version(JsonNode v) {
        return v.path("version").asString() + (v.path("deleted").asBoolean() ? " (delete)" : "");
    }
}
