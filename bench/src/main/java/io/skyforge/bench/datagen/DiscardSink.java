package io.skyforge.bench.datagen;

import io.skyforge.datagen.output.PartSink;
import java.io.OutputStream;

/** A part sink that keeps nothing: what is measured is generation, encoding and the checksum. */
public final class DiscardSink implements PartSink {
    @Override
    public OutputStream open(String key) {
        return new DatagenBenchmarks.Discard();
    }

    @Override
    public String describe() {
        return "discard";
    }
}
