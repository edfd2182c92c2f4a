package io.skyforge.cli;

import io.skyforge.core.codec.ResourceJson;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
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

@Command(name = "get", description = "List resources of a kind, or show one.")
final class GetCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "KIND", description = "datajobs, datajob, DataJob, dj, clouds, lb, ...")
    String kindWord;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = {"-l", "--selector"}, description = "label selector, e.g. app=web,tier!=db")
    String selector;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, yaml, json or name")
    String output;

    @Option(names = {"-A", "--all-namespaces"}, description = "list across all namespaces")
    boolean allNamespaces;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ResourceKind kind = Kinds.resolve(kindWord);
        ApiClient api = client.client();
        if (name != null) {
            Resource r = api.get(kind, client.namespaceOrDefault(), name)
                    .orElseThrow(() -> io.skyforge.control.resources.ResourceService.notFound(kind, client.namespaceOrDefault(), name));
            Output.print(spec.commandLine().getOut(), output, kind, List.of(r), true, false);
            return Main.OK;
        }
        List<Resource> items = new ArrayList<>();
        String cont = null;
        do {
            JsonNode page = api.list(kind, allNamespaces ? null : client.namespaceOrDefault(), selector, 500, cont);
            page.path("items").forEach(i -> items.add(ResourceJson.read(i)));
            cont = page.path("metadata").path("continue").asString(null);
        } while (cont != null);
        Output.print(spec.commandLine().getOut(), output, kind, items, false, allNamespaces && kind.namespaced());
        return Main.OK;
    }
}
