package io.skyforge.schema.mapping;

import io.skyforge.core.codec.Json;
import io.skyforge.spi.tabular.DbColumn;
import io.skyforge.spi.tabular.DbTable;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** Picks a realistic generator from a column's name, type and declared domain. */
final class Heuristics {

    private Heuristics() {
    }

    static JsonNode generator(DbTable t, DbColumn c, String type, CheckDomain dom, boolean unique,
                              BiFunction<DbTable, DbColumn, String> startColumn) {
        String n = c.name().toLowerCase(Locale.ROOT);
        String fam = c.type();
        boolean integral = fam.equals("int") || fam.equals("bigint") || fam.equals("smallint");
        boolean numeric = integral || fam.equals("decimal") || fam.equals("real") || fam.equals("double");
        if (!c.values().isEmpty()) {
            return choice(c.values(), false);
        }
        if (dom != null && !dom.values().isEmpty()) {
            return choice(dom.values(), numeric);
        }
        if (integral && (c.identity() || unique || (t.primaryKey().size() == 1 && t.primaryKey().get(0).equals(c.name())))) {
            ObjectNode g = obj("sequence");
            if (dom != null && dom.min() != null) {
                g.put("start", (long) Math.ceil(dom.min() + (dom.minExclusive() ? 1 : 0)));
            }
            return g;
        }
        if (numeric) {
            return number(n, c, integral, dom, unique);
        }
        switch (fam) {
            case "boolean":
                ObjectNode b = obj("boolean");
                b.put("probability", n.startsWith("is_") || n.contains("active") || n.contains("enabled") ? 0.9 : 0.5);
                return b;
            case "date":
                if (n.contains("birth") || n.equals("dob") || n.contains("born")) {
                    return StringNode.valueOf("birthDate");
                }
                return range("date", "2020-01-01", "2024-12-31");
            case "time":
                return range("time", "08:00:00", "20:00:00");
            case "timestamp":
            case "timestamptz":
                String start = startColumn.apply(t, c);
                if (start != null) {
                    ObjectNode e = obj("expr");
                    e.put("expr", start + " + uniform(3600, 2592000)");
                    return e;
                }
                return range("timestamp", "2020-01-01T00:00:00", "2024-06-30T23:59:59");
            case "uuid":
                return StringNode.valueOf("uuid");
            case "json":
                return choice(List.of("{\"tier\": \"gold\"}", "{\"tier\": \"silver\"}", "{}"), false);
            default:
                return text(t, c, n, unique, dom);
        }
    }

    private static JsonNode text(DbTable t, DbColumn c, String n, boolean unique, CheckDomain dom) {
        int len = c.length() > 0 ? c.length() : 255;
        if (dom != null && dom.maxLength() != null) {
            len = Math.min(len, dom.maxLength());
        }
        if (dom != null && dom.minLength() != null && dom.minLength() > 1) {
            // a fixed-width code meets any minimum length the column can hold
            return pattern(len, unique, "[A-Z0-9]{" + Math.min(len, Math.max(dom.minLength(), Math.min(len, 10))) + "}");
        }
        if (n.contains("email") || n.equals("mail")) {
            return StringNode.valueOf("email");
        }
        if (n.contains("username") || n.equals("login") || n.equals("user_name") || n.equals("handle") || n.equals("nickname")) {
            return StringNode.valueOf("username");
        }
        if (unique || c.type().equals("char")) {
            return pattern(len, unique);
        }
        if (n.contains("phone") || n.contains("mobile") || n.equals("fax") || n.equals("tel")) {
            return StringNode.valueOf("phone");
        }
        if (n.contains("first_name") || n.equals("firstname") || n.equals("given_name") || n.equals("forename")) {
            return StringNode.valueOf("firstName");
        }
        if (n.contains("last_name") || n.equals("lastname") || n.equals("surname") || n.equals("family_name")) {
            return StringNode.valueOf("lastName");
        }
        if (n.equals("full_name") || n.equals("fullname") || n.equals("contact_name") || n.equals("customer_name")
                || n.equals("author") || (n.equals("name") && SchemaMapper.personTable(t.name()))) {
            return StringNode.valueOf("fullName");
        }
        if (n.equals("gender") || n.equals("sex")) {
            return len >= 6 ? StringNode.valueOf("gender") : choice(List.of("M", "F"), false);
        }
        if (n.contains("company")) {
            return StringNode.valueOf("company");
        }
        if (n.equals("job_title") || n.equals("job") || n.equals("position") || (n.equals("title") && SchemaMapper.personTable(t.name()))) {
            return StringNode.valueOf("jobTitle");
        }
        if (n.contains("address2") || n.contains("line2")) {
            return pattern(len, false, "Suite [1-9][0-9]{2}");
        }
        if (n.contains("address") || n.contains("street")) {
            return StringNode.valueOf("street");
        }
        if (n.equals("city") || n.equals("town")) {
            return StringNode.valueOf("city");
        }
        if (n.equals("province")) {
            return StringNode.valueOf("province");
        }
        if (n.equals("state") || n.equals("region")) {
            return len <= 3 ? StringNode.valueOf("stateCode") : StringNode.valueOf("state");
        }
        if (n.equals("district")) {
            return StringNode.valueOf("district");
        }
        if (n.equals("country") || n.equals("country_name")) {
            return StringNode.valueOf("country");
        }
        if (n.contains("zip") || n.contains("postal") || n.contains("postcode")) {
            return StringNode.valueOf("postcode");
        }
        if (n.contains("url") || n.contains("website") || n.contains("homepage") || n.equals("link")) {
            return StringNode.valueOf("url");
        }
        if (n.equals("ip") || n.contains("ip_address")) {
            return StringNode.valueOf("ipv4");
        }
        if (n.contains("user_agent")) {
            return StringNode.valueOf("userAgent");
        }
        if (n.contains("password") || n.contains("hash") || n.contains("token") || n.contains("secret")) {
            return pattern(len, false, "[a-f0-9]{" + Math.min(len, 40) + "}");
        }
        if (n.equals("status")) {
            return choice(List.of("active", "pending", "inactive"), false);
        }
        if (n.contains("currency")) {
            return choice(List.of("USD", "EUR", "CNY", "GBP", "JPY"), false);
        }
        if (n.contains("lang") || n.equals("locale")) {
            return choice(List.of("en", "zh", "fr", "de", "es"), false);
        }
        if (n.contains("code") || n.contains("sku") || n.endsWith("_ref") || n.endsWith("_no") || n.endsWith("number")) {
            return pattern(len, false);
        }
        if (c.type().equals("text") || n.contains("description") || n.contains("comment") || n.contains("note")
                || n.contains("body") || n.contains("content") || n.equals("bio") || n.contains("summary") || n.contains("review")
                || n.contains("message")) {
            if (len >= 200) {
                ObjectNode s = obj("sentence");
                return s;
            }
        }
        ObjectNode w = obj("words");
        w.put("min", 1);
        w.put("max", len >= 30 ? 3 : 1);
        return w;
    }

    private static JsonNode pattern(int len, boolean unique) {
        if (len >= 10) {
            return pattern(len, unique, "[A-Z]{3}-[0-9]{6}");
        }
        return pattern(len, unique, "[A-Z0-9]{" + Math.max(1, len) + "}");
    }

    private static JsonNode pattern(int len, boolean unique, String p) {
        ObjectNode g = obj("pattern");
        g.put("pattern", p);
        return g;
    }

    private static JsonNode number(String n, DbColumn c, boolean integral, CheckDomain dom, boolean unique) {
        double typeMax = typeMax(c, integral);
        double step = integral ? 1 : Math.pow(10, -Math.max(0, c.scale()));
        double lo;
        double hi;
        String kind = "uniform";
        if (n.contains("qty") || n.contains("quantity") || n.contains("stock") || n.endsWith("count")) {
            lo = 1;
            hi = 100;
        } else if (n.equals("age")) {
            lo = 18;
            hi = 90;
        } else if (n.contains("year")) {
            lo = 1980;
            hi = 2024;
        } else if (n.contains("rating") || n.contains("stars") || n.equals("score")) {
            lo = 1;
            hi = 5;
        } else if (n.contains("price") || n.contains("amount") || n.contains("total") || n.contains("cost") || n.contains("fee")
                || n.contains("salary") || n.contains("balance") || n.contains("payment") || n.contains("freight")) {
            lo = integral ? 1 : 0.99;
            hi = 999.99;
            kind = "lognormal";
        } else if (n.contains("discount") || n.contains("pct") || n.contains("percent") || n.contains("tax")) {
            lo = 0;
            hi = integral ? 30 : Math.min(0.3, typeMax);
        } else if (n.contains("length") || n.contains("duration") || n.contains("minutes")) {
            lo = 30;
            hi = 240;
        } else {
            lo = 1;
            hi = 1000;
        }
        if (dom != null && (dom.min() != null || dom.max() != null)) {
            kind = "uniform";
            if (dom.min() != null) {
                lo = dom.min() + (dom.minExclusive() ? step : 0);
                if (hi < lo) {
                    hi = lo + (integral ? 1000 : 1000 * step * 100);
                }
            }
            if (dom.max() != null) {
                hi = dom.max() - (dom.maxExclusive() ? step : 0);
                if (lo > hi) {
                    lo = Math.max(hi - 1000, -typeMax);
                }
            }
        }
        hi = Math.min(hi, typeMax);
        lo = Math.min(lo, hi);
        if (unique && integral) {
            ObjectNode g = obj("sequence");
            g.put("start", (long) lo);
            return g;
        }
        ObjectNode g = obj(kind);
        if (kind.equals("lognormal")) {
            g.put("mu", 3.5);
            g.put("sigma", 1.0);
        }
        if (integral) {
            g.put("min", (long) Math.ceil(lo));
            g.put("max", (long) Math.floor(hi));
        } else {
            g.put("min", Double.parseDouble(SchemaMapper.plain(lo)));
            g.put("max", Double.parseDouble(SchemaMapper.plain(hi)));
        }
        return g;
    }

    private static double typeMax(DbColumn c, boolean integral) {
        return switch (c.type()) {
            case "smallint" -> 32767;
            case "int" -> Integer.MAX_VALUE;
            case "bigint" -> 9e15;
            case "decimal" -> c.precision() <= 0 ? 1e9 : Math.pow(10, Math.min(c.precision(), 18) - c.scale()) - Math.pow(10, -c.scale());
            default -> 1e12;
        };
    }

    private static ObjectNode obj(String kind) {
        ObjectNode g = Json.MAPPER.createObjectNode();
        g.put("kind", kind);
        return g;
    }

    private static ObjectNode range(String kind, String min, String max) {
        ObjectNode g = obj(kind);
        g.put("min", min);
        g.put("max", max);
        return g;
    }

    private static ObjectNode choice(List<String> values, boolean numeric) {
        ObjectNode g = obj("choice");
        ArrayNode a = g.putArray("values");
        for (String v : values) {
            if (numeric) {
                try {
                    if (v.contains(".")) {
                        a.add(Double.parseDouble(v));
                    } else {
                        a.add(Long.parseLong(v));
                    }
                    continue;
                } catch (NumberFormatException e) {
                    // not a number after all: keep the text
                }
            }
            a.add(v);
        }
        return g;
    }
}
