package io.skyforge.datagen.writer;

import io.skyforge.datagen.engine.Temporal;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Encodes values straight to UTF-8 bytes in a reused buffer: no String per value, no
 * CharsetEncoder. The text writers' whole output passes through here.
 */
final class ByteSink {

    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** "00" to "99". */
    private static final byte[] PAIRS = new byte[200];
    private static final long[] POW10 = new long[19];
    private static final int DATE_CACHE = 4096;

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private final OutputStream out;
    private final byte[] buf;
    private int pos;
    private long written;
    /** Epoch day to its text, direct-mapped; made on the first date. */
    private long[] dateKeys;
    private byte[] dateText;

    ByteSink(OutputStream out, int size) {
        this.out = out;
        this.buf = new byte[size];
    }

    long written() {
        return written + pos;
    }

    private void ensure(int n) throws IOException {
        if (pos + n > buf.length) {
            flushBuffer();
        }
    }

    /** {@code n} chars known to be ASCII. */
    void ascii(char[] c, int n) throws IOException {
        if (n > buf.length - pos) {
            flushBuffer();
            if (n > buf.length) {
                for (int i = 0; i < n; i++) {
                    write(c[i]);
                }
                return;
            }
        }
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < n; i++) {
            b[p + i] = (byte) c[i];
        }
        pos = p + n;
    }

    /**
     * Writes {@code n} chars as single bytes when all are ASCII and none is flagged in {@code special}
     * (128 entries); otherwise writes nothing and returns false. One pass both checks and copies.
     */
    boolean asciiUnless(char[] c, int n, byte[] special) throws IOException {
        if (n > buf.length - pos) {
            flushBuffer();
            if (n > buf.length) {
                return false;
            }
        }
        byte[] b = buf;
        int p = pos;
        int bad = 0;
        for (int i = 0; i < n; i++) {
            char ch = c[i];
            b[p + i] = (byte) ch;
            bad |= (ch >>> 7) | special[ch & 0x7F];
        }
        if (bad != 0) {
            return false;
        }
        pos = p + n;
        return true;
    }

    void flushBuffer() throws IOException {
        if (pos > 0) {
            out.write(buf, 0, pos);
            written += pos;
            pos = 0;
        }
    }

    void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    void write(int b) throws IOException {
        if (pos == buf.length) {
            flushBuffer();
        }
        buf[pos++] = (byte) b;
    }

    void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (len > buf.length - pos) {
            flushBuffer();
            if (len > buf.length) {
                out.write(b, off, len);
                written += len;
                return;
            }
        }
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    /** ASCII-only text (names, keywords). */
    void ascii(String s) throws IOException {
        int n = s.length();
        ensure(n);
        if (n > buf.length) {
            for (int i = 0; i < n; i++) {
                write(s.charAt(i));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    /** One char as UTF-8; {@code next} is the following char for surrogate pairs. Returns chars consumed. */
    int utf8(char c, CharSequence s, int i) throws IOException {
        ensure(4);
        if (c < 0x80) {
            buf[pos++] = (byte) c;
            return 1;
        }
        if (c < 0x800) {
            buf[pos++] = (byte) (0xC0 | (c >> 6));
            buf[pos++] = (byte) (0x80 | (c & 0x3F));
            return 1;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            buf[pos++] = (byte) (0xF0 | (cp >> 18));
            buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            buf[pos++] = (byte) (0x80 | (cp & 0x3F));
            return 2;
        }
        if (Character.isSurrogate(c)) {
            buf[pos++] = '?';
            return 1;
        }
        buf[pos++] = (byte) (0xE0 | (c >> 12));
        buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
        return 1;
    }

    void utf8(CharSequence s) throws IOException {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (pos == buf.length) {
                    flushBuffer();
                }
                buf[pos++] = (byte) c;
                i++;
            } else {
                i += utf8(c, s, i);
            }
        }
    }

    /** {@code n} chars of any text, as UTF-8. */
    void utf8(char[] c, int n) throws IOException {
        if (n * 3 > buf.length - pos) {
            flushBuffer();
            if (n * 3 > buf.length) {
                utf8(java.nio.CharBuffer.wrap(c, 0, n));
                return;
            }
        }
        pos = utf8(c, n, buf, pos);
    }

    /**
     * Encodes {@code c[0, n)} as UTF-8 into {@code b} from {@code p}, where there is room for three
     * bytes a char; an unpaired surrogate becomes '?', as {@code String.getBytes} has it. Returns
     * where the bytes end.
     */
    static int utf8(char[] c, int n, byte[] b, int p) {
        for (int i = 0; i < n; i++) {
            char ch = c[i];
            if (ch < 0x80) {
                b[p++] = (byte) ch;
            } else if (ch < 0x800) {
                b[p++] = (byte) (0xC0 | (ch >> 6));
                b[p++] = (byte) (0x80 | (ch & 0x3F));
            } else if (Character.isSurrogate(ch)) {
                if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(c[i + 1])) {
                    int cp = Character.toCodePoint(ch, c[++i]);
                    b[p++] = (byte) (0xF0 | (cp >> 18));
                    b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[p++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    b[p++] = '?';
                }
            } else {
                b[p++] = (byte) (0xE0 | (ch >> 12));
                b[p++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (ch & 0x3F));
            }
        }
        return p;
    }

    void decimal(long v) throws IOException {
        ensure(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                System.arraycopy(MIN_LONG, 0, buf, pos, MIN_LONG.length);
                pos += MIN_LONG.length;
                return;
            }
            buf[pos++] = '-';
            v = -v;
        }
        int end = pos + digits(v);
        backwards(v, end);
        pos = end;
    }

    /** Digits of {@code v >= 0}: a log2 estimate corrected by one comparison, no loop. */
    static int digits(long v) {
        int t = ((64 - Long.numberOfLeadingZeros(v | 1)) * 1233) >>> 12;
        return t + ((v | 1) >= POW10[t] ? 1 : 0);
    }

    /** Writes {@code v >= 0} so that its last digit lands at {@code end - 1}, two digits per division. */
    private void backwards(long v, int end) {
        byte[] b = buf;
        int p = end;
        while (v >= 100) {
            long q = v / 100;
            int d = (int) (v - q * 100) << 1;
            b[--p] = PAIRS[d + 1];
            b[--p] = PAIRS[d];
            v = q;
        }
        if (v >= 10) {
            int d = (int) v << 1;
            b[--p] = PAIRS[d + 1];
            b[--p] = PAIRS[d];
        } else {
            b[--p] = (byte) ('0' + v);
        }
    }

    /** An unscaled decimal with {@code scale} digits after the point. */
    void decimal(long unscaled, int scale) throws IOException {
        if (scale == 0) {
            decimal(unscaled);
            return;
        }
        ensure(22);
        if (unscaled < 0) {
            buf[pos++] = '-';
            unscaled = -unscaled;
        }
        long whole = unscaled / POW10[scale];
        long frac = unscaled - whole * POW10[scale];
        int point = pos + digits(whole);
        backwards(whole, point);
        buf[point] = '.';
        int end = point + 1 + scale;
        if (scale == 2) {
            int d = (int) frac << 1;
            buf[point + 1] = PAIRS[d];
            buf[point + 2] = PAIRS[d + 1];
        } else {
            for (int p = end; p > point + 1; ) {
                buf[--p] = (byte) ('0' + frac % 10);
                frac /= 10;
            }
        }
        pos = end;
    }

    void two(int v) {
        buf[pos++] = (byte) ('0' + v / 10);
        buf[pos++] = (byte) ('0' + v % 10);
    }

    void date(long epochDay) throws IOException {
        ensure(12);
        if (dateKeys == null) {
            dateKeys = new long[DATE_CACHE];
            java.util.Arrays.fill(dateKeys, Long.MIN_VALUE);
            dateText = new byte[DATE_CACHE * 10];
        }
        // the dates of a column fall within a few thousand days: copying a cached text beats the
        // calendar arithmetic
        int slot = (int) epochDay & (DATE_CACHE - 1);
        byte[] b = buf;
        if (dateKeys[slot] == epochDay) {
            int p = pos;
            int from = slot * 10;
            byte[] t = dateText;
            for (int i = 0; i < 10; i++) {
                b[p + i] = t[from + i];
            }
            pos = p + 10;
            return;
        }
        int c = Temporal.civil(epochDay);
        int y = c / 10000;
        if (y < 0 || y > 9999) {
            decimal(y);
            monthDay(c);
            return;
        }
        int start = pos;
        two(y / 100);
        two(y % 100);
        monthDay(c);
        dateKeys[slot] = epochDay;
        System.arraycopy(b, start, dateText, slot * 10, 10);
    }

    private void monthDay(int civil) {
        buf[pos++] = '-';
        two((civil / 100) % 100);
        buf[pos++] = '-';
        two(civil % 100);
    }

    void time(long micros) throws IOException {
        ensure(16);
        long secs = micros / 1_000_000;
        two((int) (secs / 3600));
        buf[pos++] = ':';
        two((int) (secs / 60 % 60));
        buf[pos++] = ':';
        two((int) (secs % 60));
        int frac = (int) (micros % 1_000_000);
        if (frac != 0) {
            buf[pos++] = '.';
            int p = pos + 6;
            for (int i = 0; i < 6; i++) {
                buf[p - 1 - i] = (byte) ('0' + frac % 10);
                frac /= 10;
            }
            pos = p;
        }
    }

    void timestamp(long micros, char separator) throws IOException {
        long day = Math.floorDiv(micros, 86_400_000_000L);
        date(day);
        write(separator);
        time(micros - day * 86_400_000_000L);
    }

    void dbl(double d) throws IOException {
        ascii(Double.toString(d));
    }
}
