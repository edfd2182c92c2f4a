package io.skyforge.datagen;

import io.skyforge.core.codec.ParsedDocument;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.DatasetCompiler;
import io.skyforge.datagen.engine.GenerateOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers: load specs from text or from the repository's examples. */
final class Specs {

    static final Path EXAMPLES = Path.of("..", "examples", "datasets");

    private Specs() {
    }

    static ParsedDocument parse(String yaml) {
        return ResourceCodec.parseOne("test.yaml", yaml);
    }

    /** A whole Dataset document around a {@code spec:} body given as indented YAML. */
    static ParsedDocument dataset(String specBody) {
        return parse("apiVersion: data.mcp/v1\nkind: Dataset\nmetadata: {name: t}\nspec:\n" + specBody.stripIndent().indent(2));
    }

    static CompiledDataset compile(ParsedDocument doc) {
        return DatasetCompiler.compile(doc.body().get("spec"), doc.sourceMap(), GenerateOptions.defaults());
    }

    static CompiledDataset compile(String specBody) {
        return compile(dataset(specBody));
    }

    static ParsedDocument example(String name) {
        Path p = EXAMPLES.resolve(name);
        try {
            return ResourceCodec.parseOne(p.toString(), Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> exampleNames() {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
