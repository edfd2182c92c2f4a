package io.skyforge.datagen.gen;

import io.skyforge.datagen.dict.Dictionary;
import io.skyforge.datagen.engine.Built;
import io.skyforge.datagen.engine.CellFormat;
import io.skyforge.datagen.engine.ColumnGen;
import io.skyforge.datagen.engine.Feistel;
import io.skyforge.datagen.engine.GenContext;
import io.skyforge.datagen.engine.Mix;
import io.skyforge.datagen.engine.Natural;
import io.skyforge.datagen.engine.Sources.DoubleSource;
import io.skyforge.datagen.engine.Sources.LongSource;
import io.skyforge.datagen.engine.Sources.TextSource;
import io.skyforge.datagen.spec.ColumnType;
import io.skyforge.datagen.spec.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/** UUIDs, patterns, free text, templates, expressions and switches. */
final class TextGenerators {

    private TextGenerators() {
    }

    static List<Factory> all() {
        return List.of(
                Factory.of("uuid", List.of(), TextGenerators::uuid),
                Factory.of("pattern", List.of("pattern"), TextGenerators::pattern),
                Factory.of("text", List.of("minLength", "maxLength", "style"), TextGenerators::text),
                Factory.of("words", List.of("min", "max"), TextGenerators::words),
                Factory.of("sentence", List.of("minWords", "maxWords"), TextGenerators::sentence),
                Factory.of("paragraph", List.of("minSentences", "maxSentences"), TextGenerators::paragraph),
                Factory.of("template", List.of("template"), TextGenerators::template),
                Factory.of("expr", List.of("expr"), TextGenerators::expr),
                Factory.of("switch", List.of("on", "cases", "default"), TextGenerators::switchGen));
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Version 4 layout; in unique mode 60 of the random bits are a bijection of the row index. */
    private static Built uuid(GenContext g) {
        long key = g.key();
        Feistel perm = g.unique() ? new Feistel(1L << 60, key) : null;
        TextSource s = (row, r, ctx, sb) -> {
            long h = Mix.cell(key, row);
            long hi = perm != null ? perm.apply(row) : h >>> 4;
            long lo = Mix.next(h, 0);
            // hi: 60 random bits around the version nibble (xxxxxxxx-xxxx-4xxx)
            long msb = ((hi >>> 12) << 16) | 0x4000L | (hi & 0xFFFL);
            long lsb = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            hex(sb, msb >>> 32, 8);
            sb.append('-');
            hex(sb, msb >>> 16, 4);
            sb.append('-');
            hex(sb, msb, 4);
            sb.append('-');
            hex(sb, lsb >>> 48, 4);
            sb.append('-');
            hex(sb, lsb, 12);
        };
        Built b = Built.of(Natural.UUID, s);
        return perm != null ? b.unique(1L << 60) : b;
    }

    static void hex(StringBuilder sb, long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            sb.append(HEX[(int) (v >>> (i * 4)) & 0xF]);
        }
    }

    private static Built pattern(GenContext g) {
        Params p = g.params();
        String src = p.requiredString("pattern");
        if (src == null) {
            return null;
        }
        CharPattern pat;
        try {
            pat = CharPattern.compile(src);
        } catch (IllegalArgumentException e) {
            p.error("pattern", "cannot generate pattern '" + src + "': " + e.getMessage());
            return null;
        }
        long key = g.key();
        if (g.unique()) {
            if (!pat.fixedLength()) {
                p.error("pattern", "a unique pattern needs fixed repetition counts ({n}, not {n,m} or ?)");
                return null;
            }
            long domain = pat.domain();
            Feistel f = new Feistel(domain, key);
            return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> pat.appendIndexed(sb, f.apply(row))).unique(domain);
        }
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> pat.appendRandom(sb, Mix.cell(key, row)));
    }

    private static final Map<String, String> POOLS = new ConcurrentHashMap<>();
    private static final int POOL_SIZE = 1 << 21;

    /** A substring of a fixed text pool, as TPC-H dbgen does for its comment columns. */
    private static Built text(GenContext g) {
        Params p = g.params();
        long min = p.integer("minLength", 10, 0, 10_000);
        long max = p.integer("maxLength", Math.max(min, 60), 0, 10_000);
        if (max < min) {
            p.error("maxLength", "must be at least minLength");
            return null;
        }
        String style = p.string("style", "lorem");
        if (!style.equals("lorem") && !style.equals("tpch")) {
            p.error("style", "unknown text style '" + style + "'; one of [lorem, tpch]");
            return null;
        }
        String locale = style.equals("tpch") ? "tpch" : g.locale();
        // a String (not char[]) pool: StringBuilder copies Latin-1 String ranges with one arraycopy
        String pool = POOLS.computeIfAbsent(locale, TextGenerators::buildPool);
        long key = g.key();
        long span = max - min + 1;
        long offsets = pool.length() - max;
        TextSource s = (row, r, ctx, sb) -> {
            if ((row & (AHEAD - 1)) == 0) {
                touch(pool, key, row + AHEAD, min, span, offsets);
            }
            long h = Mix.cell(key, row);
            int len = (int) (min + Mix.below(h, span));
            int off = (int) Mix.below(Mix.next(h, 0), offsets);
            sb.append(pool, off, off + len);
        };
        return Built.of(Natural.TEXT, s);
    }

    private static final int AHEAD = 64;
    /** Keeps the touching loads alive; its value means nothing. */
    private static int touched;

    /**
     * Reads both ends of the texts rows {@code [from, from + AHEAD)} will copy. Each
     * copy from the 2 MB pool is otherwise a cache miss that stalls its row; loads issued together
     * in one loop overlap their misses, so rows written in order find their text in cache.
     */
    private static void touch(String pool, long key, long from, long min, long span, long offsets) {
        int sum = 0;
        for (long row = from; row < from + AHEAD; row++) {
            long h = Mix.cell(key, row);
            int off = (int) Mix.below(Mix.next(h, 0), offsets);
            sum += pool.charAt(off) + pool.charAt(off + (int) (min + Mix.below(h, span)));
        }
        touched = sum;
    }

    /** A deterministic text pool; seeded by a constant so it is the same for every dataset. */
    private static String buildPool(String kind) {
        StringBuilder sb = new StringBuilder(POOL_SIZE + 200);
        long h = Mix.mix(kind.hashCode());
        if (kind.equals("tpch")) {
            Dictionary d = Dictionary.common();
            String[] noun = d.words("tpch_noun");
            String[] verb = d.words("tpch_verb");
            String[] adj = d.words("tpch_adjective");
            String[] adv = d.words("tpch_adverb");
            String[] prep = d.words("tpch_preposition");
            String[] aux = d.words("tpch_auxiliary");
            String[] term = d.words("tpch_terminator");
            int i = 0;
            while (sb.length() < POOL_SIZE) {
                h = Mix.mix(h + Mix.GOLDEN);
                int form = Mix.index(h, 5);
                nounPhrase(sb, Mix.next(h, i++), noun, adj, adv);
                if (form == 3 || form == 4) {
                    sb.append(' ').append(prep[Mix.index(Mix.next(h, i++), prep.length)]).append(" the ");
                    nounPhrase(sb, Mix.next(h, i++), noun, adj, adv);
                }
                sb.append(' ');
                long v = Mix.next(h, i++);
                int vf = Mix.index(v, 4);
                if (vf == 1 || vf == 3) {
                    sb.append(aux[Mix.index(Mix.next(v, 1), aux.length)]).append(' ');
                }
                sb.append(verb[Mix.index(Mix.next(v, 2), verb.length)]);
                if (vf >= 2) {
                    sb.append(' ').append(adv[Mix.index(Mix.next(v, 3), adv.length)]);
                }
                if (form == 1 || form == 4) {
                    sb.append(' ').append(prep[Mix.index(Mix.next(h, i++), prep.length)]).append(" the ");
                    nounPhrase(sb, Mix.next(h, i++), noun, adj, adv);
                } else if (form == 2 || form == 3) {
                    sb.append(' ');
                    nounPhrase(sb, Mix.next(h, i++), noun, adj, adv);
                }
                sb.append(term[Mix.index(Mix.next(h, i++), term.length)]).append(' ');
            }
        } else {
            Dictionary d = Dictionary.forLocale(kind);
            String[] w = d.words("word");
            boolean zh = kind.startsWith("zh");
            int i = 0;
            while (sb.length() < POOL_SIZE) {
                h = Mix.mix(h + Mix.GOLDEN);
                int n = 4 + Mix.index(h, 10);
                for (int k = 0; k < n; k++) {
                    String word = w[Mix.index(Mix.next(h, i++), w.length)];
                    if (!zh && k > 0) {
                        sb.append(' ');
                    }
                    sb.append(word);
                }
                sb.append(zh ? "。" : ". ");
            }
        }
        return sb.substring(0, POOL_SIZE);
    }

    private static void nounPhrase(StringBuilder sb, long h, String[] noun, String[] adj, String[] adv) {
        switch (Mix.index(h, 4)) {
            case 1 -> sb.append(adj[Mix.index(Mix.next(h, 1), adj.length)]).append(' ');
            case 2 -> sb.append(adj[Mix.index(Mix.next(h, 1), adj.length)]).append(", ")
                    .append(adj[Mix.index(Mix.next(h, 2), adj.length)]).append(' ');
            case 3 -> sb.append(adv[Mix.index(Mix.next(h, 1), adv.length)]).append(' ')
                    .append(adj[Mix.index(Mix.next(h, 2), adj.length)]).append(' ');
            default -> {
            }
        }
        sb.append(noun[Mix.index(Mix.next(h, 3), noun.length)]);
    }

    private static Built words(GenContext g) {
        Params p = g.params();
        long min = p.integer("min", 1, 1, 1000);
        long max = p.integer("max", Math.max(min, 5), 1, 1000);
        if (max < min) {
            p.error("max", "must be at least min");
            return null;
        }
        String[] w = g.dictionary().words("word");
        boolean zh = g.locale().startsWith("zh");
        long key = g.key();
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
            long h = Mix.cell(key, row);
            appendWords(sb, h, (int) (min + Mix.below(h, max - min + 1)), w, zh, 0);
        });
    }

    static int appendWords(StringBuilder sb, long h, int n, String[] w, boolean zh, int draw) {
        for (int k = 0; k < n; k++) {
            if (!zh && k > 0) {
                sb.append(' ');
            }
            sb.append(w[Mix.index(Mix.next(h, draw++), w.length)]);
        }
        return draw;
    }

    static int appendSentence(StringBuilder sb, long h, int minWords, int maxWords, String[] w, boolean zh, int draw) {
        int n = minWords + Mix.index(Mix.next(h, draw++), maxWords - minWords + 1);
        int start = sb.length();
        if (zh && n >= 6) {
            int half = n / 2;
            draw = appendWords(sb, h, half, w, true, draw);
            sb.append('，');
            draw = appendWords(sb, h, n - half, w, true, draw);
        } else {
            draw = appendWords(sb, h, n, w, zh, draw);
        }
        if (!zh && sb.length() > start) {
            sb.setCharAt(start, Character.toUpperCase(sb.charAt(start)));
        }
        sb.append(zh ? '。' : '.');
        return draw;
    }

    private static Built sentence(GenContext g) {
        Params p = g.params();
        long min = p.integer("minWords", 4, 1, 200);
        long max = p.integer("maxWords", Math.max(min, 12), 1, 200);
        if (max < min) {
            p.error("maxWords", "must be at least minWords");
            return null;
        }
        String[] w = g.dictionary().words("word");
        boolean zh = g.locale().startsWith("zh");
        long key = g.key();
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) ->
                appendSentence(sb, Mix.cell(key, row), (int) min, (int) max, w, zh, 0));
    }

    private static Built paragraph(GenContext g) {
        Params p = g.params();
        long min = p.integer("minSentences", 2, 1, 100);
        long max = p.integer("maxSentences", Math.max(min, 5), 1, 100);
        if (max < min) {
            p.error("maxSentences", "must be at least minSentences");
            return null;
        }
        String[] w = g.dictionary().words("word");
        boolean zh = g.locale().startsWith("zh");
        long key = g.key();
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
            long h = Mix.cell(key, row);
            int n = (int) (min + Mix.below(h, max - min + 1));
            int draw = 1;
            for (int i = 0; i < n; i++) {
                if (i > 0 && !zh) {
                    sb.append(' ');
                }
                draw = appendSentence(sb, h, 4, 12, w, zh, draw);
            }
        });
    }

    /** {@code "{first_name}.{last_name}@example.com"}; {@code {col|lower}}, {@code {col|upper}}; {@code {{} is a brace. */
    private static Built template(GenContext g) {
        Params p = g.params();
        String t = p.requiredString("template");
        if (t == null) {
            return null;
        }
        List<TextSource> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < t.length()) {
            char ch = t.charAt(i);
            if (ch == '{' && i + 1 < t.length() && t.charAt(i + 1) == '{') {
                lit.append('{');
                i += 2;
                continue;
            }
            if (ch == '}' && i + 1 < t.length() && t.charAt(i + 1) == '}') {
                lit.append('}');
                i += 2;
                continue;
            }
            if (ch != '{') {
                lit.append(ch);
                i++;
                continue;
            }
            int end = t.indexOf('}', i);
            if (end < 0) {
                p.error("template", "unclosed '{' at character " + (i + 1));
                return null;
            }
            if (lit.length() > 0) {
                String s = lit.toString();
                parts.add((row, r, ctx, sb) -> sb.append(s));
                lit.setLength(0);
            }
            String ref = t.substring(i + 1, end).strip();
            String filter = "";
            int bar = ref.indexOf('|');
            if (bar >= 0) {
                filter = ref.substring(bar + 1).strip();
                ref = ref.substring(0, bar).strip();
            }
            GenContext.ColumnRef c = g.sameRow("template", ref);
            if (c == null) {
                return null;
            }
            int idx = c.index();
            ColumnType type = c.type();
            switch (filter) {
                case "" -> parts.add((row, r, ctx, sb) -> CellFormat.append(sb, r, idx, type));
                case "lower", "upper" -> {
                    boolean lower = filter.equals("lower");
                    parts.add((row, r, ctx, sb) -> {
                        int from = sb.length();
                        CellFormat.append(sb, r, idx, type);
                        for (int k = from; k < sb.length(); k++) {
                            char x = sb.charAt(k);
                            sb.setCharAt(k, lower ? Character.toLowerCase(x) : Character.toUpperCase(x));
                        }
                    });
                }
                default -> {
                    p.error("template", "unknown filter '" + filter + "'; one of [lower, upper]");
                    return null;
                }
            }
            i = end + 1;
        }
        if (lit.length() > 0) {
            String s = lit.toString();
            parts.add((row, r, ctx, sb) -> sb.append(s));
        }
        TextSource[] arr = parts.toArray(new TextSource[0]);
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
            for (TextSource part : arr) {
                part.append(row, r, ctx, sb);
            }
        });
    }

    private static Built expr(GenContext g) {
        Params p = g.params();
        String src = p.requiredString("expr");
        if (src == null) {
            return null;
        }
        Expr.Node n;
        try {
            n = Expr.parse(src, g, "expr");
        } catch (Expr.SyntaxError e) {
            p.error("expr", "bad expression: " + e.getMessage());
            return null;
        }
        ColumnType t = g.declaredType();
        if (t != null && (t.isIntegral() || t.kind() == ColumnType.Kind.BOOLEAN)) {
            return Built.of(t.kind() == ColumnType.Kind.BOOLEAN ? Natural.BOOLEAN : Natural.INTEGER,
                    (LongSource) (row, r, ctx) -> Math.round(n.eval(row, r, ctx)));
        }
        if (t != null && t.kind() == ColumnType.Kind.DATE) {
            return Built.of(Natural.DATE, (LongSource) (row, r, ctx) -> Math.round(n.eval(row, r, ctx)));
        }
        if (t != null && t.kind() == ColumnType.Kind.TIMESTAMP) {
            return Built.of(Natural.TIMESTAMP, (LongSource) (row, r, ctx) -> Math.round(n.eval(row, r, ctx) * 1e6));
        }
        return Built.of(Natural.REAL, (DoubleSource) (row, r, ctx) -> n.eval(row, r, ctx));
    }

    /**
     * A column correlated with others: {@code on: col, cases: {value: generator-or-literal}} or
     * {@code cases: [{when: expr, then: generator-or-literal}]}, with a {@code default}.
     */
    private static Built switchGen(GenContext g) {
        Params p = g.params();
        JsonNode cases = p.get("cases");
        if (cases == null || !(cases.isObject() || cases.isArray()) || cases.isEmpty()) {
            p.error("cases", "is required: a map {value: generator} (with on) or a list [{when, then}]");
            return null;
        }
        ColumnType type = g.declaredType();
        List<JsonNode> branches = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Expr.Node> conditions = new ArrayList<>();
        GenContext.ColumnRef on = null;
        if (cases.isObject()) {
            String onName = p.requiredString("on");
            if (onName == null) {
                return null;
            }
            on = g.sameRow("on", onName);
            if (on == null) {
                return null;
            }
            for (var e : cases.properties()) {
                keys.add(e.getKey());
                branches.add(e.getValue());
                paths.add(p.path("cases") + "." + e.getKey());
            }
        } else {
            if (p.has("on")) {
                p.error("on", "'on' goes with a map of cases; a list of cases uses 'when' conditions");
                return null;
            }
            for (int i = 0; i < cases.size(); i++) {
                String path = p.path("cases") + "[" + i + "]";
                Params cp = new Params(cases.get(i), path, p.sourceMap(), p.violations());
                if (!cases.get(i).isObject()) {
                    cp.error(null, "must be {when: expression, then: generator-or-value}");
                    return null;
                }
                cp.allowOnly(List.of("when", "then"));
                String when = cp.requiredString("when");
                if (when == null || !cp.has("then")) {
                    if (!cp.has("then")) {
                        cp.error("then", "is required");
                    }
                    return null;
                }
                try {
                    conditions.add(Expr.parse(when, g, "cases"));
                } catch (Expr.SyntaxError e) {
                    cp.error("when", "bad expression: " + e.getMessage());
                    return null;
                }
                branches.add(cases.get(i).get("then"));
                paths.add(path + ".then");
            }
        }
        JsonNode def = p.get("default");
        if (type == null) {
            JsonNode first = branches.get(0);
            Built b = g.subBuild(first, paths.get(0), 0);
            if (b == null) {
                return null;
            }
            type = b.direct() != null ? b.fixedType() : b.natural().defaultType();
        }
        ColumnGen[] gens = new ColumnGen[branches.size()];
        for (int i = 0; i < gens.length; i++) {
            gens[i] = g.sub(branches.get(i), paths.get(i), i, type);
            if (gens[i] == null) {
                return null;
            }
        }
        ColumnGen fallback = def == null ? null : g.sub(def, p.path("default"), gens.length, type);
        if (def != null && fallback == null) {
            return null;
        }
        ColumnGen otherwise = fallback != null ? fallback : (row, r, col, ctx) -> r.setNull(col, true);
        ColumnGen gen;
        if (on != null) {
            int onIdx = on.index();
            ColumnType onType = on.type();
            String[] k = keys.toArray(new String[0]);
            gen = (row, r, col, ctx) -> {
                CharSequence v;
                if (onType.isText()) {
                    v = r.getText(onIdx);
                } else {
                    StringBuilder sb = new StringBuilder();
                    CellFormat.append(sb, r, onIdx, onType);
                    v = sb;
                }
                if (!r.isNull(onIdx)) {
                    for (int i = 0; i < k.length; i++) {
                        if (contentEquals(k[i], v)) {
                            gens[i].fill(row, r, col, ctx);
                            return;
                        }
                    }
                }
                otherwise.fill(row, r, col, ctx);
            };
        } else {
            Expr.Node[] conds = conditions.toArray(new Expr.Node[0]);
            gen = (row, r, col, ctx) -> {
                for (int i = 0; i < conds.length; i++) {
                    if (conds[i].eval(row, r, ctx) != 0) {
                        gens[i].fill(row, r, col, ctx);
                        return;
                    }
                }
                otherwise.fill(row, r, col, ctx);
            };
        }
        return Built.direct(gen, type);
    }

    private static boolean contentEquals(String a, CharSequence b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
