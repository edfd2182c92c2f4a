package io.skyforge.cli;

import io.skyforge.cli.StorageClient.SfUri;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "ls", description = {"List objects of a logical bucket under a prefix.",
        "  skyforge ls sf://NS/BUCKET/[PREFIX]   one level ('DIR/' lines for deeper keys); -r for every key"})
final class LsCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "sf://NS/BUCKET/[PREFIX]")
    String where;

    @Option(names = {"-r", "--recursive"}, description = "list every key under the prefix, not one level")
    boolean recursive;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!SfUri.is(where)) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "'" + where + "' is not sf://<namespace>/<bucket>/[prefix]");
        }
        SfUri uri = SfUri.parse(where);
        StorageClient storage = new StorageClient(client.serverUrl(), client.token());
        PrintWriter out = spec.commandLine().getOut();
        String cont = null;
        do {
            JsonNode page = storage.list(uri, recursive, cont);
            for (JsonNode p : page.path("prefixes")) {
                out.printf("%19s  %12s  %s%n", "", "DIR", p.asString());
            }
            for (JsonNode o : page.path("items")) {
                String modified = o.hasNonNull("lastModified") ? TIME.format(Instant.parse(o.path("lastModified").asString())) : "";
                out.printf("%19s  %12d  %s%n", modified, o.path("size").asLong(), o.path("key").asString());
            }
            cont = page.path("continue").isString() ? page.path("continue").asString() : null;
        } while (cont != null);
        out.flush();
        return Main.OK;
    }
}
