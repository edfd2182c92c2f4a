package io.skyforge.server.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UploadBudgetTest {

    static final long MIB = 1024 * 1024;
    static final int KIB_PER_MIB = 1024;

    @Test
    void shouldReserveWhatEachUploadHoldsAndReleaseItWhenDone() {
        UploadBudget budget = new UploadBudget(100 * MIB, Duration.ofMillis(50));
        // unknown length: the adapters' worst case; known: the length plus the byte that shows the end
        try (UploadBudget.Lease unknown = budget.acquire(-1); UploadBudget.Lease small = budget.acquire(64 * 1024);
             UploadBudget.Lease medium = budget.acquire(16 * MIB); UploadBudget.Lease big = budget.acquire(1L << 30)) {
            assertThat(budget.available()).isEqualTo(100 * KIB_PER_MIB - 32 * KIB_PER_MIB - 65 - (16 * KIB_PER_MIB + 1) - 32 * KIB_PER_MIB);
        }
        assertThat(budget.available()).isEqualTo(100 * KIB_PER_MIB);
    }

    @Test
    void shouldRefuseWithThrottledWhenTheBudgetStaysSpent() {
        UploadBudget budget = new UploadBudget(40 * MIB, Duration.ofMillis(50));
        try (UploadBudget.Lease big = budget.acquire(1L << 30)) {
            assertThat(budget.available()).isEqualTo(8 * KIB_PER_MIB);
            assertThatThrownBy(() -> budget.acquire(-1)).isInstanceOfSatisfying(SkyforgeException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.THROTTLED));
            budget.acquire(1).close();
        }
        assertThat(budget.available()).isEqualTo(40 * KIB_PER_MIB);
    }

    @Test
    void shouldLetManySmallUploadsRunWhereWholePartsWouldNotFit() {
        UploadBudget budget = new UploadBudget(100 * MIB, Duration.ofMillis(50));
        java.util.List<UploadBudget.Lease> leases = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            leases.add(budget.acquire(64 * 1024));
        }
        assertThat(budget.available()).isEqualTo(100 * KIB_PER_MIB - 1000 * 65);
        leases.forEach(UploadBudget.Lease::close);
    }

    @Test
    void shouldAlwaysAllowOneFullUploadEvenOnATinyHeap() {
        UploadBudget budget = new UploadBudget(MIB, Duration.ofMillis(50));
        budget.acquire(-1).close();
        assertThat(budget.available()).isEqualTo(32 * KIB_PER_MIB);
    }
}
