package io.skyforge.schema.mapping;

import io.skyforge.spi.tabular.DbCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a CHECK constraint a generator can honour: bounds on one column ({@code >=, >, <=, <,
 * BETWEEN}), a list of allowed values ({@code IN}, PostgreSQL's {@code = ANY (ARRAY[...])}) and
 * length limits. Whatever else a check says is reported, never guessed.
 *
 * @param column the one column the check constrains, or null when it is not simple
 */
record CheckDomain(String column, Double min, boolean minExclusive, Double max, boolean maxExclusive, List<String> values,
                   Integer minLength, Integer maxLength) {

    private static final String ID = "([A-Za-z_][A-Za-z0-9_]*)";
    private static final String NUM = "(-?\\d+(?:\\.\\d+)?)";
    private static final Pattern CMP = Pattern.compile(ID + "\\s*(>=|>|<=|<)\\s*" + NUM);
    private static final Pattern CMP_REV = Pattern.compile(NUM + "\\s*(>=|>|<=|<)\\s*" + ID);
    private static final Pattern BETWEEN = Pattern.compile("(?i)" + ID + "\\s+between\\s+" + NUM + "\\s+and\\s+" + NUM);
    private static final Pattern IN = Pattern.compile("(?i)" + ID + "\\s+in\\s*\\((.*)\\)");
    private static final Pattern ANY = Pattern.compile("(?i)" + ID + "\\s*=\\s*any\\s*\\(+\\s*array\\s*\\[(.*)]\\s*\\)+");
    private static final Pattern LEN = Pattern.compile("(?i)(?:char_length|length|character_length)\\s*\\(\\s*" + ID + "\\s*\\)\\s*(>=|>|<=|<)\\s*(\\d+)");
    private static final Pattern NOT_EMPTY = Pattern.compile(ID + "\\s*(?:<>|!=)\\s*''");
    private static final Pattern LITERAL = Pattern.compile("'((?:[^']|'')*)'|(-?\\d+(?:\\.\\d+)?)");

    private static final Pattern ORDER = Pattern.compile(ID + "\\s*(>=|>|<=|<)\\s*" + ID);

    /**
     * A check that orders two columns ({@code a <= b}, {@code b > a}).
     *
     * @return {earlier, later}, or null
     */
    static String[] ordering(DbCheck check) {
        Matcher m = ORDER.matcher(normalise(check.expression()));
        if (!m.matches() || m.group(1).equalsIgnoreCase("null") || m.group(3).equalsIgnoreCase("null")) {
            return null;
        }
        return m.group(2).startsWith("<") ? new String[] {m.group(1), m.group(3)} : new String[] {m.group(3), m.group(1)};
    }

    /** Parses a check; returns null when it is not a simple single-column domain. */
    static CheckDomain parse(DbCheck check) {
        String e = normalise(check.expression());
        List<String> conjuncts = splitAnd(e);
        CheckDomain d = new CheckDomain(null, null, false, null, false, List.of(), null, null);
        for (String c : conjuncts) {
            CheckDomain one = single(strip(c));
            if (one == null || (d.column != null && !d.column.equals(one.column))) {
                return null;
            }
            d = d.merge(one);
        }
        return d.column == null ? null : d;
    }

    private CheckDomain merge(CheckDomain o) {
        return new CheckDomain(o.column, o.min != null ? o.min : min, o.min != null ? o.minExclusive : minExclusive,
                o.max != null ? o.max : max, o.max != null ? o.maxExclusive : maxExclusive,
                o.values.isEmpty() ? values : o.values, o.minLength != null ? o.minLength : minLength, o.maxLength != null ? o.maxLength : maxLength);
    }

    private static CheckDomain single(String c) {
        Matcher m;
        if ((m = BETWEEN.matcher(c)).matches()) {
            return new CheckDomain(m.group(1), Double.valueOf(m.group(2)), false, Double.valueOf(m.group(3)), false, List.of(), null, null);
        }
        if ((m = CMP.matcher(c)).matches()) {
            return bound(m.group(1), m.group(2), Double.parseDouble(m.group(3)));
        }
        if ((m = CMP_REV.matcher(c)).matches()) {
            String flipped = switch (m.group(2)) {
                case ">=" -> "<=";
                case ">" -> "<";
                case "<=" -> ">=";
                default -> ">";
            };
            return bound(m.group(3), flipped, Double.parseDouble(m.group(1)));
        }
        if ((m = IN.matcher(c)).matches() || (m = ANY.matcher(c)).matches()) {
            List<String> values = literals(m.group(2));
            return values.isEmpty() ? null : new CheckDomain(m.group(1), null, false, null, false, values, null, null);
        }
        if ((m = LEN.matcher(c)).matches()) {
            int n = Integer.parseInt(m.group(3));
            return switch (m.group(2)) {
                case "<=" -> new CheckDomain(m.group(1), null, false, null, false, List.of(), null, n);
                case "<" -> new CheckDomain(m.group(1), null, false, null, false, List.of(), null, n - 1);
                case ">=" -> new CheckDomain(m.group(1), null, false, null, false, List.of(), n, null);
                default -> new CheckDomain(m.group(1), null, false, null, false, List.of(), n + 1, null);
            };
        }
        if ((m = NOT_EMPTY.matcher(c)).matches()) {
            return new CheckDomain(m.group(1), null, false, null, false, List.of(), 1, null);
        }
        return null;
    }

    private static CheckDomain bound(String col, String op, double v) {
        return switch (op) {
            case ">=" -> new CheckDomain(col, v, false, null, false, List.of(), null, null);
            case ">" -> new CheckDomain(col, v, true, null, false, List.of(), null, null);
            case "<=" -> new CheckDomain(col, null, false, v, false, List.of(), null, null);
            default -> new CheckDomain(col, null, false, v, true, List.of(), null, null);
        };
    }

    private static List<String> literals(String list) {
        List<String> out = new ArrayList<>();
        Matcher m = LITERAL.matcher(list);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1).replace("''", "'") : m.group(2));
        }
        return out;
    }

    /** Removes casts ({@code ::numeric}, {@code ::character varying}), quotes around identifiers and outer parentheses. */
    static String normalise(String e) {
        String s = e.replaceAll("::[a-zA-Z_ ]+(\\(\\d+(,\\d+)?\\))?(\\[])?", "")
                .replace("`", "").replace("\"", "")
                .replaceAll("(?<![A-Za-z0-9_])\\(\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)", "$1")
                .replaceAll("\\(\\s*(-?\\d+(?:\\.\\d+)?)\\s*\\)", "$1")
                .replaceAll("\\(\\s*('(?:[^']|'')*')\\s*\\)", "$1");
        return strip(s.strip());
    }

    private static String strip(String s) {
        String t = s.strip();
        while (t.startsWith("(") && t.endsWith(")") && balanced(t.substring(1, t.length() - 1))) {
            t = t.substring(1, t.length() - 1).strip();
        }
        return t;
    }

    private static boolean balanced(String s) {
        int depth = 0;
        boolean quoted = false;
        for (char ch : s.toCharArray()) {
            if (ch == '\'') {
                quoted = !quoted;
            } else if (!quoted && ch == '(') {
                depth++;
            } else if (!quoted && ch == ')' && --depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    /** Splits at top-level AND (not inside parentheses, quotes or a BETWEEN). */
    private static List<String> splitAnd(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        boolean between = false;
        int start = 0;
        String lower = s.toLowerCase(Locale.ROOT);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\'') {
                quoted = !quoted;
            } else if (!quoted && ch == '(') {
                depth++;
            } else if (!quoted && ch == ')') {
                depth--;
            } else if (!quoted && depth == 0 && lower.startsWith(" between ", i)) {
                between = true;
            } else if (!quoted && depth == 0 && lower.startsWith(" and ", i)) {
                if (between) {
                    between = false;
                } else {
                    out.add(s.substring(start, i));
                    start = i + 5;
                }
            } else if (!quoted && depth == 0 && lower.startsWith(" or ", i)) {
                return List.of("\u0000");
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
