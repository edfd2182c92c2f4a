package io.skyforge.control.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecimalsTest {

    @Test
    void shouldFormatLikeStringFormatForPricesAndScores() {
        Random rnd = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            // Quarter-cent steps hit the .5 rounding boundary often; the others are arbitrary doubles.
            double v = i % 2 == 0 ? rnd.nextInt(400_000) / 4000.0 : rnd.nextDouble() * 1000;
            assertThat(Decimals.fixed(v, 2)).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.2f", v));
            assertThat(Decimals.fixed(v, 3)).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.3f", v));
        }
    }

    @Test
    void shouldDropTrailingZeros() {
        assertThat(Decimals.trimmed(32)).isEqualTo("32");
        assertThat(Decimals.trimmed(0.1)).isEqualTo("0.1");
        assertThat(Decimals.trimmed(0.0325)).isEqualTo("0.0325");
        assertThat(Decimals.trimmed(0)).isEqualTo("0");
        assertThat(Decimals.fixed(-0.0001, 2)).isEqualTo("0.00");
        assertThat(Decimals.fixed(-1.5, 1)).isEqualTo("-1.5");
    }
}
