package io.skyforge.datagen.gen;

import io.skyforge.datagen.engine.CellFormat;
import io.skyforge.datagen.engine.Ctx;
import io.skyforge.datagen.engine.GenContext;
import io.skyforge.datagen.engine.Mix;
import io.skyforge.datagen.engine.Row;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Arithmetic over the same row's columns, compiled once to a tree: {@code quantity * price},
 * {@code if(age < 18, 0, 1)}, {@code o_orderdate + uniform(1, 121)}. Dates count in days,
 * timestamps in seconds. Random functions draw from the column's own key, so they stay pure.
 */
final class Expr {

    interface Node {
        double eval(long row, Row r, Ctx ctx);
    }

    /**
     * A value known when the expression is parsed: literals, {@code date('…')} and pure operations
     * on constants. Folding them away, and reading a constant operand inline, saves a virtual call
     * per node and row; the double arithmetic is the same, so the values are too.
     */
    record Const(double value) implements Node {
        @Override
        public double eval(long row, Row r, Ctx ctx) {
            return value;
        }
    }

    /** {@code node}, or its value when every operand is constant (pure operations only). */
    private static Node fold(Node node, Node... operands) {
        for (Node o : operands) {
            if (!(o instanceof Const)) {
                return node;
            }
        }
        return new Const(node.eval(0, null, null));
    }

    /** Thrown for a malformed expression; the message says where. */
    static final class SyntaxError extends RuntimeException {
        SyntaxError(String message) {
            super(message);
        }
    }

    private final String src;
    private final GenContext g;
    private final String paramKey;
    private int pos;
    private int randomCalls;

    private Expr(String src, GenContext g, String paramKey) {
        this.src = src;
        this.g = g;
        this.paramKey = paramKey;
    }

    /** @return the tree, or null when a referenced column is unknown (violation recorded) */
    static Node parse(String src, GenContext g, String paramKey) {
        Expr e = new Expr(src, g, paramKey);
        Node n = e.or();
        e.skip();
        if (e.pos < src.length()) {
            throw new SyntaxError("unexpected '" + src.charAt(e.pos) + "' at character " + (e.pos + 1));
        }
        return n;
    }

    private void skip() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    private boolean eat(String op) {
        skip();
        if (src.startsWith(op, pos)) {
            // '<' must not swallow the first char of '<=' etc.
            if (op.length() == 1 && pos + 1 < src.length() && "<>=!".indexOf(op.charAt(0)) >= 0 && src.charAt(pos + 1) == '=') {
                return false;
            }
            pos += op.length();
            return true;
        }
        return false;
    }

    private Node or() {
        Node l = and();
        while (eat("||")) {
            Node a = l;
            Node b = and();
            l = fold((row, r, c) -> a.eval(row, r, c) != 0 || b.eval(row, r, c) != 0 ? 1 : 0, a, b);
        }
        return l;
    }

    private Node and() {
        Node l = cmp();
        while (eat("&&")) {
            Node a = l;
            Node b = cmp();
            l = fold((row, r, c) -> a.eval(row, r, c) != 0 && b.eval(row, r, c) != 0 ? 1 : 0, a, b);
        }
        return l;
    }

    private Node cmp() {
        Node a = add();
        for (String op : new String[] {"<=", ">=", "==", "!=", "<", ">"}) {
            if (eat(op)) {
                Node b = add();
                if (b instanceof Const k && !(a instanceof Const)) {
                    // a column against a constant (a date, a threshold): the common condition
                    double v = k.value();
                    return switch (op) {
                        case "<=" -> (row, r, c) -> a.eval(row, r, c) <= v ? 1 : 0;
                        case ">=" -> (row, r, c) -> a.eval(row, r, c) >= v ? 1 : 0;
                        case "==" -> (row, r, c) -> a.eval(row, r, c) == v ? 1 : 0;
                        case "!=" -> (row, r, c) -> a.eval(row, r, c) != v ? 1 : 0;
                        case "<" -> (row, r, c) -> a.eval(row, r, c) < v ? 1 : 0;
                        default -> (row, r, c) -> a.eval(row, r, c) > v ? 1 : 0;
                    };
                }
                return fold(switch (op) {
                    case "<=" -> (row, r, c) -> a.eval(row, r, c) <= b.eval(row, r, c) ? 1 : 0;
                    case ">=" -> (row, r, c) -> a.eval(row, r, c) >= b.eval(row, r, c) ? 1 : 0;
                    case "==" -> (row, r, c) -> a.eval(row, r, c) == b.eval(row, r, c) ? 1 : 0;
                    case "!=" -> (row, r, c) -> a.eval(row, r, c) != b.eval(row, r, c) ? 1 : 0;
                    case "<" -> (row, r, c) -> a.eval(row, r, c) < b.eval(row, r, c) ? 1 : 0;
                    default -> (row, r, c) -> a.eval(row, r, c) > b.eval(row, r, c) ? 1 : 0;
                }, a, b);
            }
        }
        return a;
    }

    private Node add() {
        Node l = mul();
        while (true) {
            if (eat("+")) {
                l = plus(l, mul());
            } else if (eat("-")) {
                l = minus(l, mul());
            } else {
                return l;
            }
        }
    }

    private Node mul() {
        Node l = unary();
        while (true) {
            if (eat("*")) {
                l = times(l, unary());
            } else if (eat("/")) {
                l = divide(l, unary());
            } else if (eat("%")) {
                l = modulo(l, unary());
            } else {
                return l;
            }
        }
    }

    private static Node plus(Node a, Node b) {
        if (a instanceof Const k && !(b instanceof Const)) {
            double v = k.value();
            return (row, r, c) -> v + b.eval(row, r, c);
        }
        if (b instanceof Const k && !(a instanceof Const)) {
            double v = k.value();
            return (row, r, c) -> a.eval(row, r, c) + v;
        }
        return fold((row, r, c) -> a.eval(row, r, c) + b.eval(row, r, c), a, b);
    }

    private static Node minus(Node a, Node b) {
        if (a instanceof Const k && !(b instanceof Const)) {
            double v = k.value();
            return (row, r, c) -> v - b.eval(row, r, c);
        }
        if (b instanceof Const k && !(a instanceof Const)) {
            double v = k.value();
            return (row, r, c) -> a.eval(row, r, c) - v;
        }
        return fold((row, r, c) -> a.eval(row, r, c) - b.eval(row, r, c), a, b);
    }

    private static Node times(Node a, Node b) {
        if (a instanceof Const k && !(b instanceof Const)) {
            double v = k.value();
            return (row, r, c) -> v * b.eval(row, r, c);
        }
        if (b instanceof Const k && !(a instanceof Const)) {
            double v = k.value();
            return (row, r, c) -> a.eval(row, r, c) * v;
        }
        return fold((row, r, c) -> a.eval(row, r, c) * b.eval(row, r, c), a, b);
    }

    private static Node divide(Node a, Node b) {
        if (b instanceof Const k && !(a instanceof Const)) {
            double v = k.value();
            return (row, r, c) -> a.eval(row, r, c) / v;
        }
        return fold((row, r, c) -> a.eval(row, r, c) / b.eval(row, r, c), a, b);
    }

    private static Node modulo(Node a, Node b) {
        if (b instanceof Const k && !(a instanceof Const)) {
            double y = k.value();
            return (row, r, c) -> {
                double x = a.eval(row, r, c);
                return x - Math.floor(x / y) * y;
            };
        }
        return fold((row, r, c) -> {
            double x = a.eval(row, r, c);
            double y = b.eval(row, r, c);
            return x - Math.floor(x / y) * y;
        }, a, b);
    }

    private Node unary() {
        if (eat("-")) {
            Node a = unary();
            return fold((row, r, c) -> -a.eval(row, r, c), a);
        }
        if (eat("!")) {
            Node a = unary();
            return fold((row, r, c) -> a.eval(row, r, c) == 0 ? 1 : 0, a);
        }
        return primary();
    }

    private Node primary() {
        skip();
        if (pos >= src.length()) {
            throw new SyntaxError("expression ends too early");
        }
        char ch = src.charAt(pos);
        if (ch == '(') {
            pos++;
            Node n = or();
            expect(')');
            return n;
        }
        if (Character.isDigit(ch) || ch == '.') {
            int start = pos;
            while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.'
                    || src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
                pos++;
            }
            double v;
            try {
                v = Double.parseDouble(src.substring(start, pos));
            } catch (NumberFormatException e) {
                throw new SyntaxError("bad number '" + src.substring(start, pos) + "' at character " + (start + 1));
            }
            return new Const(v);
        }
        if (Character.isLetter(ch) || ch == '_') {
            int start = pos;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            String name = src.substring(start, pos);
            skip();
            if (pos < src.length() && src.charAt(pos) == '(') {
                pos++;
                return call(name, start);
            }
            GenContext.ColumnRef ref = g.sameRow(paramKey, name);
            if (ref == null) {
                return (row, r, c) -> Double.NaN;
            }
            int idx = ref.index();
            var type = ref.type();
            return switch (type.kind()) {
                case INT, BIGINT, DATE, BOOLEAN -> (row, r, c) -> r.getLong(idx);
                case DOUBLE -> (row, r, c) -> r.getDouble(idx);
                case DECIMAL -> {
                    double div = StrictMath.pow(10, type.scale());
                    yield (row, r, c) -> r.getLong(idx) / div;
                }
                default -> (row, r, c) -> CellFormat.number(r, idx, type);
            };
        }
        throw new SyntaxError("unexpected '" + ch + "' at character " + (pos + 1));
    }

    private void expect(char ch) {
        skip();
        if (pos >= src.length() || src.charAt(pos) != ch) {
            throw new SyntaxError("expected '" + ch + "' at character " + (pos + 1));
        }
        pos++;
    }

    private Node call(String name, int at) {
        if (name.equals("date")) {
            skip();
            if (pos >= src.length() || src.charAt(pos) != '\'') {
                throw new SyntaxError("date() takes a quoted date, e.g. date('1995-06-17')");
            }
            int end = src.indexOf('\'', pos + 1);
            if (end < 0) {
                throw new SyntaxError("unterminated string at character " + (pos + 1));
            }
            String text = src.substring(pos + 1, end);
            pos = end + 1;
            expect(')');
            try {
                return new Const(LocalDate.parse(text).toEpochDay());
            } catch (DateTimeParseException e) {
                throw new SyntaxError("'" + text + "' is not a date like 1995-06-17");
            }
        }
        List<Node> args = new ArrayList<>();
        skip();
        if (pos < src.length() && src.charAt(pos) == ')') {
            pos++;
        } else {
            do {
                args.add(or());
            } while (eat(","));
            expect(')');
        }
        int n = args.size();
        Node a = n > 0 ? args.get(0) : null;
        Node b = n > 1 ? args.get(1) : null;
        Node c3 = n > 2 ? args.get(2) : null;
        Node f = pure(name, n, a, b, c3);
        if (f != null) {
            return fold(f, args.toArray(new Node[0]));
        }
        switch (name) {
            case "random" -> {
                arity(name, n, 0);
                long key = g.key("expr#" + randomCalls++);
                return (row, r, c) -> Mix.unit(Mix.cell(key, row));
            }
            case "uniform" -> {
                arity(name, n, 2);
                long key = g.key("expr#" + randomCalls++);
                if (a instanceof Const lo && b instanceof Const hi) {
                    double low = Math.ceil(lo.value());
                    long count = (long) (Math.floor(hi.value()) - low) + 1;
                    return (row, r, c) -> low + Mix.below(Mix.cell(key, row), count);
                }
                return (row, r, c) -> {
                    double lo = Math.ceil(a.eval(row, r, c));
                    double hi = Math.floor(b.eval(row, r, c));
                    return lo + Mix.below(Mix.cell(key, row), (long) (hi - lo) + 1);
                };
            }
            default -> throw new SyntaxError("unknown function '" + name + "' at character " + (at + 1)
                    + io.skyforge.core.validation.Suggest.didYouMean(name, FUNCTIONS));
        }
    }

    /** The functions without randomness, or null for another name. */
    private static Node pure(String name, int n, Node a, Node b, Node c3) {
        switch (name) {
            case "if" -> {
                arity(name, n, 3);
                return (row, r, c) -> a.eval(row, r, c) != 0 ? b.eval(row, r, c) : c3.eval(row, r, c);
            }
            case "min" -> {
                arity(name, n, 2);
                return (row, r, c) -> Math.min(a.eval(row, r, c), b.eval(row, r, c));
            }
            case "max" -> {
                arity(name, n, 2);
                return (row, r, c) -> Math.max(a.eval(row, r, c), b.eval(row, r, c));
            }
            case "div" -> {
                arity(name, n, 2);
                if (b instanceof Const k && !(a instanceof Const)) {
                    double v = k.value();
                    return (row, r, c) -> Math.floor(a.eval(row, r, c) / v);
                }
                return (row, r, c) -> Math.floor(a.eval(row, r, c) / b.eval(row, r, c));
            }
            case "pow" -> {
                arity(name, n, 2);
                return (row, r, c) -> StrictMath.pow(a.eval(row, r, c), b.eval(row, r, c));
            }
            case "abs" -> {
                arity(name, n, 1);
                return (row, r, c) -> Math.abs(a.eval(row, r, c));
            }
            case "floor" -> {
                arity(name, n, 1);
                return (row, r, c) -> Math.floor(a.eval(row, r, c));
            }
            case "ceil" -> {
                arity(name, n, 1);
                return (row, r, c) -> Math.ceil(a.eval(row, r, c));
            }
            case "sqrt" -> {
                arity(name, n, 1);
                return (row, r, c) -> Math.sqrt(a.eval(row, r, c));
            }
            case "ln" -> {
                arity(name, n, 1);
                return (row, r, c) -> StrictMath.log(a.eval(row, r, c));
            }
            case "exp" -> {
                arity(name, n, 1);
                return (row, r, c) -> StrictMath.exp(a.eval(row, r, c));
            }
            case "round" -> {
                if (n == 1) {
                    return (row, r, c) -> Math.rint(a.eval(row, r, c));
                }
                arity(name, n, 2);
                return (row, r, c) -> {
                    double m = StrictMath.pow(10, b.eval(row, r, c));
                    return Math.rint(a.eval(row, r, c) * m) / m;
                };
            }
            default -> {
                return null;
            }
        }
    }

    static final List<String> FUNCTIONS = List.of("if", "min", "max", "div", "pow", "abs", "floor", "ceil", "sqrt", "ln", "exp",
            "round", "random", "uniform", "date");

    private static void arity(String name, int got, int want) {
        if (got != want) {
            throw new SyntaxError(name + "() takes " + want + " argument(s), got " + got);
        }
    }
}
