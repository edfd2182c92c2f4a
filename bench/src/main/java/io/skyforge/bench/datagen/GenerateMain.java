package io.skyforge.bench.datagen;

import io.skyforge.cli.GenerateCommand;
import picocli.CommandLine;

/** Runs {@code skyforge generate} alone, for the end-to-end benchmark script. */
public final class GenerateMain {

    private GenerateMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new GenerateCommand()).execute(args));
    }
}
