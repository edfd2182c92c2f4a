package io.skyforge.datagen.gen;

import io.skyforge.datagen.engine.Built;
import io.skyforge.datagen.engine.Distributions;
import io.skyforge.datagen.engine.Feistel;
import io.skyforge.datagen.engine.GenContext;
import io.skyforge.datagen.engine.Mix;
import io.skyforge.datagen.engine.Natural;
import io.skyforge.datagen.engine.Sources.DoubleSource;
import io.skyforge.datagen.engine.Sources.LongSource;
import io.skyforge.datagen.engine.Sources.TextSource;
import io.skyforge.datagen.spec.ColumnType;
import io.skyforge.datagen.spec.Params;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Sequences, numeric distributions, choices, booleans, constants and date/time ranges. */
final class BasicGenerators {

    private BasicGenerators() {
    }

    static List<Factory> all() {
        return List.of(
                Factory.of("sequence", List.of("start", "step"), BasicGenerators::sequence),
                Factory.of("constant", List.of("value"), BasicGenerators::constant),
                Factory.of("uniform", List.of("min", "max"), BasicGenerators::uniform),
                Factory.of("normal", List.of("mean", "stddev", "min", "max"), BasicGenerators::normal),
                Factory.of("lognormal", List.of("mu", "sigma", "min", "max"), BasicGenerators::lognormal),
                Factory.of("exponential", List.of("rate", "min", "max"), BasicGenerators::exponential),
                Factory.of("poisson", List.of("lambda"), BasicGenerators::poisson),
                Factory.of("zipf", List.of("n", "s"), BasicGenerators::zipf),
                Factory.of("boolean", List.of("probability"), BasicGenerators::bool),
                Factory.of("choice", List.of("values", "weights"), BasicGenerators::choice),
                Factory.of("date", List.of("min", "max"), g -> temporal(g, Natural.DATE)),
                Factory.of("timestamp", List.of("min", "max"), g -> temporal(g, Natural.TIMESTAMP)),
                Factory.of("time", List.of("min", "max"), g -> temporal(g, Natural.TIME)));
    }

    private static boolean wantsReal(GenContext g) {
        ColumnType t = g.declaredType();
        return t != null && (t.kind() == ColumnType.Kind.DOUBLE || (t.kind() == ColumnType.Kind.DECIMAL && t.scale() > 0));
    }

    private static Built sequence(GenContext g) {
        Params p = g.params();
        long start = p.integer("start", 1);
        long step = p.integer("step", 1);
        if (step == 0) {
            p.error("step", "must not be 0");
            return null;
        }
        LongSource s = (row, r, ctx) -> start + row * step;
        double last = start + (double) Math.max(0, g.rows() - 1) * step;
        return Built.of(Natural.INTEGER, s).unique(Long.MAX_VALUE).bounds(Math.min(start, last), Math.max(start, last));
    }

    private static Built constant(GenContext g) {
        JsonNode v = g.params().get("value");
        if (v == null) {
            g.params().error("value", "is required");
            return null;
        }
        if (v.isBoolean()) {
            long b = v.booleanValue() ? 1 : 0;
            return Built.of(Natural.BOOLEAN, (LongSource) (row, r, ctx) -> b).unique(1);
        }
        if (v.isIntegralNumber()) {
            long l = v.longValue();
            return Built.of(Natural.INTEGER, (LongSource) (row, r, ctx) -> l).unique(1).bounds(l, l);
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            return Built.of(Natural.REAL, (DoubleSource) (row, r, ctx) -> d).unique(1).bounds(d, d);
        }
        String text = v.isString() ? v.asString() : v.toString();
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> sb.append(text)).unique(1);
    }

    private static Built uniform(GenContext g) {
        Params p = g.params();
        double min = p.requiredNumber("min");
        double max = p.requiredNumber("max");
        if (max < min) {
            p.error("max", "must be at least min (" + min + ")");
            return null;
        }
        long key = g.key();
        // written as integers (1, 50) the bounds ask for whole numbers; written as reals (1.0, 50.0), for reals
        boolean integral = p.get("min").isIntegralNumber() && p.get("max").isIntegralNumber()
                && (g.declaredType() == null || g.declaredType().kind() != ColumnType.Kind.DOUBLE);
        if (!integral) {
            if (g.unique()) {
                p.error(null, "unique needs integer bounds");
                return null;
            }
            double span = max - min;
            DoubleSource s = (row, r, ctx) -> min + Mix.unit(Mix.cell(key, row)) * span;
            return Built.of(Natural.REAL, s).bounds(min, max);
        }
        long lo = (long) min;
        long n = (long) max - lo + 1;
        if (n <= 0) {
            p.error("max", "range is too wide");
            return null;
        }
        if (g.unique()) {
            Feistel f = new Feistel(n, key);
            LongSource s = (row, r, ctx) -> lo + f.apply(row);
            return Built.of(Natural.INTEGER, s).unique(n).bounds(min, max);
        }
        LongSource s = (row, r, ctx) -> lo + Mix.below(Mix.cell(key, row), n);
        return Built.of(Natural.INTEGER, s).bounds(min, max);
    }

    private static Built clamped(GenContext g, Params p, DoubleSource raw, double naturalMin) {
        double min = p.number("min", Double.NEGATIVE_INFINITY);
        double max = p.number("max", Double.POSITIVE_INFINITY);
        if (max < min) {
            p.error("max", "must be at least min");
            return null;
        }
        DoubleSource s = (min == Double.NEGATIVE_INFINITY && max == Double.POSITIVE_INFINITY) ? raw
                : (row, r, ctx) -> Math.min(max, Math.max(min, raw.get(row, r, ctx)));
        double lo = Math.max(min, naturalMin);
        boolean bounded = !Double.isInfinite(lo) && !Double.isInfinite(max);
        Built b = Built.of(Natural.REAL, s);
        return bounded ? b.bounds(lo, max) : b;
    }

    private static Built normal(GenContext g) {
        Params p = g.params();
        double mean = p.requiredNumber("mean");
        double sd = p.number("stddev", 1.0);
        if (sd <= 0) {
            p.error("stddev", "must be positive");
            return null;
        }
        long key = g.key();
        return clamped(g, p, (row, r, ctx) -> mean + sd * Distributions.normal(Mix.cell(key, row)), Double.NEGATIVE_INFINITY);
    }

    private static Built lognormal(GenContext g) {
        Params p = g.params();
        double mu = p.requiredNumber("mu");
        double sigma = p.number("sigma", 1.0);
        if (sigma <= 0) {
            p.error("sigma", "must be positive");
            return null;
        }
        long key = g.key();
        return clamped(g, p, (row, r, ctx) -> Math.exp(mu + sigma * Distributions.normal(Mix.cell(key, row))), 0);
    }

    private static Built exponential(GenContext g) {
        Params p = g.params();
        double rate = p.requiredNumber("rate");
        if (rate <= 0) {
            p.error("rate", "must be positive");
            return null;
        }
        long key = g.key();
        return clamped(g, p, (row, r, ctx) -> Distributions.exponential(Mix.cell(key, row), rate), 0);
    }

    private static Built poisson(GenContext g) {
        Params p = g.params();
        double lambda = p.requiredNumber("lambda");
        if (lambda <= 0 || lambda > 1e9) {
            p.error("lambda", "must be within (0, 1e9]");
            return null;
        }
        long key = g.key();
        return Built.of(Natural.INTEGER, (LongSource) (row, r, ctx) -> Distributions.poisson(Mix.cell(key, row), lambda));
    }

    private static Built zipf(GenContext g) {
        Params p = g.params();
        long n = p.integer("n", 0);
        if (n < 1) {
            p.error("n", "is required: the number of ranks (values are 1..n)");
            return null;
        }
        double s = p.number("s", 1.0);
        if (s <= 0 || s > 10) {
            p.error("s", "must be within (0, 10]");
            return null;
        }
        Distributions.Zipf z = new Distributions.Zipf(n, s);
        long key = g.key();
        return Built.of(Natural.INTEGER, (LongSource) (row, r, ctx) -> z.sample(Mix.cell(key, row))).bounds(1, n);
    }

    private static Built bool(GenContext g) {
        double prob = g.params().number("probability", 0.5, 0, 1);
        long key = g.key();
        if (g.unique()) {
            Feistel f = new Feistel(2, key);
            return Built.of(Natural.BOOLEAN, (LongSource) (row, r, ctx) -> row < 2 ? f.apply(row) : 0).unique(2);
        }
        return Built.of(Natural.BOOLEAN, (LongSource) (row, r, ctx) -> Mix.unit(Mix.cell(key, row)) < prob ? 1 : 0);
    }

    private static Built choice(GenContext g) {
        Params p = g.params();
        JsonNode values = p.get("values");
        if (values == null || !values.isArray() || values.isEmpty()) {
            p.error("values", "is required: a non-empty list");
            return null;
        }
        int n = values.size();
        double[] cumulative = weights(p, n);
        if (cumulative == null) {
            return null;
        }
        long key = g.key();
        Feistel perm = g.unique() ? new Feistel(n, key) : null;
        Picker pick = perm != null ? row -> row < n ? (int) perm.apply(row) : 0
                : !p.has("weights") ? row -> Mix.index(Mix.cell(key, row), n)
                : row -> pickWeighted(cumulative, Mix.unit(Mix.cell(key, row)));
        boolean allInt = true;
        boolean allNum = true;
        boolean allBool = true;
        for (JsonNode v : values) {
            allInt &= v.isIntegralNumber();
            allNum &= v.isNumber();
            allBool &= v.isBoolean();
        }
        if (allBool) {
            long[] l = new long[n];
            for (int i = 0; i < n; i++) {
                l[i] = values.get(i).booleanValue() ? 1 : 0;
            }
            return Built.of(Natural.BOOLEAN, (LongSource) (row, r, ctx) -> l[pick.pick(row)]).unique(n);
        }
        if (allNum) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (JsonNode v : values) {
                lo = Math.min(lo, v.doubleValue());
                hi = Math.max(hi, v.doubleValue());
            }
            if (allInt && !wantsReal(g)) {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = values.get(i).longValue();
                }
                return Built.of(Natural.INTEGER, (LongSource) (row, r, ctx) -> l[pick.pick(row)]).unique(n).bounds(lo, hi);
            }
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = values.get(i).doubleValue();
            }
            return Built.of(Natural.REAL, (DoubleSource) (row, r, ctx) -> d[pick.pick(row)]).unique(n).bounds(lo, hi);
        }
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            JsonNode v = values.get(i);
            s[i] = v.isString() ? v.asString() : v.toString();
        }
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> sb.append(s[pick.pick(row)])).unique(n);
    }

    @FunctionalInterface
    interface Picker {
        int pick(long row);
    }

    /** Cumulative, normalised weights (equal when absent); null after recording a violation. */
    static double[] weights(Params p, int n) {
        JsonNode w = p.get("weights");
        double[] c = new double[n];
        if (w == null) {
            for (int i = 0; i < n; i++) {
                c[i] = (i + 1) / (double) n;
            }
            return c;
        }
        if (!w.isArray() || w.size() != n) {
            p.error("weights", "must be a list of " + n + " numbers, one per value");
            return null;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            JsonNode x = w.get(i);
            if (!x.isNumber() || x.doubleValue() < 0) {
                p.violations().add(p.sourceMap().at(p.path("weights") + "[" + i + "]", "must be a non-negative number"));
                return null;
            }
            sum += x.doubleValue();
            c[i] = sum;
        }
        if (sum <= 0) {
            p.error("weights", "must not all be zero");
            return null;
        }
        for (int i = 0; i < n; i++) {
            c[i] /= sum;
        }
        c[n - 1] = 1.0;
        return c;
    }

    static int pickWeighted(double[] cumulative, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private static Built temporal(GenContext g, Natural natural) {
        Params p = g.params();
        long lo;
        long hi;
        switch (natural) {
            case DATE -> {
                lo = parseDate(p, "min", LocalDate.of(2020, 1, 1));
                hi = parseDate(p, "max", g.referenceDate());
            }
            case TIME -> {
                lo = parseTime(p, "min", 0);
                hi = parseTime(p, "max", 86_399_000_000L);
            }
            default -> {
                lo = parseTimestamp(p, "min", LocalDate.of(2020, 1, 1).atStartOfDay());
                hi = parseTimestamp(p, "max", g.referenceDate().atStartOfDay());
            }
        }
        if (lo == Long.MIN_VALUE || hi == Long.MIN_VALUE) {
            return null;
        }
        if (hi < lo) {
            p.error("max", "must not be before min");
            return null;
        }
        // timestamps and times are drawn in whole seconds: sub-second noise only makes files bigger
        long unit = natural == Natural.DATE ? 1 : 1_000_000L;
        long first = Math.floorDiv(lo + unit - 1, unit);
        long n = Math.floorDiv(hi, unit) - first + 1;
        long key = g.key();
        if (g.unique()) {
            Feistel f = new Feistel(n, key);
            return Built.of(natural, (LongSource) (row, r, ctx) -> (first + f.apply(row)) * unit).unique(n);
        }
        return Built.of(natural, (LongSource) (row, r, ctx) -> (first + Mix.below(Mix.cell(key, row), n)) * unit);
    }

    static long parseDate(Params p, String key, LocalDate fallback) {
        String s = p.string(key, null);
        if (s == null) {
            return fallback.toEpochDay();
        }
        try {
            return LocalDate.parse(s).toEpochDay();
        } catch (DateTimeParseException e) {
            p.error(key, "must be a date like 2024-01-31, got '" + s + "'");
            return Long.MIN_VALUE;
        }
    }

    static long parseTime(Params p, String key, long fallback) {
        String s = p.string(key, null);
        if (s == null) {
            return fallback;
        }
        try {
            return LocalTime.parse(s).toNanoOfDay() / 1000;
        } catch (DateTimeParseException e) {
            p.error(key, "must be a time like 09:30:00, got '" + s + "'");
            return Long.MIN_VALUE;
        }
    }

    static long parseTimestamp(Params p, String key, LocalDateTime fallback) {
        String s = p.string(key, null);
        LocalDateTime t = fallback;
        if (s != null) {
            try {
                t = s.length() <= 10 ? LocalDate.parse(s).atStartOfDay() : LocalDateTime.parse(s.replace(' ', 'T'));
            } catch (DateTimeParseException e) {
                p.error(key, "must be a timestamp like 2024-01-31T08:00:00 (or a date), got '" + s + "'");
                return Long.MIN_VALUE;
            }
        }
        long secs = t.toEpochSecond(ZoneOffset.UTC);
        return secs * 1_000_000L + t.getNano() / 1000;
    }

    static List<String> names(List<Factory> fs) {
        List<String> out = new ArrayList<>();
        for (Factory f : fs) {
            out.add(f.kind());
        }
        return out;
    }
}
