package io.skyforge.schema.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skyforge.spi.error.ErrorCode;
import io.skyforge.spi.error.SkyforgeException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransientRetryTest {

    private static SkyforgeException deadlock() {
        // what MySqlTarget hands up for InnoDB's "Deadlock found when trying to get lock" (1213, SQLSTATE 40001)
        return new SkyforgeException(ErrorCode.INTERNAL, "loading part 1 failed",
                new SQLException("Deadlock found when trying to get lock; try restarting transaction", "40001", 1213));
    }

    @Test
    void shouldRunAPartAgainWhenTheDatabaseChoseItAsADeadlockVictim() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        long rows = TransientRetry.call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw deadlock();
            }
            return 42L;
        });
        assertThat(rows).isEqualTo(42L);
        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldRecognisePostgresDeadlocksAndSerializationFailuresButNotConstraintViolations() {
        assertThat(TransientRetry.isTransient(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(TransientRetry.isTransient(new RuntimeException(new SQLException("could not serialize", "40001")))).isTrue();
        assertThat(TransientRetry.isTransient(new SQLIntegrityConstraintViolationException("duplicate key", "23505"))).isFalse();
        assertThat(TransientRetry.isTransient(new SkyforgeException(ErrorCode.IO, "disk full"))).isFalse();
    }

    @Test
    void shouldFailAtOnceOnAnErrorThatARetryWouldNotCure() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> TransientRetry.call(() -> {
            calls.incrementAndGet();
            throw new SkyforgeException(ErrorCode.CONFLICT, "the database rejected rows",
                    new SQLIntegrityConstraintViolationException("duplicate key", "23000", 1062));
        })).hasMessageContaining("rejected rows");
        assertThat(calls).hasValue(1);
    }

    @Test
    void shouldGiveUpAfterTheLastAttemptWithTheDatabasesError() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> TransientRetry.call(() -> {
            calls.incrementAndGet();
            throw deadlock();
        })).hasRootCauseMessage("Deadlock found when trying to get lock; try restarting transaction");
        assertThat(calls).hasValue(TransientRetry.ATTEMPTS);
    }
}
