package io.skyforge.bench.datagen;

import io.skyforge.core.codec.ParsedDocument;
import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.DatasetCompiler;
import io.skyforge.datagen.engine.GenerateOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the benchmark specs from bench/specs (run from the repository root, or set skyforge.bench.specs). */
public final class Specs {

    private Specs() {
    }

    static CompiledDataset load(String file) {
        Path p = Path.of(System.getProperty("skyforge.bench.specs", "bench/specs")).resolve(file);
        try {
            return compile(p.toString(), Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p.toAbsolutePath() + " (run from the repository root)", e);
        }
    }

    /** Compiles a Dataset given as YAML text; {@code source} names it in errors. */
    public static CompiledDataset compile(String source, String yaml) {
        ParsedDocument d = ResourceCodec.parseOne(source, yaml);
        return DatasetCompiler.compile(d.body().get("spec"), d.sourceMap(), GenerateOptions.defaults());
    }
}
