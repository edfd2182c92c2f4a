package io.skyforge.cli;

import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.ResourceKind;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "delete", description = "Delete resources by kind and name.")
final class DeleteCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "KIND")
    String kindWord;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Option(names = "--ignore-not-found", description = "succeed when a resource does not exist")
    boolean ignoreNotFound;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ResourceKind kind = Kinds.resolve(kindWord);
        ApiClient api = client.client();
        for (String n : names) {
            try {
                api.delete(kind, client.namespaceOrDefault(), n);
                spec.commandLine().getOut().println(kind.singular() + "/" + n + " deleted");
            } catch (io.skyforge.spi.error.SkyforgeException e) {
                if (!(ignoreNotFound && e.code() == io.skyforge.spi.error.ErrorCode.NOT_FOUND)) {
                    throw e;
                }
            }
        }
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
