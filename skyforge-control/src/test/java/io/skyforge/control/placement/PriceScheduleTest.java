package io.skyforge.control.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.core.model.PriceWindow;
import io.skyforge.core.model.PricingSpec;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PriceScheduleTest {

    private final PriceSchedule schedule = PriceSchedule.of(new PricingSpec(0.10, null, 0.09, "USD",
            List.of(new PriceWindow("22-06", 0.02), new PriceWindow("05-09", 0.05), new PriceWindow("12-13", null))));

    @ParameterizedTest(name = "{0}:00 UTC costs {1}")
    @CsvSource({
            "21, 0.10",
            "22, 0.02",
            "23, 0.02",
            "0,  0.02",
            "5,  0.02", // both windows cover 05: the first listed wins
            "6,  0.05", // 22-06 ends before 06
            "8,  0.05",
            "9,  0.10",
            "12, 0.10", // a window without a price keeps the base price
    })
    void shouldPriceEachHourFromTheFirstWindowCoveringIt(int hour, double price) {
        assertThat(schedule.priceAt(hour)).isEqualTo(price);
    }

    @Test
    void shouldTreatMissingPricingAsFree() {
        assertThat(PriceSchedule.of(null).priceAt(3)).isZero();
        assertThat(PriceSchedule.of(new PricingSpec(null, null, null, null, null)).priceAt(3)).isZero();
    }

    @Test
    void shouldAcceptAWindowEndingAtMidnightWritten24() {
        PriceSchedule s = PriceSchedule.of(new PricingSpec(0.1, null, null, null, List.of(new PriceWindow("20-24", 0.01))));
        assertThat(s.priceAt(23)).isEqualTo(0.01);
        assertThat(s.priceAt(0)).isEqualTo(0.1);
    }

    @Test
    void shouldRejectMalformedOrAmbiguousWindows() {
        assertThatThrownBy(() -> PriceSchedule.of(new PricingSpec(0.1, null, null, null, List.of(new PriceWindow("10:00-12:00", 0.01)))))
                .hasMessageContaining("\"HH-HH\"");
        assertThatThrownBy(() -> PriceSchedule.of(new PricingSpec(0.1, null, null, null, List.of(new PriceWindow("08-08", 0.01)))))
                .hasMessageContaining("start != end");
        assertThatThrownBy(() -> PriceSchedule.of(new PricingSpec(0.1, null, null, null, List.of(new PriceWindow("25-02", 0.01)))))
                .hasMessageContaining("bad price window 25-2");
    }
}
