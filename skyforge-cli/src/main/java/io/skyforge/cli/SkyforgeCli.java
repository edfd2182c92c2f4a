package io.skyforge.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "skyforge",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "Skyforge: multi-cloud control platform and test-data generation service.",
        subcommands = {
            ServerCommand.class,
            ApplyCommand.class,
            GetCommand.class,
            DescribeCommand.class,
            DeleteCommand.class,
            WaitCommand.class,
            GenerateCommand.class,
            ExplainCommand.class,
            DemoCommand.class,
            CpCommand.class,
            LsCommand.class,
            SchemaCommand.class,
            WorkerCommand.class,
            SyncCommand.class,
            ConflictsCommand.class,
        })
public final class SkyforgeCli implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }
}
