package io.skyforge.cli;

import io.skyforge.control.placement.PlacementDecision;
import io.skyforge.control.placement.PlacementExplainer;
import io.skyforge.control.resources.ResourceService;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "explain", description = "Explain a decision: `explain job NAME` prints every candidate cloud,"
        + " each filter verdict and score term, and the winner.")
final class ExplainCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "KIND", description = "job (a DataJob)")
    String kindWord;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ResourceKind kind = Kinds.resolve(kindWord);
        if (!kind.equals(Kinds.DATA_JOB)) {
            throw new SkyforgeException(ErrorCode.UNSUPPORTED, "explain covers DataJobs' placement; got " + kind.plural());
        }
        Resource job = client.client().get(kind, client.namespaceOrDefault(), name)
                .orElseThrow(() -> ResourceService.notFound(kind, client.namespaceOrDefault(), name));
        JsonNode placement = job.status().path("placement");
        if (!placement.isObject()) {
            throw new SkyforgeException(ErrorCode.NOT_FOUND, "DataJob " + job.namespace() + "/" + name
                    + " has not been placed yet (phase " + job.status().path("phase").asString("Pending") + ")");
        }
        spec.commandLine().getOut().print(PlacementExplainer.render(PlacementDecision.fromJson(placement)));
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
