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

    private final OutputStream out;
    private final byte[] buf;
    private int pos;
    private long written;

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
        if (b.length > buf.length - pos) {
            flushBuffer();
            if (b.length > buf.length) {
                out.write(b);
                written += b.length;
                return;
            }
        }
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
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

    void decimal(long v) throws IOException {
        ensure(20);
        if (v == Long.MIN_VALUE) {
            System.arraycopy(MIN_LONG, 0, buf, pos, MIN_LONG.length);
            pos += MIN_LONG.length;
            return;
        }
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        int digits = digits(v);
        int end = pos + digits;
        int p = end;
        do {
            buf[--p] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        pos = end;
    }

    private static int digits(long v) {
        long x = 10;
        for (int d = 1; d < 19; d++) {
            if (v < x) {
                return d;
            }
            x *= 10;
        }
        return 19;
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
        int digits = Math.max(digits(unscaled), scale + 1);
        int end = pos + digits + 1;
        int p = end;
        for (int i = 0; i < scale; i++) {
            buf[--p] = (byte) ('0' + unscaled % 10);
            unscaled /= 10;
        }
        buf[--p] = '.';
        do {
            buf[--p] = (byte) ('0' + unscaled % 10);
            unscaled /= 10;
        } while (unscaled != 0);
        pos = end;
    }

    void two(int v) {
        buf[pos++] = (byte) ('0' + v / 10);
        buf[pos++] = (byte) ('0' + v % 10);
    }

    void date(long epochDay) throws IOException {
        ensure(12);
        int c = Temporal.civil(epochDay);
        int y = c / 10000;
        if (y < 0 || y > 9999) {
            decimal(y);
        } else {
            two(y / 100);
            two(y % 100);
        }
        buf[pos++] = '-';
        two((c / 100) % 100);
        buf[pos++] = '-';
        two(c % 100);
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
