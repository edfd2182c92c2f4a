package io.skyforge.cli;

import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "describe", description = "Show one resource in detail: metadata, spec, conditions.")
final class DescribeCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "KIND")
    String kindWord;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ResourceKind kind = Kinds.resolve(kindWord);
        Resource r = client.client().get(kind, client.namespaceOrDefault(), name)
                .orElseThrow(() -> io.skyforge.control.resources.ResourceService.notFound(kind, client.namespaceOrDefault(), name));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Name:               %s%n", r.name());
        if (kind.namespaced()) {
            out.printf("Namespace:          %s%n", r.namespace());
        }
        out.printf("Kind:               %s (%s)%n", r.kind(), r.apiVersion());
        out.printf("Labels:             %s%n", r.metadata().labels().isEmpty() ? "<none>" : r.metadata().labels());
        out.printf("Annotations:        %s%n", r.metadata().annotations().isEmpty() ? "<none>" : r.metadata().annotations());
        out.printf("UID:                %s%n", r.metadata().uid());
        out.printf("Resource version:   %s%n", r.metadata().resourceVersion());
        out.printf("Generation:         %s%n", r.metadata().generation());
        out.printf("Created:            %s (%s ago)%n", r.metadata().creationTimestamp(), Output.age(r.metadata().creationTimestamp()));
        out.println("Spec:");
        ResourceCodec.toYaml(r.spec()).lines().forEach(l -> out.println("  " + l));
        JsonNode status = r.status();
        if (status.has("phase")) {
            out.printf("Phase:              %s%n", status.get("phase").asString());
        }
        out.println("Conditions:");
        if (!status.path("conditions").isArray() || status.path("conditions").isEmpty()) {
            out.println("  <none>");
        } else {
            out.printf("  %-12s %-8s %-20s %-26s %s%n", "TYPE", "STATUS", "REASON", "LAST TRANSITION", "MESSAGE");
            for (JsonNode c : status.path("conditions")) {
                out.printf("  %-12s %-8s %-20s %-26s %s%n", c.path("type").asString(""), c.path("status").asString(""),
                        c.path("reason").asString(""), c.path("lastTransitionTime").asString(""), c.path("message").asString(""));
            }
        }
        var rest = status.deepCopy();
        if (rest instanceof tools.jackson.databind.node.ObjectNode o) {
            o.remove("conditions");
            o.remove("phase");
            if (!o.isEmpty()) {
                out.println("Status:");
                ResourceCodec.toYaml(o).lines().forEach(l -> out.println("  " + l));
            }
        }
        out.flush();
        return Main.OK;
    }
}
