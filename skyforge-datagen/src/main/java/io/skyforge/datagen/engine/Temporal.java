package io.skyforge.datagen.engine;

import java.time.LocalDate;

/** Date and time arithmetic and formatting without allocating (epoch days and microseconds). */
public final class Temporal {

    private Temporal() {
    }

    public static long epochDay(LocalDate d) {
        return d.toEpochDay();
    }

    /** Civil date from epoch day (Howard Hinnant's algorithm), packed as year*10000 + month*100 + day. */
    public static int civil(long epochDay) {
        long z = epochDay + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) {
            y++;
        }
        return (int) (y * 10000 + m * 100 + d);
    }

    public static void appendDate(StringBuilder sb, long epochDay) {
        int c = civil(epochDay);
        int y = c / 10000;
        int m = (c / 100) % 100;
        int d = c % 100;
        if (y < 1000) {
            pad(sb, y, 4);
        } else {
            sb.append(y);
        }
        sb.append('-');
        pad(sb, m, 2);
        sb.append('-');
        pad(sb, d, 2);
    }

    public static void appendTime(StringBuilder sb, long micros) {
        long secs = micros / 1_000_000;
        pad(sb, (int) (secs / 3600), 2);
        sb.append(':');
        pad(sb, (int) (secs / 60 % 60), 2);
        sb.append(':');
        pad(sb, (int) (secs % 60), 2);
        int frac = (int) (micros % 1_000_000);
        if (frac != 0) {
            sb.append('.');
            pad(sb, frac, 6);
        }
    }

    public static void appendTimestamp(StringBuilder sb, long micros) {
        long day = Math.floorDiv(micros, Adapt.MICROS_PER_DAY);
        appendDate(sb, day);
        sb.append(' ');
        appendTime(sb, micros - day * Adapt.MICROS_PER_DAY);
    }

    static void pad(StringBuilder sb, int v, int width) {
        int digits = v == 0 ? 1 : (int) Math.log10(v) + 1;
        for (int i = digits; i < width; i++) {
            sb.append('0');
        }
        sb.append(v);
    }
}
