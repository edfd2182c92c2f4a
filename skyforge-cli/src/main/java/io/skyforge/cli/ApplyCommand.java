package io.skyforge.cli;

import io.skyforge.core.Manifests;
import io.skyforge.core.codec.ParsedDocument;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "apply", description = "Create or update resources from files, a directory, or stdin (-f -).")
final class ApplyCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Option(names = {"-f", "--filename"}, required = true, description = "file, directory (its .yaml/.yml/.json files) or -")
    List<String> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // Everything is read and validated before the first request, so bad input stores nothing.
        List<ParsedDocument> docs = new ArrayList<>();
        for (String f : files) {
            for (Source s : sources(f)) {
                docs.addAll(Manifests.documents(s.name(), s.text()));
            }
        }
        if (docs.isEmpty()) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "no resources found in " + String.join(", ", files));
        }
        List<Resource> resources = Manifests.validate(docs);
        ApiClient api = client.client();
        PrintWriter out = spec.commandLine().getOut();
        for (Resource r : resources) {
            Resource target = Kinds.of(r).namespaced() && r.namespace() == null
                    ? r.withMetadata(r.metadata().withNamespace(client.namespaceOrDefault())) : r;
            ApiClient.Applied a = api.apply(target);
            out.println(Kinds.of(r).singular() + "/" + r.name() + (a.created() ? " created" : " configured"));
        }
        out.flush();
        return Main.OK;
    }

    private record Source(String name, String text) {
    }

    private List<Source> sources(String f) {
        try {
            if (f.equals("-")) {
                return List.of(new Source("<stdin>", new String(System.in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            Path p = Path.of(f);
            if (Files.isDirectory(p)) {
                List<Source> out = new ArrayList<>();
                try (Stream<Path> s = Files.list(p)) {
                    for (Path file : s.filter(ApplyCommand::isManifest).sorted().toList()) {
                        out.add(new Source(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
                    }
                }
                return out;
            }
            if (!Files.exists(p)) {
                throw new SkyforgeException(ErrorCode.NOT_FOUND, "no such file or directory: " + f);
            }
            if (Files.size(p) > io.skyforge.core.codec.ResourceCodec.MAX_INPUT_CHARS) {
                throw new SkyforgeException(ErrorCode.TOO_LARGE, f + " is " + Files.size(p) + " bytes; the limit is "
                        + io.skyforge.core.codec.ResourceCodec.MAX_INPUT_CHARS);
            }
            return List.of(new Source(f, Files.readString(p, StandardCharsets.UTF_8)));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new SkyforgeException(ErrorCode.PARSE, f + " is not UTF-8 text");
        } catch (IOException e) {
            throw new SkyforgeException(ErrorCode.IO, "cannot read " + f + ": " + e.getMessage());
        }
    }

    private static boolean isManifest(Path p) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
    }
}
