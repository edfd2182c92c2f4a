package io.skyforge.datagen.gen;

import io.skyforge.datagen.dict.Dictionary;
import io.skyforge.datagen.engine.Mix;

/**
 * An address drawn per row from one entity key: country, province/state, city, district, street and
 * postcode all come from the same dictionary entry, so they agree (a Hangzhou street has a 310xxx
 * postcode; a Seattle address has a 981xx ZIP and a 206 phone area code).
 */
final class Place {

    private static final int D_LOC = 0;
    private static final int D_NUMBER = 1;
    private static final int D_STREET = 2;
    private static final int D_EXTRA = 3;
    private static final int D_UNIT = 4;
    private static final int D_ZIP = 5;

    final boolean zh;
    final String country;
    final String[] province;
    final String[] code;
    final String[] city;
    final String[] district;
    final String[] division;
    final String[] postcode;
    final String[] areaCode;
    final String[] streets;
    final String[] suffixes;
    final String[] extras;

    Place(Dictionary d) {
        zh = d.locale().startsWith("zh");
        String[][] loc = d.rows("location");
        int n = loc.length;
        province = new String[n];
        code = new String[n];
        city = new String[n];
        district = new String[n];
        division = new String[n];
        postcode = new String[n];
        areaCode = new String[n];
        for (int i = 0; i < n; i++) {
            String[] e = loc[i];
            if (zh) {
                province[i] = e[0];
                city[i] = e[1];
                district[i] = e[2];
                division[i] = e[3];
                postcode[i] = e[4];
                areaCode[i] = e[5];
                code[i] = e[3].substring(0, 2);
            } else {
                province[i] = e[0];
                code[i] = e[1];
                city[i] = e[2];
                district[i] = e[2];
                division[i] = e[3];
                postcode[i] = e[3];
                areaCode[i] = e[4];
            }
        }
        country = zh ? "中国" : "United States";
        streets = d.words("street");
        suffixes = zh ? new String[0] : d.words("street_suffix");
        extras = zh ? d.words("community") : d.words("unit");
    }

    int loc(long h) {
        return Mix.index(Mix.next(h, D_LOC), city.length);
    }

    void appendStreet(long h, StringBuilder sb) {
        if (zh) {
            sb.append(streets[Mix.index(Mix.next(h, D_STREET), streets.length)])
                    .append(1 + Mix.index(Mix.next(h, D_NUMBER), 999)).append('号');
            return;
        }
        sb.append(1 + Mix.index(Mix.next(h, D_NUMBER), 9899)).append(' ');
        long s = Mix.next(h, D_STREET);
        sb.append(streets[Mix.index(s, streets.length)]).append(' ').append(suffixes[Mix.index(Mix.next(s, 0), suffixes.length)]);
        long u = Mix.next(h, D_UNIT);
        if (Mix.unit(u) < 0.25) {
            sb.append(", ").append(extras[Mix.index(Mix.next(u, 0), extras.length)]).append(' ').append(1 + Mix.index(Mix.next(u, 1), 400));
        }
    }

    /** ZIPs keep the city's first three digits; Chinese postcodes are the district's. */
    void appendPostcode(long h, StringBuilder sb) {
        String base = postcode[loc(h)];
        if (zh) {
            sb.append(base);
            return;
        }
        int zip = Integer.parseInt(base) / 100 * 100 + Mix.index(Mix.next(h, D_ZIP), 100);
        for (int p = 10000; p > 1; p /= 10) {
            if (zip < p) {
                sb.append('0');
            }
        }
        sb.append(zip);
    }

    void appendFull(long h, StringBuilder sb) {
        int i = loc(h);
        if (zh) {
            sb.append(province[i]);
            if (!city[i].equals(province[i])) {
                sb.append(city[i]);
            }
            if (!district[i].equals(city[i])) {
                sb.append(district[i]);
            }
            appendStreet(h, sb);
            long u = Mix.next(h, D_EXTRA);
            sb.append(extras[Mix.index(u, extras.length)])
                    .append(1 + Mix.index(Mix.next(u, 0), 30)).append('栋')
                    .append(1 + Mix.index(Mix.next(u, 1), 30)).append(String.format("%02d", 1 + Mix.index(Mix.next(u, 2), 6))).append('室');
            return;
        }
        appendStreet(h, sb);
        sb.append(", ").append(city[i]).append(", ").append(code[i]).append(' ');
        appendPostcode(h, sb);
    }
}
