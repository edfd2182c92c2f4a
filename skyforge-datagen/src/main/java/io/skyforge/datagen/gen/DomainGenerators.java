package io.skyforge.datagen.gen;

import io.skyforge.datagen.dict.Dictionary;
import io.skyforge.datagen.engine.Built;
import io.skyforge.datagen.engine.GenContext;
import io.skyforge.datagen.engine.Mix;
import io.skyforge.datagen.engine.Natural;
import io.skyforge.datagen.engine.Sources.LongSource;
import io.skyforge.datagen.engine.Sources.TextSource;
import io.skyforge.datagen.engine.Temporal;
import io.skyforge.datagen.spec.ColumnType;
import io.skyforge.datagen.spec.Params;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Realistic values drawn from the locale dictionaries: people, addresses, companies, network, cards. */
final class DomainGenerators {

    private DomainGenerators() {
    }

    private static final Map<String, Person> PEOPLE = new ConcurrentHashMap<>();
    private static final Map<String, Place> PLACES = new ConcurrentHashMap<>();

    static List<Factory> all() {
        List<String> person = List.of("person");
        List<String> address = List.of("address");
        return List.of(
                Factory.of("firstName", person, g -> personText(g, (p, h, row, sb) -> p.appendFirst(sb, h))),
                Factory.of("lastName", person, g -> personText(g, (p, h, row, sb) -> p.appendLast(sb, h))),
                Factory.of("fullName", person, g -> personText(g, (p, h, row, sb) -> p.appendFull(sb, h))),
                Factory.of("gender", List.of("person", "labels"), DomainGenerators::gender),
                Factory.of("email", List.of("person", "domain"), DomainGenerators::email),
                Factory.of("username", person, DomainGenerators::username),
                Factory.of("birthDate", List.of("person", "age"), DomainGenerators::birthDate),
                Factory.of("age", person, DomainGenerators::age),
                Factory.of("idCard", List.of("person", "address", "age"), DomainGenerators::idCard),
                Factory.of("phone", List.of("address", "type", "format"), DomainGenerators::phone),
                Factory.of("country", address, g -> placeText(g, (pl, h, sb) -> sb.append(pl.country))),
                Factory.of("province", address, g -> placeText(g, (pl, h, sb) -> sb.append(pl.province[pl.loc(h)]))),
                Factory.of("state", address, g -> placeText(g, (pl, h, sb) -> sb.append(pl.province[pl.loc(h)]))),
                Factory.of("stateCode", address, g -> placeText(g, (pl, h, sb) -> sb.append(pl.code[pl.loc(h)]))),
                Factory.of("city", address, g -> placeText(g, (pl, h, sb) -> sb.append(pl.city[pl.loc(h)]))),
                Factory.of("district", address, g -> placeText(g, (pl, h, sb) -> sb.append(pl.district[pl.loc(h)]))),
                Factory.of("street", address, g -> placeText(g, Place::appendStreet)),
                Factory.of("postcode", address, g -> placeText(g, Place::appendPostcode)),
                Factory.of("address", address, g -> placeText(g, Place::appendFull)),
                Factory.of("company", List.of(), DomainGenerators::company),
                Factory.of("jobTitle", List.of(), DomainGenerators::jobTitle),
                Factory.of("ipv4", List.of("private"), DomainGenerators::ipv4),
                Factory.of("ipv6", List.of(), DomainGenerators::ipv6),
                Factory.of("url", List.of(), DomainGenerators::url),
                Factory.of("userAgent", List.of(), DomainGenerators::userAgent),
                Factory.of("creditCard", List.of("brand"), DomainGenerators::creditCard));
    }

    private static Person person(GenContext g) {
        return PEOPLE.computeIfAbsent(g.locale() + "@" + g.referenceDate(), k -> new Person(g.dictionary(), g.referenceDate()));
    }

    private static Place place(GenContext g) {
        return PLACES.computeIfAbsent(g.locale(), k -> new Place(g.dictionary()));
    }

    private static long personKey(GenContext g) {
        return g.entityKey("person:" + g.params().string("person", "default"));
    }

    private static long addressKey(GenContext g) {
        return g.entityKey("address:" + g.params().string("address", "default"));
    }

    @FunctionalInterface
    interface PersonText {
        void append(Person p, long h, long row, StringBuilder sb);
    }

    @FunctionalInterface
    interface PlaceText {
        void append(Place p, long h, StringBuilder sb);
    }

    private static Built personText(GenContext g, PersonText f) {
        Person p = person(g);
        long key = personKey(g);
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> f.append(p, Mix.cell(key, row), row, sb));
    }

    private static Built placeText(GenContext g, PlaceText f) {
        Place p = place(g);
        long key = addressKey(g);
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> f.append(p, Mix.cell(key, row), sb));
    }

    private static Built gender(GenContext g) {
        Params pa = g.params();
        List<String> labels = pa.strings("labels");
        if (labels.isEmpty()) {
            labels = g.locale().startsWith("zh") ? List.of("男", "女") : List.of("M", "F");
        } else if (labels.size() != 2) {
            pa.error("labels", "needs two labels: [male, female]");
            return null;
        }
        String m = labels.get(0);
        String f = labels.get(1);
        Person p = person(g);
        long key = personKey(g);
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> sb.append(p.male(Mix.cell(key, row)) ? m : f));
    }

    private static Built email(GenContext g) {
        Person p = person(g);
        long key = personKey(g);
        String domain = g.params().string("domain", null);
        boolean unique = g.unique();
        Built b = Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) ->
                p.appendEmail(sb, Mix.cell(key, row), unique ? row : -1, domain));
        return unique ? b.unique(Long.MAX_VALUE) : b;
    }

    private static Built username(GenContext g) {
        Person p = person(g);
        long key = personKey(g);
        boolean unique = g.unique();
        Built b = Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) ->
                p.appendHandle(sb, Mix.cell(key, row), unique ? row : -1, '_'));
        return unique ? b.unique(Long.MAX_VALUE) : b;
    }

    /** The person's birth date, or one consistent with an age column when {@code age} names it. */
    private static Built birthDate(GenContext g) {
        Person p = person(g);
        long key = personKey(g);
        LongSource birth = birthSource(g, p, key);
        return birth == null ? null : Built.of(Natural.DATE, birth);
    }

    private static LongSource birthSource(GenContext g, Person p, long key) {
        String ageCol = g.params().string("age", null);
        if (ageCol == null) {
            return (row, r, ctx) -> p.birthDay(Mix.cell(key, row));
        }
        GenContext.ColumnRef ref = g.sameRow("age", ageCol);
        if (ref == null) {
            return null;
        }
        if (!ref.type().isIntegral()) {
            g.params().error("age", "column '" + ageCol + "' must be an integer column, it is " + ref.type());
            return null;
        }
        int idx = ref.index();
        return (row, r, ctx) -> {
            long h = Mix.cell(key, row);
            return r.isNull(idx) ? p.birthDay(h) : p.birthDayForAge(h, Math.max(0, Math.min(150, r.getLong(idx))));
        };
    }

    private static Built age(GenContext g) {
        Person p = person(g);
        long key = personKey(g);
        return Built.of(Natural.INTEGER, (LongSource) (row, r, ctx) -> p.ageAt(p.birthDay(Mix.cell(key, row)))).bounds(18, 81);
    }

    private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] ID_CHECK = "10X98765432".toCharArray();

    /**
     * A mainland resident ID number (GB 11643): region code of the row's address, the person's
     * birth date, a sequence whose last digit is odd for men, and the ISO 7064 MOD 11-2 check digit.
     */
    private static Built idCard(GenContext g) {
        Person p = person(g);
        Place zh = PLACES.computeIfAbsent("zh_CN", k -> new Place(Dictionary.forLocale("zh_CN")));
        long pkey = personKey(g);
        long akey = addressKey(g);
        LongSource birth = birthSource(g, p, pkey);
        if (birth == null) {
            return null;
        }
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
            long h = Mix.cell(pkey, row);
            int start = sb.length();
            sb.append(zh.division[zh.loc(Mix.cell(akey, row))]);
            int c = Temporal.civil(birth.get(row, r, ctx));
            sb.append(c);
            int seq = Mix.index(Mix.next(h, 20), 500) * 2 + (p.male(h) ? 1 : 0);
            if (seq < 100) {
                sb.append('0');
            }
            if (seq < 10) {
                sb.append('0');
            }
            sb.append(seq);
            sb.append(idCheck(sb, start));
        });
    }

    static char idCheck(CharSequence s, int start) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (s.charAt(start + i) - '0') * ID_WEIGHTS[i];
        }
        return ID_CHECK[sum % 11];
    }

    private static Built phone(GenContext g) {
        Params pa = g.params();
        String type = pa.string("type", "mobile");
        String format = pa.string("format", "national");
        if (!type.equals("mobile") && !type.equals("landline")) {
            pa.error("type", "must be mobile or landline");
            return null;
        }
        if (!format.equals("national") && !format.equals("e164")) {
            pa.error("format", "must be national or e164");
            return null;
        }
        boolean e164 = format.equals("e164");
        Place pl = place(g);
        long key = addressKey(g);
        long own = g.key();
        if (pl.zh) {
            String[] prefixes = Dictionary.common().words("mobile_prefix_cn");
            boolean mobile = type.equals("mobile");
            return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
                long h = Mix.cell(own, row);
                if (e164) {
                    sb.append("+86 ");
                }
                if (mobile) {
                    sb.append(prefixes[Mix.index(h, prefixes.length)]);
                    digits(sb, Mix.next(h, 0), 8);
                } else {
                    String area = pl.areaCode[pl.loc(Mix.cell(key, row))];
                    sb.append(e164 ? area.substring(1) : area).append(e164 ? " " : "-");
                    sb.append((char) ('2' + Mix.index(Mix.next(h, 1), 7)));
                    digits(sb, Mix.next(h, 0), 7);
                }
            });
        }
        // NANP: area code of the row's address; exchange 2-9xx, never N11; subscriber 0000-9999
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
            long h = Mix.cell(own, row);
            String area = pl.areaCode[pl.loc(Mix.cell(key, row))];
            int ex = 200 + Mix.index(h, 800);
            if (ex % 100 == 11) {
                ex++;
            }
            if (e164) {
                sb.append("+1").append(area).append(ex);
            } else {
                sb.append('(').append(area).append(") ").append(ex).append('-');
            }
            digits(sb, Mix.next(h, 0), 4);
        });
    }

    static void digits(StringBuilder sb, long h, int n) {
        long v = Long.remainderUnsigned(h, 10_000_000_000L);
        for (int i = n - 1; i >= 0; i--) {
            long p = pow10(i);
            sb.append((char) ('0' + (v / p) % 10));
        }
    }

    private static long pow10(int n) {
        return ColumnType.pow10(n);
    }

    private static Built company(GenContext g) {
        Dictionary d = g.dictionary();
        long key = g.key();
        if (g.locale().startsWith("zh")) {
            Place pl = place(g);
            String[] words = d.column("company_word", 0);
            String[] industry = d.words("company_industry");
            String[][] suffixRows = d.rows("company_suffix");
            String[] suffix = new String[suffixRows.length];
            double[] w = weights(suffixRows, suffix);
            return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
                long h = Mix.cell(key, row);
                String city = pl.city[Mix.index(h, pl.city.length)];
                sb.append(city, 0, city.endsWith("市") ? city.length() - 1 : city.length());
                sb.append(words[Mix.index(Mix.next(h, 0), words.length)]);
                sb.append(industry[Mix.index(Mix.next(h, 1), industry.length)]);
                sb.append(suffix[BasicGenerators.pickWeighted(w, Mix.unit(Mix.next(h, 2)))]);
            });
        }
        String[] last = d.words("last");
        String[] words = d.words("company_word");
        String[] field = d.words("company_field");
        String[] suffix = d.words("company_suffix");
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
            long h = Mix.cell(key, row);
            switch (Mix.index(h, 4)) {
                case 0 -> sb.append(last[Mix.index(Mix.next(h, 0), last.length)]).append(' ')
                        .append(suffix[Mix.index(Mix.next(h, 1), suffix.length)]);
                case 1 -> sb.append(last[Mix.index(Mix.next(h, 0), last.length)]).append(" & ")
                        .append(last[Mix.index(Mix.next(h, 2), last.length)]);
                case 2 -> sb.append(last[Mix.index(Mix.next(h, 0), last.length)]).append('-')
                        .append(last[Mix.index(Mix.next(h, 2), last.length)]).append(' ')
                        .append(suffix[Mix.index(Mix.next(h, 1), suffix.length)]);
                default -> sb.append(words[Mix.index(Mix.next(h, 0), words.length)]).append(' ')
                        .append(field[Mix.index(Mix.next(h, 2), field.length)]).append(' ')
                        .append(suffix[Mix.index(Mix.next(h, 1), suffix.length)]);
            }
        });
    }

    static double[] weights(String[][] rows, String[] names) {
        double[] w = new double[rows.length];
        double sum = 0;
        for (int i = 0; i < rows.length; i++) {
            names[i] = rows[i][0];
            sum += rows[i].length > 1 ? Double.parseDouble(rows[i][1]) : 1;
            w[i] = sum;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        w[w.length - 1] = 1.0;
        return w;
    }

    private static Built jobTitle(GenContext g) {
        Dictionary d = g.dictionary();
        long key = g.key();
        if (g.locale().startsWith("zh")) {
            String[] titles = d.words("job_title");
            return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> sb.append(titles[Mix.index(Mix.cell(key, row), titles.length)]));
        }
        String[] level = d.words("job_level");
        String[] area = d.words("job_area");
        String[] role = d.words("job_role");
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
            long h = Mix.cell(key, row);
            if ((h & 1) == 0) {
                sb.append(level[Mix.index(Mix.next(h, 0), level.length)]).append(' ');
            }
            sb.append(area[Mix.index(Mix.next(h, 1), area.length)]).append(' ')
                    .append(role[Mix.index(Mix.next(h, 2), role.length)]);
        });
    }

    private static Built ipv4(GenContext g) {
        boolean priv = g.params().bool("private", false);
        long key = g.key();
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
            long h = Mix.cell(key, row);
            int b = (int) (h >>> 8) & 0xFF;
            int c = (int) (h >>> 16) & 0xFF;
            int d = 1 + Mix.index(Mix.next(h, 0), 254);
            if (priv) {
                if ((h & 1) == 0) {
                    sb.append("10.").append(b);
                } else {
                    sb.append("192.168");
                }
            } else {
                // public unicast only: skip 0, 10, 100, 127, 169, 172, 192 and the multicast/reserved range
                int a = 1 + Mix.index(Mix.next(h, 1), 222);
                if (a == 10 || a == 100 || a == 127 || a == 169 || a == 172 || a == 192) {
                    a++;
                }
                sb.append(a).append('.').append(b);
            }
            sb.append('.').append(c).append('.').append(d);
        });
    }

    private static Built ipv6(GenContext g) {
        long key = g.key();
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
            long h = Mix.cell(key, row);
            long l = Mix.next(h, 0);
            // global unicast 2000::/3
            sb.append(Integer.toHexString(0x2000 | (int) (h & 0x1FFF)));
            for (int i = 1; i < 8; i++) {
                long w = i < 4 ? h >>> (16 * i) : l >>> (16 * (i - 4));
                sb.append(':').append(Integer.toHexString((int) (w & 0xFFFF)));
            }
        });
    }

    private static Built url(GenContext g) {
        Dictionary c = Dictionary.common();
        String[] tld = c.words("tld");
        String[] path = c.words("url_path");
        String[] hosts = g.locale().startsWith("zh") ? g.dictionary().column("company_word", 1) : g.dictionary().words("last");
        String[] words = Dictionary.forLocale("en_US").words("word");
        long key = g.key();
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
            long h = Mix.cell(key, row);
            sb.append("https://www.");
            String host = hosts[Mix.index(h, hosts.length)];
            for (int i = 0; i < host.length(); i++) {
                char ch = host.charAt(i);
                if (Character.isLetterOrDigit(ch)) {
                    sb.append(Character.toLowerCase(ch));
                }
            }
            sb.append('.').append(tld[Mix.index(Mix.next(h, 0), tld.length)]).append('/')
                    .append(path[Mix.index(Mix.next(h, 1), path.length)]);
            if ((h & 2) == 0) {
                sb.append('/').append(words[Mix.index(Mix.next(h, 2), words.length)]).append('-')
                        .append(words[Mix.index(Mix.next(h, 3), words.length)]);
            }
        });
    }

    private static Built userAgent(GenContext g) {
        String[] templates = Dictionary.common().words("user_agent");
        long key = g.key();
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
            long h = Mix.cell(key, row);
            String t = templates[Mix.index(h, templates.length)];
            for (int i = 0; i < t.length(); i++) {
                char ch = t.charAt(i);
                if (ch == '{' && i + 2 < t.length() && t.charAt(i + 2) == '}') {
                    char v = t.charAt(i + 1);
                    long x = Mix.next(h, v);
                    switch (v) {
                        case 'a' -> sb.append(110 + Mix.index(x, 22));
                        case 'b' -> sb.append(5000 + Mix.index(x, 1800));
                        case 'c' -> sb.append(Mix.index(x, 200));
                        case 'd' -> sb.append(Mix.index(x, 6));
                        default -> sb.append(115 + Mix.index(x, 20));
                    }
                    i += 2;
                } else {
                    sb.append(ch);
                }
            }
        });
    }

    private static Built creditCard(GenContext g) {
        String[][] cards = Dictionary.common().rows("card");
        String brand = g.params().string("brand", "any");
        int chosen = -1;
        for (int i = 0; i < cards.length; i++) {
            if (cards[i][0].equals(brand)) {
                chosen = i;
            }
        }
        if (chosen < 0 && !brand.equals("any")) {
            List<String> names = new java.util.ArrayList<>();
            for (String[] c : cards) {
                names.add(c[0]);
            }
            names.add("any");
            g.params().error("brand", "unknown card brand '" + brand + "'"
                    + io.skyforge.core.validation.Suggest.didYouMean(brand, names) + "; one of " + names);
            return null;
        }
        String[][] prefixes = new String[cards.length][];
        int[] lengths = new int[cards.length];
        for (int i = 0; i < cards.length; i++) {
            prefixes[i] = cards[i][1].split(" ");
            lengths[i] = Integer.parseInt(cards[i][2]);
        }
        int fixed = chosen;
        long key = g.key();
        return Built.of(Natural.TEXT, (TextSource) (row, r, ctx, sb) -> {
            long h = Mix.cell(key, row);
            int b = fixed >= 0 ? fixed : Mix.index(h, prefixes.length);
            String[] ps = prefixes[b];
            String prefix = ps[Mix.index(Mix.next(h, 0), ps.length)];
            int start = sb.length();
            sb.append(prefix);
            int len = lengths[b];
            for (int i = prefix.length(); i < len - 1; i++) {
                sb.append((char) ('0' + Mix.index(Mix.next(h, i + 1), 10)));
            }
            sb.append(luhnCheck(sb, start, len - 1));
        });
    }

    /** The Luhn check digit for the {@code n} digits starting at {@code start}. */
    static char luhnCheck(CharSequence s, int start, int n) {
        int sum = 0;
        boolean dbl = true;
        for (int i = start + n - 1; i >= start; i--) {
            int d = s.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }
}
