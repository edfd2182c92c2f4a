package io.skyforge.cli;

import io.skyforge.core.codec.ResourceCodec;
import io.skyforge.core.codec.ResourceJson;
import io.skyforge.core.model.Kinds;
import io.skyforge.core.model.Resource;
import io.skyforge.core.model.ResourceKind;
import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/** kubectl-like rendering: aligned tables with per-kind columns, or YAML/JSON. */
final class Output {

    private Output() {
    }

    static void print(PrintWriter out, String format, ResourceKind kind, List<Resource> items, boolean single,
                      boolean showNamespace) {
        switch (format) {
            case "yaml" -> {
                if (single) {
                    out.print(ResourceCodec.toYaml(ResourceJson.write(items.get(0))));
                } else {
                    out.print(ResourceCodec.toYamlDocuments(items.stream().map(ResourceJson::write).toList()));
                }
            }
            case "json" -> {
                if (single) {
                    out.println(ResourceCodec.toJson(ResourceJson.write(items.get(0))));
                } else {
                    var list = io.skyforge.core.codec.Json.MAPPER.createObjectNode();
                    list.put("apiVersion", kind.apiVersion());
                    list.put("kind", kind.kind() + "List");
                    var arr = list.putArray("items");
                    items.forEach(r -> arr.add(ResourceJson.write(r)));
                    out.println(ResourceCodec.toJson(list));
                }
            }
            case "table", "wide" -> table(out, kind, items, showNamespace);
            case "name" -> items.forEach(r -> out.println(kind.singular() + "/" + r.name()));
            default -> throw new SkyforgeException(ErrorCode.VALIDATION,
                    "unknown output format '" + format + "'; use table, yaml, json or name");
        }
        out.flush();
    }

    private record Column(String header, Function<Resource, String> value) {
    }

    private static void table(PrintWriter out, ResourceKind kind, List<Resource> items, boolean showNamespace) {
        if (items.isEmpty()) {
            out.println("No " + kind.plural() + " found.");
            return;
        }
        List<Column> cols = new ArrayList<>();
        if (showNamespace) {
            cols.add(new Column("NAMESPACE", Resource::namespace));
        }
        cols.add(new Column("NAME", Resource::name));
        cols.addAll(kindColumns(kind));
        cols.add(new Column("AGE", r -> age(r.metadata().creationTimestamp())));
        List<String[]> rows = new ArrayList<>();
        rows.add(cols.stream().map(Column::header).toArray(String[]::new));
        for (Resource r : items) {
            rows.add(cols.stream().map(c -> c.value().apply(r)).toArray(String[]::new));
        }
        aligned(out, rows);
    }

    /** Rows in columns three spaces apart; empty or null cells show as {@code -}. */
    static void aligned(PrintWriter out, List<String[]> rows) {
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                row[i] = row[i] == null || row[i].isEmpty() ? "-" : row[i];
            }
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                sb.append(row[i]);
                if (i < row.length - 1) {
                    sb.append(" ".repeat(width[i] - row[i].length() + 3));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    private static List<Column> kindColumns(ResourceKind kind) {
        if (kind.equals(Kinds.CLOUD)) {
            return List.of(new Column("TYPE", r -> text(r.spec(), "type")),
                    new Column("ENDPOINT", r -> text(r.spec(), "endpoint")),
                    new Column("READY", r -> condition(r, "Ready")));
        }
        if (kind.equals(Kinds.LOGICAL_BUCKET)) {
            return List.of(new Column("PROVIDERS", r -> {
                List<String> ps = new ArrayList<>();
                r.spec().path("providers").forEach(p -> ps.add(p.path("cloud").asString("") + ":" + p.path("physicalId").asString("")));
                return String.join(",", ps);
            }), new Column("READY", r -> condition(r, "Ready")));
        }
        if (kind.equals(Kinds.DATA_JOB)) {
            return List.of(new Column("PHASE", r -> text(r.status(), "phase")),
                    new Column("CLOUD", r -> r.spec().has("cloud") ? text(r.spec(), "cloud") : "(placement)"),
                    new Column("OUTPUT", r -> r.spec().has("output")
                            ? text(r.spec().path("output"), "bucket") + "/" + text(r.spec().path("output"), "prefix")
                            : text(r.spec(), "image")));
        }
        if (kind.equals(Kinds.DATASET)) {
            return List.of(new Column("TABLES", r -> Integer.toString(r.spec().path("tables").size())),
                    new Column("SEED", r -> text(r.spec(), "seed")));
        }
        if (kind.equals(Kinds.LOGICAL_CLUSTER)) {
            return List.of(new Column("MEMBERS", r -> Integer.toString(r.spec().path("members").size())),
                    new Column("READY", r -> condition(r, "Ready")));
        }
        return List.of();
    }

    static String condition(Resource r, String type) {
        for (JsonNode c : r.status().path("conditions")) {
            if (type.equals(c.path("type").asString())) {
                String reason = c.path("reason").asString("");
                return c.path("status").asString("") + (reason.isEmpty() ? "" : " (" + reason + ")");
            }
        }
        return "";
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asString();
    }

    static String age(Instant created) {
        if (created == null) {
            return "";
        }
        Duration d = Duration.between(created, Instant.now());
        if (d.toDays() > 0) {
            return d.toDays() + "d";
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m";
        }
        return Math.max(0, d.toSeconds()) + "s";
    }
}
