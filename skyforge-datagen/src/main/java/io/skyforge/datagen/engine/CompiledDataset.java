package io.skyforge.datagen.engine;

import io.skyforge.datagen.spec.DatasetDefinition;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A checked, compiled dataset: the immutable, thread-safe input of every generation run. */
public final class CompiledDataset {

    /** Bumped whenever any generator's output changes for the same spec; recorded in manifests. */
    public static final String ENGINE_VERSION = "1";

    private final DatasetDefinition definition;
    private final long seed;
    private final double scale;
    private final List<CompiledTable> tables;
    private final int[] groupTables;
    private final int[][] groupOrders;
    private final List<String> loadOrder;
    private final String specHash;

    CompiledDataset(DatasetDefinition definition, JsonNode spec, long seed, double scale, List<CompiledTable> tables,
                    int[] groupTables, int[][] groupOrders, List<String> loadOrder) {
        this.definition = definition;
        this.seed = seed;
        this.scale = scale;
        this.tables = List.copyOf(tables);
        this.groupTables = groupTables;
        this.groupOrders = groupOrders;
        this.loadOrder = List.copyOf(loadOrder);
        this.specHash = hash(spec);
    }

    public DatasetDefinition definition() {
        return definition;
    }

    public long seed() {
        return seed;
    }

    public double scale() {
        return scale;
    }

    public List<CompiledTable> tables() {
        return tables;
    }

    /** Tables ordered so that every table comes after the tables its required foreign keys point to. */
    public List<String> loadOrder() {
        return loadOrder;
    }

    /** sha256 of the spec in canonical JSON (keys sorted), so formatting and key order do not matter. */
    public String specHash() {
        return specHash;
    }

    public CompiledTable table(String name) {
        for (CompiledTable t : tables) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new SkyforgeException(ErrorCode.NOT_FOUND, "no table '" + name + "' in this dataset; tables: "
                + tables.stream().map(CompiledTable::name).toList());
    }

    /** Fresh per-thread scratch state. */
    public Ctx newContext() {
        return new Ctx(this);
    }

    int groupCount() {
        return groupTables.length;
    }

    CompiledTable groupTable(int group) {
        return tables.get(groupTables[group]);
    }

    int[] groupOrder(int group) {
        return groupOrders[group];
    }

    private static String hash(JsonNode spec) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(canonical(spec).toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode canonical(JsonNode n) {
        if (n == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (n.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                sorted.put(e.getKey(), canonical(e.getValue()));
            }
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            sorted.forEach(o::set);
            return o;
        }
        if (n.isArray()) {
            var a = JsonNodeFactory.instance.arrayNode();
            for (JsonNode e : n) {
                a.add(canonical(e));
            }
            return a;
        }
        return n;
    }
}
