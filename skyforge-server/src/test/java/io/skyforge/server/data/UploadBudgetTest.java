package io.skyforge.server.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UploadBudgetTest {

    static final long MIB = 1024 * 1024;

    @Test
    void shouldReserveTheWorstCaseOfEachUploadAndReleaseItWhenDone() {
        UploadBudget budget = new UploadBudget(100 * MIB, Duration.ofMillis(50));
        try (UploadBudget.Lease unknown = budget.acquire(-1); UploadBudget.Lease small = budget.acquire(64 * 1024);
             UploadBudget.Lease medium = budget.acquire(16 * MIB + 1)) {
            assertThat(budget.available()).isEqualTo(100 - 32 - 8 - 24);
        }
        assertThat(budget.available()).isEqualTo(100);
    }

    @Test
    void shouldRefuseWithThrottledWhenTheBudgetStaysSpent() {
        UploadBudget budget = new UploadBudget(40 * MIB, Duration.ofMillis(50));
        try (UploadBudget.Lease big = budget.acquire(1L << 30)) {
            assertThat(budget.available()).isEqualTo(8);
            assertThatThrownBy(() -> budget.acquire(-1)).isInstanceOfSatisfying(SkyforgeException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.THROTTLED));
            budget.acquire(1).close();
        }
        assertThat(budget.available()).isEqualTo(40);
    }

    @Test
    void shouldAlwaysAllowOneFullUploadEvenOnATinyHeap() {
        UploadBudget budget = new UploadBudget(MIB, Duration.ofMillis(50));
        budget.acquire(-1).close();
        assertThat(budget.available()).isEqualTo(32);
    }
}
