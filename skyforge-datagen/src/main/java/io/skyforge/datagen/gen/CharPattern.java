package io.skyforge.datagen.gen;

import io.skyforge.datagen.engine.Mix;
import java.util.ArrayList;
import java.util.List;

/**
 * The generable subset of regular expressions: literals, escapes ({@code \d \w \s \.}), character
 * classes with ranges ({@code [A-Z0-9_]}), {@code .}, and bounded repetition ({@code {n}},
 * {@code {n,m}}, {@code ?}). Unbounded repetition, negated classes, groups and alternation are
 * refused: they have no finite, uniform way to be generated.
 */
final class CharPattern {

    private record Token(char[] chars, int min, int max) {
    }

    private final Token[] tokens;

    private CharPattern(List<Token> tokens) {
        this.tokens = tokens.toArray(new Token[0]);
    }

    private static final char[] DIGITS = range('0', '9');
    private static final char[] WORD = concat(range('A', 'Z'), range('a', 'z'), DIGITS, new char[] {'_'});
    private static final char[] ANY = concat(range('A', 'Z'), range('a', 'z'), DIGITS);

    static CharPattern compile(String src) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = src.length();
        if (n > 0 && src.charAt(0) == '^') {
            i++;
        }
        if (n > i && src.charAt(n - 1) == '$' && (n < 2 || src.charAt(n - 2) != '\\')) {
            n--;
        }
        while (i < n) {
            char ch = src.charAt(i);
            char[] set;
            switch (ch) {
                case '\\' -> {
                    if (i + 1 >= n) {
                        throw new IllegalArgumentException("trailing backslash");
                    }
                    set = escape(src.charAt(i + 1));
                    i += 2;
                }
                case '[' -> {
                    int end = i + 1;
                    List<Character> chars = new ArrayList<>();
                    if (end < n && src.charAt(end) == '^') {
                        throw new IllegalArgumentException("negated classes [^...] cannot be generated; list the allowed characters");
                    }
                    while (end < n && src.charAt(end) != ']') {
                        char c = src.charAt(end);
                        char[] single;
                        if (c == '\\' && end + 1 < n) {
                            single = escape(src.charAt(end + 1));
                            end += 2;
                        } else if (end + 2 < n && src.charAt(end + 1) == '-' && src.charAt(end + 2) != ']') {
                            char hi = src.charAt(end + 2);
                            if (hi < c) {
                                throw new IllegalArgumentException("bad range " + c + "-" + hi);
                            }
                            single = range(c, hi);
                            end += 3;
                        } else {
                            single = new char[] {c};
                            end++;
                        }
                        for (char x : single) {
                            if (!chars.contains(x)) {
                                chars.add(x);
                            }
                        }
                    }
                    if (end >= n) {
                        throw new IllegalArgumentException("unclosed '['");
                    }
                    if (chars.isEmpty()) {
                        throw new IllegalArgumentException("empty class []");
                    }
                    set = new char[chars.size()];
                    for (int k = 0; k < set.length; k++) {
                        set[k] = chars.get(k);
                    }
                    i = end + 1;
                }
                case '.' -> {
                    set = ANY;
                    i++;
                }
                case '(', ')', '|' -> throw new IllegalArgumentException("groups and alternation are not supported; use a choice or template generator");
                case '*', '+' -> throw new IllegalArgumentException("unbounded repetition '" + ch + "' cannot be generated; use {min,max}");
                case '{', '?' -> throw new IllegalArgumentException("'" + ch + "' at character " + (i + 1) + " has nothing to repeat");
                default -> {
                    set = new char[] {ch};
                    i++;
                }
            }
            int min = 1;
            int max = 1;
            if (i < n) {
                char q = src.charAt(i);
                if (q == '?') {
                    min = 0;
                    i++;
                } else if (q == '*' || q == '+') {
                    throw new IllegalArgumentException("unbounded repetition '" + q + "' cannot be generated; use {min,max}");
                } else if (q == '{') {
                    int end = src.indexOf('}', i);
                    if (end < 0) {
                        throw new IllegalArgumentException("unclosed '{'");
                    }
                    String body = src.substring(i + 1, end);
                    String[] parts = body.split(",", -1);
                    try {
                        min = Integer.parseInt(parts[0].strip());
                        if (parts.length == 1) {
                            max = min;
                        } else if (parts.length == 2 && parts[1].isBlank()) {
                            throw new IllegalArgumentException("unbounded repetition {" + body + "} cannot be generated; give a maximum");
                        } else if (parts.length == 2) {
                            max = Integer.parseInt(parts[1].strip());
                        } else {
                            throw new IllegalArgumentException("bad repetition {" + body + "}");
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("bad repetition {" + body + "}");
                    }
                    if (min < 0 || max < min || max > 10_000) {
                        throw new IllegalArgumentException("bad repetition {" + body + "}");
                    }
                    i = end + 1;
                }
            }
            out.add(new Token(set, min, max));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty pattern");
        }
        return new CharPattern(out);
    }

    private static char[] escape(char e) {
        return switch (e) {
            case 'd' -> DIGITS;
            case 'w' -> WORD;
            case 's' -> new char[] {' '};
            case 'D', 'W', 'S' -> throw new IllegalArgumentException("negated class \\" + e + " cannot be generated");
            default -> new char[] {e};
        };
    }

    boolean fixedLength() {
        for (Token t : tokens) {
            if (t.min != t.max) {
                return false;
            }
        }
        return true;
    }

    /** Number of distinct strings (fixed-length patterns), saturating at Long.MAX_VALUE. */
    long domain() {
        long d = 1;
        for (Token t : tokens) {
            for (int k = 0; k < t.min; k++) {
                if (d > Long.MAX_VALUE / t.chars.length) {
                    return Long.MAX_VALUE;
                }
                d *= t.chars.length;
            }
        }
        return d;
    }

    void appendRandom(StringBuilder sb, long h) {
        int draw = 0;
        for (Token t : tokens) {
            int count = t.min == t.max ? t.min : t.min + Mix.index(Mix.next(h, draw++), t.max - t.min + 1);
            char[] c = t.chars;
            if (c.length == 1) {
                for (int k = 0; k < count; k++) {
                    sb.append(c[0]);
                }
                continue;
            }
            for (int k = 0; k < count; k++) {
                sb.append(c[Mix.index(Mix.next(h, draw++), c.length)]);
            }
        }
    }

    /** The {@code index}-th string in mixed-radix order (a bijection onto the fixed-length domain). */
    void appendIndexed(StringBuilder sb, long index) {
        int start = sb.length();
        int len = 0;
        for (Token t : tokens) {
            len += t.min;
        }
        sb.setLength(start + len);
        int pos = start + len;
        long v = index;
        for (int ti = tokens.length - 1; ti >= 0; ti--) {
            Token t = tokens[ti];
            for (int k = 0; k < t.min; k++) {
                int radix = t.chars.length;
                sb.setCharAt(--pos, t.chars[(int) (v % radix)]);
                v /= radix;
            }
        }
    }

    private static char[] range(char lo, char hi) {
        char[] out = new char[hi - lo + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = (char) (lo + i);
        }
        return out;
    }

    private static char[] concat(char[]... parts) {
        int n = 0;
        for (char[] p : parts) {
            n += p.length;
        }
        char[] out = new char[n];
        int k = 0;
        for (char[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }
}
