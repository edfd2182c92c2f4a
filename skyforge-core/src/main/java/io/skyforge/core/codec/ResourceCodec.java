package io.skyforge.core.codec;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads YAML (1.2 core schema, multi-document) and JSON into JSON trees that remember the line and
 * column of every field, and writes trees back as YAML or JSON.
 *
 * <p>Untrusted input is bounded: a document may not exceed {@link #MAX_DOCUMENT_CHARS} characters
 * or expand (through aliases) to more than {@link #MAX_NODES} nodes, so an alias bomb is refused
 * before it can exhaust memory. Duplicate keys are errors, as YAML 1.2 requires.
 */
public final class ResourceCodec {

    /** Per document, as the store keeps it; Kubernetes keeps objects under 1.5 MiB for the same reason. */
    public static final int MAX_DOCUMENT_CHARS = 1024 * 1024;
    /** Per input (a multi-document file); keeps a whole `apply -f` of many documents possible. */
    public static final int MAX_INPUT_CHARS = 64 * 1024 * 1024;
    public static final int MAX_NODES = 200_000;
    private static final int MAX_ALIASES = 100;
    private static final int MAX_DEPTH = 64;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private ResourceCodec() {
    }

    /** Parses every document of {@code text}; {@code source} names it in messages (a file name or "-"). */
    public static List<ParsedDocument> parse(String source, String text) {
        if (text.length() > MAX_INPUT_CHARS) {
            throw tooLarge(source, "input is " + text.length() + " characters; the limit is " + MAX_INPUT_CHARS);
        }
        refuseOversizedDocuments(source, text);
        LoadSettings settings = LoadSettings.builder()
                .setLabel(source)
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setCodePointLimit(MAX_INPUT_CHARS)
                .setUseMarks(true)
                .build();
        List<ParsedDocument> docs = new ArrayList<>();
        try {
            int index = 0;
            for (Node root : new Compose(settings).composeAllFromString(text)) {
                index = addDocuments(source, root, index, docs);
            }
        } catch (MarkedYamlEngineException e) {
            Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            Violation v = new Violation(source, "", m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1,
                    oneLine(problem) + (e.getContext() != null ? " (" + oneLine(e.getContext()) + ")" : ""));
            throw new SkyforgeException(ErrorCode.PARSE, "cannot parse " + display(source) + ": " + v.describe(), List.of(v));
        } catch (YamlEngineException e) {
            String msg = oneLine(e.getMessage());
            ErrorCode code = msg.contains("alias") || msg.contains("exceeds") ? ErrorCode.TOO_LARGE : ErrorCode.PARSE;
            throw new SkyforgeException(code, "cannot parse " + display(source) + ": " + msg,
                    List.of(new Violation(source, "", 0, 0, msg)));
        }
        return docs;
    }

    /**
     * Refuses a document over the limit before parsing it, so a huge input costs a scan, not a parse.
     * Documents end at a {@code ---} or {@code ...} line, so the text between two such lines bounds a
     * document's size; a JSON array is left to the per-document check after parsing.
     */
    private static void refuseOversizedDocuments(String source, String text) {
        if (text.length() <= MAX_DOCUMENT_CHARS || text.stripLeading().startsWith("[")) {
            return;
        }
        int docStart = 0;
        int lineStart = 0;
        int docIndex = 0;
        while (lineStart <= text.length()) {
            int nl = text.indexOf('\n', lineStart);
            int lineEnd = nl < 0 ? text.length() : nl;
            boolean marker = text.startsWith("---", lineStart) || text.startsWith("...", lineStart);
            if (marker || nl < 0) {
                if (lineStart - docStart > MAX_DOCUMENT_CHARS || (nl < 0 && lineEnd - docStart > MAX_DOCUMENT_CHARS)) {
                    throw tooLarge(source, "document " + (docIndex + 1) + " is over " + MAX_DOCUMENT_CHARS
                            + " characters; a resource may be at most " + MAX_DOCUMENT_CHARS);
                }
                docStart = lineEnd + 1;
                docIndex += marker && lineStart > 0 ? 1 : 0;
            }
            if (nl < 0) {
                break;
            }
            lineStart = nl + 1;
        }
    }

    /** Parses input that must hold exactly one document. */
    public static ParsedDocument parseOne(String source, String text) {
        List<ParsedDocument> docs = parse(source, text);
        if (docs.size() != 1) {
            throw new SkyforgeException(ErrorCode.PARSE,
                    display(source) + " must hold exactly one document, found " + docs.size());
        }
        return docs.get(0);
    }

    private static int addDocuments(String source, Node root, int index, List<ParsedDocument> docs) {
        if (root instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
            return index; // an empty document between two '---'
        }
        if (root instanceof SequenceNode seq) {
            // A JSON array or YAML list of documents: each item is a document of its own.
            for (Node item : seq.getValue()) {
                index = addDocuments(source, item, index, docs);
            }
            return index;
        }
        if (!(root instanceof MappingNode)) {
            Mark m = root.getStartMark().orElse(null);
            Violation v = new Violation(source, "", line(m), col(m), "a document must be a mapping of fields, found a scalar");
            throw new SkyforgeException(ErrorCode.PARSE, "cannot parse " + display(source) + ": " + v.describe(), List.of(v));
        }
        long chars = root.getEndMark().map(Mark::getIndex).orElse(0)
                - (long) root.getStartMark().map(Mark::getIndex).orElse(0);
        if (chars > MAX_DOCUMENT_CHARS) {
            throw tooLarge(source, "document " + (index + 1) + " is " + chars + " characters; the limit is "
                    + MAX_DOCUMENT_CHARS);
        }
        SourceMap map = new SourceMap(source);
        Converter c = new Converter(source, map);
        JsonNode body = c.convert(root, "", 0);
        docs.add(new ParsedDocument(source, index, (ObjectNode) body, map));
        return index + 1;
    }

    private static final class Converter {
        private final String source;
        private final SourceMap map;
        private final Map<Node, Boolean> inProgress = new IdentityHashMap<>();
        private int nodes;

        Converter(String source, SourceMap map) {
            this.source = source;
            this.map = map;
        }

        JsonNode convert(Node node, String path, int depth) {
            if (++nodes > MAX_NODES) {
                throw tooLarge(source, "document expands to more than " + MAX_NODES
                        + " values (nested aliases?); refusing to load it");
            }
            if (depth > MAX_DEPTH) {
                throw tooLarge(source, "document nests deeper than " + MAX_DEPTH + " levels at " + path);
            }
            Mark start = node.getStartMark().orElse(null);
            map.putValue(path, line(start), col(start));
            if (inProgress.containsKey(node)) {
                throw parseError(start, path, "a recursive alias refers to its own ancestor");
            }
            if (node instanceof ScalarNode s) {
                return scalar(s, path);
            }
            inProgress.put(node, Boolean.TRUE);
            try {
                if (node instanceof SequenceNode seq) {
                    ArrayNode array = F.arrayNode();
                    List<Node> items = seq.getValue();
                    for (int i = 0; i < items.size(); i++) {
                        array.add(convert(items.get(i), path + "[" + i + "]", depth + 1));
                    }
                    return array;
                }
                MappingNode mapping = (MappingNode) node;
                ObjectNode object = F.objectNode();
                for (NodeTuple t : mapping.getValue()) {
                    if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
                        throw parseError(t.getKeyNode().getStartMark().orElse(null), path, "keys must be plain strings");
                    }
                    if (keyNode.getTag().equals(Tag.MERGE)) {
                        throw parseError(keyNode.getStartMark().orElse(null), path,
                                "YAML merge keys ('<<') are not supported; write the fields out");
                    }
                    String key = keyNode.getValue();
                    String child = childPath(path, key);
                    Mark keyMark = keyNode.getStartMark().orElse(null);
                    if (object.has(key)) {
                        throw parseError(keyMark, child, "duplicate key '" + key + "'");
                    }
                    map.putKey(child, line(keyMark), col(keyMark));
                    object.set(key, convert(t.getValueNode(), child, depth + 1));
                }
                return object;
            } finally {
                inProgress.remove(node);
            }
        }

        private JsonNode scalar(ScalarNode s, String path) {
            Tag tag = s.getTag();
            String v = s.getValue();
            try {
                if (tag.equals(Tag.NULL)) {
                    return F.nullNode();
                }
                if (tag.equals(Tag.BOOL)) {
                    return F.booleanNode(v.equalsIgnoreCase("true"));
                }
                if (tag.equals(Tag.INT)) {
                    return integer(v);
                }
                if (tag.equals(Tag.FLOAT)) {
                    String lower = v.toLowerCase(java.util.Locale.ROOT);
                    if (lower.contains("inf") || lower.contains("nan")) {
                        throw parseError(s.getStartMark().orElse(null), path, "infinite or NaN numbers are not allowed");
                    }
                    return F.numberNode(new BigDecimal(v));
                }
                // The engine tags ${VAR} scalars as !ENV_VARIABLE; they are references we keep as written.
                if (tag.equals(Tag.STR) || tag.equals(Tag.ENV_TAG)) {
                    return F.stringNode(v);
                }
            } catch (NumberFormatException e) {
                throw parseError(s.getStartMark().orElse(null), path, "'" + v + "' is not a valid number");
            }
            throw parseError(s.getStartMark().orElse(null), path, "unsupported YAML tag " + tag.getValue());
        }

        private static JsonNode integer(String v) {
            String t = v.startsWith("+") ? v.substring(1) : v;
            BigInteger big;
            if (t.startsWith("0x")) {
                big = new BigInteger(t.substring(2), 16);
            } else if (t.startsWith("0o")) {
                big = new BigInteger(t.substring(2), 8);
            } else {
                big = new BigInteger(t);
            }
            return big.bitLength() < 64 ? F.numberNode(big.longValue()) : F.numberNode(big);
        }

        private SkyforgeException parseError(Mark m, String path, String message) {
            Violation v = new Violation(source, path, line(m), col(m), message);
            return new SkyforgeException(ErrorCode.PARSE, "cannot parse " + display(source) + ": " + v.describe(), List.of(v));
        }
    }

    /** {@code parent.key}, or {@code parent["odd key"]} for keys that are not plain identifiers. */
    public static String childPath(String parent, String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            return parent.isEmpty() ? key : parent + "." + key;
        }
        return parent + "[\"" + key.replace("\"", "\\\"") + "\"]";
    }

    // ---- writing ----

    public static String toJson(JsonNode node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JacksonException e) {
            throw new SkyforgeException(ErrorCode.INTERNAL, "cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String toCompactJson(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new SkyforgeException(ErrorCode.INTERNAL, "cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Block-style YAML; strings that would read back as another type are quoted by the emitter. */
    public static String toYaml(JsonNode node) {
        DumpSettings settings = DumpSettings.builder()
                // The core schema makes the emitter quote 'True', 'null', '~' and the like, which a reader would not take as strings.
                .setSchema(new CoreSchema())
                .setDefaultFlowStyle(FlowStyle.BLOCK)
                .setIndent(2)
                .setIndicatorIndent(0)
                .setWidth(120)
                .setSplitLines(false)
                .build();
        return new Dump(settings).dumpToString(plain(node));
    }

    /** Several documents separated by {@code ---}. */
    public static String toYamlDocuments(List<? extends JsonNode> nodes) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : nodes) {
            sb.append("---\n").append(toYaml(n));
        }
        return sb.toString();
    }

    private static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            node.properties().forEach(e -> m.put(e.getKey(), plain(e.getValue())));
            return m;
        }
        if (node.isArray()) {
            List<Object> l = new ArrayList<>();
            node.forEach(n -> l.add(plain(n)));
            return l;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.isBigInteger() ? node.bigIntegerValue() : (Object) node.longValue();
        }
        if (node.isNumber()) {
            return node.isBigDecimal() ? node.decimalValue() : (Object) node.doubleValue();
        }
        return node.asString();
    }

    static int line(Mark m) {
        return m == null ? 0 : m.getLine() + 1;
    }

    static int col(Mark m) {
        return m == null ? 0 : m.getColumn() + 1;
    }

    private static String display(String source) {
        return source == null || source.isEmpty() ? "input" : source;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    private static SkyforgeException tooLarge(String source, String message) {
        return new SkyforgeException(ErrorCode.TOO_LARGE, display(source) + ": " + message,
                List.of(new Violation(source, "", 0, 0, message)));
    }
}
