package io.skyforge.sync.clock;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;

/**
 * One hybrid logical clock reading: wall-clock milliseconds plus a logical counter that orders events
 * within the same millisecond (or while the wall clock lags behind a timestamp already seen).
 *
 * <p>{@link #encode()} is fixed-width lower-case hex, so encoded timestamps sort as strings exactly as
 * they sort as values; that is what lets them live in object metadata and in text logs.
 */
public record Hlc(long physicalMillis, int logical) implements Comparable<Hlc> {

    public static final Hlc ZERO = new Hlc(0, 0);
    /** 12 hex digits of milliseconds reach the year 10889; 6 of counter allow 16M events per millisecond. */
    static final int PHYSICAL_DIGITS = 12;
    static final int LOGICAL_DIGITS = 6;
    static final long MAX_PHYSICAL = (1L << (4 * PHYSICAL_DIGITS)) - 1;
    static final int MAX_LOGICAL = (1 << (4 * LOGICAL_DIGITS)) - 1;
    public static final int ENCODED_LENGTH = PHYSICAL_DIGITS + 1 + LOGICAL_DIGITS;

    public Hlc {
        if (physicalMillis < 0 || physicalMillis > MAX_PHYSICAL) {
            throw new IllegalArgumentException("physical time out of range: " + physicalMillis);
        }
        if (logical < 0 || logical > MAX_LOGICAL) {
            throw new IllegalArgumentException("logical counter out of range: " + logical);
        }
    }

    @Override
    public int compareTo(Hlc o) {
        int c = Long.compare(physicalMillis, o.physicalMillis);
        return c != 0 ? c : Integer.compare(logical, o.logical);
    }

    public boolean isAfter(Hlc o) {
        return compareTo(o) > 0;
    }

    public static Hlc max(Hlc a, Hlc b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** {@code 018c2f3a4b5c.000001}: sorts lexicographically in time order. */
    public String encode() {
        String p = Long.toHexString(physicalMillis);
        String l = Integer.toHexString(logical);
        return "0".repeat(PHYSICAL_DIGITS - p.length()) + p + "." + "0".repeat(LOGICAL_DIGITS - l.length()) + l;
    }

    /** The inverse of {@link #encode()}; anything else fails with {@code SF-VALIDATION}. */
    public static Hlc decode(String s) {
        if (s == null || s.length() != ENCODED_LENGTH || s.charAt(PHYSICAL_DIGITS) != '.') {
            throw invalid(s);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (i != PHYSICAL_DIGITS && !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw invalid(s);
            }
        }
        return new Hlc(Long.parseLong(s, 0, PHYSICAL_DIGITS, 16),
                Integer.parseInt(s, PHYSICAL_DIGITS + 1, s.length(), 16));
    }

    private static SkyforgeException invalid(String s) {
        return new SkyforgeException(ErrorCode.VALIDATION, "not an encoded hybrid logical clock timestamp "
                + "(12 hex digits, '.', 6 hex digits): '" + s + "'");
    }

    @Override
    public String toString() {
        return encode();
    }
}
