package io.skyforge.core.select;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import io.skyforge.spi.error.Violation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector ({@code app=web,tier!=db,env in (a,b),env notin (c),owner,!legacy}).
 * Requirements are ANDed. {@link #parse} accepts the syntax kubectl accepts and {@link #toString}
 * writes it back so that {@code parse(s.toString()).equals(s)}.
 */
public record LabelSelector(List<Requirement> requirements) {

    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private static final int MAX_NAME = 63;
    private static final int MAX_PREFIX = 253;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    /** Parses a selector; null or blank selects everything. Fails with VALIDATION naming the position. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        return new Parser(text).parse();
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Requirement r : requirements) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(r);
        }
        return sb.toString();
    }

    /** Checks a label key: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
    public static void validateKey(String key) {
        String problem = keyProblem(key);
        if (problem != null) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "invalid label key '" + key + "': " + problem);
        }
    }

    /** Checks a label value: empty, or at most 63 alphanumerics with '-', '_', '.' inside. */
    public static void validateValue(String value) {
        String problem = valueProblem(value);
        if (problem != null) {
            throw new SkyforgeException(ErrorCode.VALIDATION, "invalid label value '" + value + "': " + problem);
        }
    }

    /** Null when the key is valid, else why not. */
    public static String keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "a label key must not be empty";
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty()) {
                return "the prefix before '/' must not be empty";
            }
            if (prefix.length() > MAX_PREFIX) {
                return "the prefix must be at most " + MAX_PREFIX + " characters";
            }
            for (String part : prefix.split("\\.", -1)) {
                if (!DNS_LABEL.matcher(part).matches() || part.length() > MAX_NAME) {
                    return "the prefix must be a DNS subdomain (lower-case alphanumerics, '-' and '.', e.g. 'example.com')";
                }
            }
        }
        if (name.isEmpty()) {
            return "the name part must not be empty";
        }
        if (name.length() > MAX_NAME) {
            return "the name part must be at most " + MAX_NAME + " characters";
        }
        if (!NAME.matcher(name).matches()) {
            return "the name part must consist of alphanumerics, '-', '_' or '.', and start and end with an alphanumeric";
        }
        return null;
    }

    /** Null when the value is valid, else why not. */
    public static String valueProblem(String value) {
        if (value == null) {
            return "a label value must not be null";
        }
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_NAME) {
            return "a label value must be at most " + MAX_NAME + " characters";
        }
        if (!NAME.matcher(value).matches()) {
            return "a label value must consist of alphanumerics, '-', '_' or '.', and start and end with an alphanumeric";
        }
        return null;
    }

    /** One term of a selector. */
    public record Requirement(String key, Operator operator, List<String> values) {

        public Requirement {
            Objects.requireNonNull(operator, "operator");
            validateKey(key);
            values = List.copyOf(new LinkedHashSet<>(values));
            values.forEach(LabelSelector::validateValue);
            int n = values.size();
            boolean ok = switch (operator) {
                case EQUALS, NOT_EQUALS -> n == 1;
                case IN, NOT_IN -> n >= 1;
                case EXISTS, DOES_NOT_EXIST -> n == 0;
            };
            if (!ok) {
                throw new SkyforgeException(ErrorCode.VALIDATION,
                        "label requirement on '" + key + "': " + operator + " takes "
                                + switch (operator) {
                                    case EQUALS, NOT_EQUALS -> "exactly one value";
                                    case IN, NOT_IN -> "at least one value";
                                    case EXISTS, DOES_NOT_EXIST -> "no value";
                                } + ", got " + n);
            }
        }

        public static Requirement equal(String key, String value) {
            return new Requirement(key, Operator.EQUALS, List.of(value));
        }

        public boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> v != null && values.contains(v);
                case NOT_EQUALS, NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
            };
        }

        @Override
        public String toString() {
            return switch (operator) {
                case EQUALS -> key + "=" + values.get(0);
                case NOT_EQUALS -> key + "!=" + values.get(0);
                case IN -> key + " in (" + String.join(",", values) + ")";
                case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
            };
        }
    }

    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    /** A recursive-descent parser over the raw text, so errors can name a 1-based column. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        LabelSelector parse() {
            List<Requirement> out = new ArrayList<>();
            while (true) {
                skipSpace();
                out.add(requirement());
                skipSpace();
                if (pos == text.length()) {
                    return new LabelSelector(out);
                }
                if (text.charAt(pos) != ',') {
                    throw error("expected ',' or the end of the selector");
                }
                pos++;
            }
        }

        private Requirement requirement() {
            if (peek('!')) {
                pos++;
                skipSpace();
                int at = pos;
                String key = word("a label key after '!'");
                checkKey(key, at);
                skipSpace();
                if (pos < text.length() && text.charAt(pos) != ',') {
                    throw error("'!" + key + "' takes no operator or value");
                }
                return build(key, Operator.DOES_NOT_EXIST, List.of(), at);
            }
            int at = pos;
            String key = word("a label key");
            checkKey(key, at);
            skipSpace();
            if (pos == text.length() || text.charAt(pos) == ',') {
                return build(key, Operator.EXISTS, List.of(), at);
            }
            char c = text.charAt(pos);
            if (c == '=' || c == '!') {
                Operator op;
                if (text.startsWith("==", pos)) {
                    pos += 2;
                    op = Operator.EQUALS;
                } else if (c == '=') {
                    pos++;
                    op = Operator.EQUALS;
                } else if (text.startsWith("!=", pos)) {
                    pos += 2;
                    op = Operator.NOT_EQUALS;
                } else {
                    throw error("expected '=', '==' or '!=' after '" + key + "'");
                }
                skipSpace();
                int valueAt = pos;
                String value = optionalWord();
                return build(key, op, List.of(value), valueAt);
            }
            int opAt = pos;
            String op = optionalWord();
            Operator set;
            if (op.equals("in")) {
                set = Operator.IN;
            } else if (op.equals("notin")) {
                set = Operator.NOT_IN;
            } else {
                pos = opAt;
                throw error("expected an operator ('=', '==', '!=', 'in', 'notin'), ',' or the end after '" + key + "'");
            }
            skipSpace();
            if (!peek('(')) {
                throw error("expected '(' after '" + op + "'");
            }
            pos++;
            List<String> values = new ArrayList<>();
            int valuesAt = pos;
            while (true) {
                skipSpace();
                values.add(optionalWord());
                skipSpace();
                if (peek(',')) {
                    pos++;
                } else if (peek(')')) {
                    pos++;
                    break;
                } else {
                    throw error(pos == text.length() ? "missing ')' to close the value list" : "expected ',' or ')' in the value list");
                }
            }
            if (values.size() == 1 && values.get(0).isEmpty()) {
                pos = valuesAt;
                throw error("'" + op + "' needs at least one value");
            }
            return build(key, set, values, valuesAt);
        }

        private Requirement build(String key, Operator op, List<String> values, int at) {
            try {
                return new Requirement(key, op, values);
            } catch (SkyforgeException e) {
                pos = at;
                throw error(e.getMessage());
            }
        }

        private void checkKey(String key, int at) {
            String problem = keyProblem(key);
            if (problem != null) {
                pos = at;
                throw error("invalid label key '" + key + "': " + problem);
            }
        }

        private String word(String what) {
            int start = pos;
            String w = optionalWord();
            if (w.isEmpty()) {
                pos = start;
                throw error("expected " + what);
            }
            return w;
        }

        /** Reads up to a delimiter; may be empty (an empty label value is legal). */
        private String optionalWord() {
            int start = pos;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (Character.isWhitespace(c) || c == ',' || c == '(' || c == ')' || c == '=' || c == '!') {
                    break;
                }
                pos++;
            }
            return text.substring(start, pos);
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private SkyforgeException error(String message) {
            int column = pos + 1;
            String full = "invalid label selector '" + text + "' at column " + column + ": " + message;
            return new SkyforgeException(ErrorCode.VALIDATION, full,
                    List.of(new Violation("labelSelector", "labelSelector", 1, column, message)));
        }
    }
}
