package io.skyforge.control.placement;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Fixed-point text for prices and scores. {@code String.format} (a Formatter and DecimalFormatSymbols
 * per call) topped the placement benchmark's profile; this gives the same text, rounding half-up.
 */
final class Decimals {

    private Decimals() {
    }

    private static final long[] POW10 = {1, 10, 100, 1000, 10_000};

    /** Rounds the shortest decimal form of {@code v} (what {@code Double.toString} shows) half-up. */
    static String fixed(double v, int places) {
        double scaled = Math.abs(v) * POW10[places];
        double frac = scaled - Math.floor(scaled);
        if (Math.abs(frac - 0.5) < 1e-6 || scaled >= 1e15 || Double.isNaN(v)) {
            // Near a half the binary product may land on either side of it; the decimal form decides.
            return BigDecimal.valueOf(v).setScale(places, RoundingMode.HALF_UP).toPlainString();
        }
        long r = Math.round(scaled);
        long scale = POW10[places];
        StringBuilder b = new StringBuilder(20);
        if (v < 0 && r != 0) {
            b.append('-');
        }
        b.append(r / scale);
        if (places > 0) {
            b.append('.');
            long f = r % scale;
            for (long p = scale / 10; p > 1 && f < p; p /= 10) {
                b.append('0');
            }
            b.append(f);
        }
        return b.toString();
    }

    /** Up to four decimals, trailing zeros dropped: {@code 0.1}, {@code 32}, {@code 0.0325}. */
    static String trimmed(double v) {
        String s = fixed(v, 4);
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
