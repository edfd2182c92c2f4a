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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
        // Up to 8 requests in flight (documents are independent); results are printed in input order.
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, resources.size()));
        try {
            List<Future<ApiClient.Applied>> results = new ArrayList<>();
            for (Resource r : resources) {
                Resource target = Kinds.of(r).namespaced() && r.namespace() == null
                        ? r.withMetadata(r.metadata().withNamespace(client.namespaceOrDefault())) : r;
                results.add(pool.submit(() -> api.apply(target)));
            }
            SkyforgeException firstFailure = null;
            for (int i = 0; i < results.size(); i++) {
                Resource r = resources.get(i);
                String ref = Kinds.of(r).singular() + "/" + r.name();
                try {
                    out.println(ref + (results.get(i).get().created() ? " created" : " configured"));
                } catch (ExecutionException e) {
                    SkyforgeException failure = e.getCause() instanceof SkyforgeException se ? se
                            : new SkyforgeException(ErrorCode.INTERNAL, String.valueOf(e.getCause()));
                    out.println(ref + " failed: " + failure.code().code());
                    if (firstFailure == null || failure.code().type() != io.skyforge.spi.error.ErrorType.USER) {
                        firstFailure = new SkyforgeException(failure.code(), ref + ": " + failure.getMessage(),
                                failure.violations());
                    }
                }
            }
            out.flush();
            if (firstFailure != null) {
                throw firstFailure;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SkyforgeException(ErrorCode.INTERNAL, "interrupted");
        } finally {
            pool.shutdownNow();
        }
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
