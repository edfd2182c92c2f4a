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
            l = (row, r, c) -> a.eval(row, r, c) != 0 || b.eval(row, r, c) != 0 ? 1 : 0;
        }
        return l;
    }

    private Node and() {
        Node l = cmp();
        while (eat("&&")) {
            Node a = l;
            Node b = cmp();
            l = (row, r, c) -> a.eval(row, r, c) != 0 && b.eval(row, r, c) != 0 ? 1 : 0;
        }
        return l;
    }

    private Node cmp() {
        Node a = add();
        for (String op : new String[] {"<=", ">=", "==", "!=", "<", ">"}) {
            if (eat(op)) {
                Node b = add();
                return switch (op) {
                    case "<=" -> (row, r, c) -> a.eval(row, r, c) <= b.eval(row, r, c) ? 1 : 0;
                    case ">=" -> (row, r, c) -> a.eval(row, r, c) >= b.eval(row, r, c) ? 1 : 0;
                    case "==" -> (row, r, c) -> a.eval(row, r, c) == b.eval(row, r, c) ? 1 : 0;
                    case "!=" -> (row, r, c) -> a.eval(row, r, c) != b.eval(row, r, c) ? 1 : 0;
                    case "<" -> (row, r, c) -> a.eval(row, r, c) < b.eval(row, r, c) ? 1 : 0;
                    default -> (row, r, c) -> a.eval(row, r, c) > b.eval(row, r, c) ? 1 : 0;
                };
            }
        }
        return a;
    }

    private Node add() {
        Node l = mul();
        while (true) {
            Node a = l;
            if (eat("+")) {
                Node b = mul();
                l = (row, r, c) -> a.eval(row, r, c) + b.eval(row, r, c);
            } else if (eat("-")) {
                Node b = mul();
                l = (row, r, c) -> a.eval(row, r, c) - b.eval(row, r, c);
            } else {
                return l;
            }
        }
    }

    private Node mul() {
        Node l = unary();
        while (true) {
            Node a = l;
            if (eat("*")) {
                Node b = unary();
                l = (row, r, c) -> a.eval(row, r, c) * b.eval(row, r, c);
            } else if (eat("/")) {
                Node b = unary();
                l = (row, r, c) -> a.eval(row, r, c) / b.eval(row, r, c);
            } else if (eat("%")) {
                Node b = unary();
                l = (row, r, c) -> {
                    double x = a.eval(row, r, c);
                    double y = b.eval(row, r, c);
                    return x - Math.floor(x / y) * y;
                };
            } else {
                return l;
            }
        }
    }

    private Node unary() {
        if (eat("-")) {
            Node a = unary();
            return (row, r, c) -> -a.eval(row, r, c);
        }
        if (eat("!")) {
            Node a = unary();
            return (row, r, c) -> a.eval(row, r, c) == 0 ? 1 : 0;
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
            return (row, r, c) -> v;
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
                    double div = Math.pow(10, type.scale());
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
                double day = LocalDate.parse(text).toEpochDay();
                return (row, r, c) -> day;
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
                return (row, r, c) -> Math.floor(a.eval(row, r, c) / b.eval(row, r, c));
            }
            case "pow" -> {
                arity(name, n, 2);
                return (row, r, c) -> Math.pow(a.eval(row, r, c), b.eval(row, r, c));
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
                return (row, r, c) -> Math.log(a.eval(row, r, c));
            }
            case "exp" -> {
                arity(name, n, 1);
                return (row, r, c) -> Math.exp(a.eval(row, r, c));
            }
            case "round" -> {
                if (n == 1) {
                    return (row, r, c) -> Math.rint(a.eval(row, r, c));
                }
                arity(name, n, 2);
                return (row, r, c) -> {
                    double m = Math.pow(10, b.eval(row, r, c));
                    return Math.rint(a.eval(row, r, c) * m) / m;
                };
            }
            case "random" -> {
                arity(name, n, 0);
                long key = g.key("expr#" + randomCalls++);
                return (row, r, c) -> Mix.unit(Mix.cell(key, row));
            }
            case "uniform" -> {
                arity(name, n, 2);
                long key = g.key("expr#" + randomCalls++);
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

    static final List<String> FUNCTIONS = List.of("if", "min", "max", "div", "pow", "abs", "floor", "ceil", "sqrt", "ln", "exp",
            "round", "random", "uniform", "date");

    private static void arity(String name, int got, int want) {
        if (got != want) {
            throw new SyntaxError(name + "() takes " + want + " argument(s), got " + got);
        }
    }
}
