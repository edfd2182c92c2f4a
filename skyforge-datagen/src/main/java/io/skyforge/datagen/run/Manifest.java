package io.skyforge.datagen.run;

import io.skyforge.core.codec.Json;
import io.skyforge.datagen.engine.CompiledDataset;
import io.skyforge.datagen.engine.CompiledTable;
import io.skyforge.datagen.output.PartSink;
import io.skyforge.datagen.writer.WriterOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code _manifest.json}: what was generated and how to verify it. Written last; a generation is
 * complete exactly when its manifest exists. It holds no timestamps, so the same inputs give the
 * same manifest byte for byte.
 */
public final class Manifest {

    public static final String KEY = "_manifest.json";

    private Manifest() {
    }

    public static ObjectNode build(String datasetName, CompiledDataset dataset, WriterOptions options, List<PartResult> parts) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("kind", "DatasetManifest");
        m.put("dataset", datasetName);
        m.put("specHash", "sha256:" + dataset.specHash());
        m.put("seed", dataset.seed());
        m.put("scale", dataset.scale());
        m.put("engineVersion", CompiledDataset.ENGINE_VERSION);
        m.put("format", options.format().toString());
        m.put("compression", options.compression().toString());
        ArrayNode order = m.putArray("loadOrder");
        dataset.loadOrder().forEach(order::add);
        ArrayNode tables = m.putArray("tables");
        for (CompiledTable t : dataset.tables()) {
            List<PartResult> own = new ArrayList<>(parts.stream().filter(p -> p.table().equals(t.name())).toList());
            if (own.isEmpty()) {
                continue;
            }
            own.sort(Comparator.comparingInt(PartResult::part));
            ObjectNode tn = tables.addObject();
            tn.put("name", t.name());
            tn.put("rows", own.stream().mapToLong(PartResult::rows).sum());
            ArrayNode cols = tn.putArray("columns");
            for (int c : t.visibleColumns()) {
                ObjectNode cn = cols.addObject();
                cn.put("name", t.columnName(c));
                cn.put("type", t.type(c).toString());
            }
            if (!t.primaryKey().isEmpty()) {
                ArrayNode pk = tn.putArray("primaryKey");
                t.primaryKey().forEach(pk::add);
            }
            if (!t.foreignKeys().isEmpty()) {
                ObjectNode fk = tn.putObject("foreignKeys");
                t.foreignKeys().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                        .forEach(e -> fk.put(e.getKey(), e.getValue()));
            }
            ArrayNode pn = tn.putArray("parts");
            for (PartResult p : own) {
                ObjectNode o = pn.addObject();
                o.put("key", p.key());
                o.put("part", p.part());
                o.put("of", p.parts());
                o.put("firstRow", p.firstRow());
                o.put("rows", p.rows());
                o.put("bytes", p.bytes());
                o.put("sha256", p.sha256());
            }
        }
        return m;
    }

    public static byte[] bytes(ObjectNode manifest) {
        String s = Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(manifest) + "\n";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static void write(PartSink sink, ObjectNode manifest) throws IOException {
        sink.put(KEY, bytes(manifest));
    }
}
