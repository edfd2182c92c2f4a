package io.skyforge.datagen.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written number and date encoders print exactly what the JDK prints. */
class ByteSinkTest {

    /** Powers of ten and their neighbours, where digit counting goes wrong first. */
    static List<Long> edges() {
        List<Long> v = new ArrayList<>(List.of(0L, 1L, 9L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1));
        long p = 1;
        for (int i = 0; i < 19; i++) {
            v.add(p - 1);
            v.add(p);
            v.add(p + 1);
            v.add(-p);
            p *= 10;
        }
        return v;
    }

    @Test
    void shouldPrintIntegersLikeLongToString() throws IOException {
        List<Long> values = edges();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long v = rnd.nextLong();
            values.add(v >> rnd.nextInt(64));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteSink sink = new ByteSink(bytes, 64);
        StringBuilder want = new StringBuilder();
        for (long v : values) {
            sink.decimal(v);
            sink.write('\n');
            want.append(v).append('\n');
        }
        sink.flush();
        assertThat(bytes.toString(StandardCharsets.US_ASCII)).isEqualTo(want.toString());
    }

    @Test
    void shouldPrintDecimalsLikeBigDecimalPlainStringForEveryScale() throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteSink sink = new ByteSink(bytes, 64);
        StringBuilder want = new StringBuilder();
        long max = 999_999_999_999_999_999L;
        for (int scale = 0; scale <= 18; scale++) {
            List<Long> values = new ArrayList<>();
            for (long e : edges()) {
                if (Math.abs(e) <= max && e != Long.MIN_VALUE) {
                    values.add(e);
                }
            }
            for (int i = 0; i < 5_000; i++) {
                values.add(rnd.nextLong(-max, max + 1) >> rnd.nextInt(60));
            }
            for (long v : values) {
                sink.decimal(v, scale);
                sink.write('\n');
                want.append(BigDecimal.valueOf(v, scale).toPlainString()).append('\n');
            }
        }
        sink.flush();
        assertThat(bytes.toString(StandardCharsets.US_ASCII)).isEqualTo(want.toString());
    }

    @Test
    void shouldPrintDatesLikeLocalDateWhetherOrNotTheTextIsCached() throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        long min = LocalDate.of(0, 1, 1).toEpochDay();
        long max = LocalDate.of(9999, 12, 31).toEpochDay();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteSink sink = new ByteSink(bytes, 64);
        StringBuilder want = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            // a narrow range repeats days (cache hits); the wide one collides in the cache's slots
            long day = i % 2 == 0 ? 8000 + rnd.nextLong(3000) : rnd.nextLong(min, max + 1);
            sink.date(day);
            sink.write('\n');
            want.append(LocalDate.ofEpochDay(day)).append('\n');
        }
        sink.flush();
        assertThat(bytes.toString(StandardCharsets.US_ASCII)).isEqualTo(want.toString());
    }
}
