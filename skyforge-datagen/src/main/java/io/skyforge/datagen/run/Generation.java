package io.skyforge.datagen.run;

import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.output.PartSink;
import io.skyforge.datagen.writer.WriterOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * A whole local generation: every part of every selected table, then the manifest. Jobs that spread
 * parts over workers call {@link PartWriter#write} per task and {@link Manifest} once at the end.
 */
public final class Generation {

    private Generation() {
    }

    /**
     * @param tables tables to write (empty: all, in load order)
     * @return the manifest written (also when the sink keeps no objects, e.g. stdout)
     */
    public static ObjectNode run(String datasetName, CompiledDataset dataset, List<String> tables, int parts,
                                 WriterOptions options, PartSink sink, int threads, LongConsumer progress) throws IOException {
        List<String> selected = tables.isEmpty() ? dataset.loadOrder() : tables;
        for (String t : selected) {
            dataset.table(t);
        }
        List<PartResult> results = new ArrayList<>();
        for (String t : selected) {
            for (int k = 0; k < parts; k++) {
                results.add(PartWriter.write(dataset, t, k, parts, options, sink, threads, progress));
            }
        }
        ObjectNode manifest = Manifest.build(datasetName, dataset, options, results);
        if (sink.keepsObjects()) {
            Manifest.write(sink, manifest);
        }
        return manifest;
    }
}
